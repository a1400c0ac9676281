/*
 * tls.c - the auditing TLS client: a context that still speaks TLS 1.0
 * and legacy ciphers (SECLEVEL=0) so that legacy servers are seen for what
 * they are, and the facts recorded after a handshake: protocol version,
 * cipher, and the leaf certificate's subject, issuer, names, validity,
 * key and signature, plus whether the chain verifies against the system
 * trust store.  Verification never stops a handshake: we record, we do
 * not refuse.
 *
 * Then the measurements of tls.h: hand-built ClientHellos, one per
 * connection, and the parser of the server's first answer.
 */
#include "probes/tls.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "vigie/addr.h"
#include "vigie/obs.h"

#include "probe_internal.h"

#define TLS_NAME_MAX	512	/* bytes kept of a subject or issuer */
#define TLS_SAN_MAX	32	/* names kept of subjectAltName */

static int
accept_any(int ok, X509_STORE_CTX *ctx)
{
	(void)ok;
	(void)ctx;
	return 1;
}

SSL_CTX *
tls_client_ctx_new(void)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(ctx, 0);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
	    SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
	SSL_CTX_set_default_verify_paths(ctx);
	return ctx;
}

static void
record_name(struct obs *o, const char *key, const X509_NAME *name)
{
	char	 tmp[TLS_NAME_MAX];
	BIO	*b;
	int	 n;

	if (name == NULL || (b = BIO_new(BIO_s_mem())) == NULL)
		return;
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	n = BIO_read(b, tmp, sizeof(tmp) - 1);
	if (n > 0)
		obs_set_bytes(o, key, tmp, (size_t)n);
	BIO_free(b);
}

static void
record_time(struct obs *o, const char *key, const ASN1_TIME *t)
{
	struct tm	tm;
	char		tmp[32];

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return;
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	obs_set(o, key, tmp);
}

static void
record_san(struct obs *o, X509 *cert)
{
	GENERAL_NAMES		*names;
	const GENERAL_NAME	*gn;
	char			 tmp[OBS_VAL_MAX];
	size_t			 len = 0;
	int			 i, n;

	names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	if (names == NULL)
		return;
	n = sk_GENERAL_NAME_num(names);
	for (i = 0; i < n && i < TLS_SAN_MAX; i++) {
		const unsigned char	*p;
		int			 plen, w;

		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type == GEN_DNS) {
			p = ASN1_STRING_get0_data(gn->d.dNSName);
			plen = ASN1_STRING_length(gn->d.dNSName);
			w = snprintf(tmp + len, sizeof(tmp) - len, "%sDNS:%.*s",
			    len > 0 ? " " : "", plen, (const char *)p);
		} else if (gn->type == GEN_IPADD) {
			p = ASN1_STRING_get0_data(gn->d.iPAddress);
			plen = ASN1_STRING_length(gn->d.iPAddress);
			if (plen == 4)
				w = snprintf(tmp + len, sizeof(tmp) - len,
				    "%sIP:%u.%u.%u.%u", len > 0 ? " " : "",
				    p[0], p[1], p[2], p[3]);
			else
				w = snprintf(tmp + len, sizeof(tmp) - len,
				    "%sIP:(v6)", len > 0 ? " " : "");
		} else {
			continue;
		}
		if (w < 0 || (size_t)w >= sizeof(tmp) - len)
			break;
		len += (size_t)w;
	}
	GENERAL_NAMES_free(names);
	if (len > 0)
		obs_set_bytes(o, "tls.san", tmp, len);
}

static void
record_key(struct obs *o, X509 *cert)
{
	EVP_PKEY	*pk;
	int		 sig;

	if ((pk = X509_get0_pubkey(cert)) != NULL) {
		switch (EVP_PKEY_base_id(pk)) {
		case EVP_PKEY_RSA:
			obs_set(o, "tls.key_type", "RSA");
			break;
		case EVP_PKEY_EC:
			obs_set(o, "tls.key_type", "EC");
			break;
		case EVP_PKEY_DSA:
			obs_set(o, "tls.key_type", "DSA");
			break;
		case EVP_PKEY_ED25519:
			obs_set(o, "tls.key_type", "Ed25519");
			break;
		default:
			obs_set(o, "tls.key_type", "other");
			break;
		}
		obs_setf(o, "tls.key_bits", "%d", EVP_PKEY_bits(pk));
	}
	sig = X509_get_signature_nid(cert);
	if (sig != NID_undef)
		obs_set(o, "tls.sig_alg", OBJ_nid2ln(sig));
}

/* Facts of one certificate, whatever its origin. */
static void
record_cert(struct obs *o, X509 *cert)
{
	const ASN1_TIME	*na;

	record_name(o, "tls.subject", X509_get_subject_name(cert));
	record_name(o, "tls.issuer", X509_get_issuer_name(cert));
	record_san(o, cert);
	record_time(o, "tls.not_before", X509_get0_notBefore(cert));
	na = X509_get0_notAfter(cert);
	record_time(o, "tls.not_after", na);
	if (na != NULL)
		obs_set(o, "tls.expired",
		    X509_cmp_current_time(na) < 0 ? "yes" : "no");
	obs_set(o, "tls.self_signed",
	    X509_check_issued(cert, cert) == X509_V_OK ? "yes" : "no");
	record_key(o, cert);
}

int
tls_record_cert_der(struct obs *o, const uint8_t *der, size_t len)
{
	const unsigned char	*p = der;
	X509			*cert;

	if (len > 1 << 20 || (cert = d2i_X509(NULL, &p, (long)len)) == NULL)
		return -1;
	record_cert(o, cert);
	X509_free(cert);
	return 0;
}

void
tls_record(struct obs *o, SSL *ssl)
{
	X509		*cert;
	const char	*key;
	long		 vr;

	obs_set(o, "tls.version", SSL_get_version(ssl));
	if ((key = tls_version_key((uint16_t)SSL_version(ssl))) != NULL)
		obs_set(o, key, "yes");
	obs_set(o, "tls.cipher", SSL_get_cipher_name(ssl));
	if ((cert = SSL_get1_peer_certificate(ssl)) == NULL)
		return;
	record_cert(o, cert);
	vr = SSL_get_verify_result(ssl);
	obs_set(o, "tls.verify", vr == X509_V_OK ? "ok" :
	    X509_verify_cert_error_string(vr));
	X509_free(cert);
}

/* --- measurements: the ClientHello and the server's first answer ------ */

/* Record and handshake layers: RFC 5246 6.2.1 and 7.4. */
#define TLS_CT_ALERT		21
#define TLS_CT_HANDSHAKE	22
#define TLS_HT_CLIENT_HELLO	1
#define TLS_HT_SERVER_HELLO	2
#define TLS_RECORD_HDR		5
#define TLS_HS_HDR		4
#define TLS_RANDOM_LEN		32
#define TLS_SESSION_ID_MAX	32
#define TLS_SCSV_RENEGO		0x00ff	/* RFC 5746 3.3 */

/* Extensions: RFC 6066 3, RFC 8422 5.1, RFC 5246 7.4.1.4.1. */
#define TLS_EXT_SERVER_NAME	0x0000
#define TLS_EXT_GROUPS		0x000a
#define TLS_EXT_POINT_FORMATS	0x000b
#define TLS_EXT_SIG_ALGS	0x000d

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct tls_suite {
	uint16_t	 id;		/* IANA TLS Cipher Suites registry */
	const char	*name;		/* OpenSSL's */
};

/* Offered to learn a version: what a modern client and an old one would
 * offer between them, so that any server has one to choose. */
static const struct tls_suite	all_suites[] = {
	{ 0xc02b, "ECDHE-ECDSA-AES128-GCM-SHA256" },
	{ 0xc02f, "ECDHE-RSA-AES128-GCM-SHA256" },
	{ 0xc02c, "ECDHE-ECDSA-AES256-GCM-SHA384" },
	{ 0xc030, "ECDHE-RSA-AES256-GCM-SHA384" },
	{ 0xcca9, "ECDHE-ECDSA-CHACHA20-POLY1305" },
	{ 0xcca8, "ECDHE-RSA-CHACHA20-POLY1305" },
	{ 0x009e, "DHE-RSA-AES128-GCM-SHA256" },
	{ 0x009f, "DHE-RSA-AES256-GCM-SHA384" },
	{ 0xc009, "ECDHE-ECDSA-AES128-SHA" },
	{ 0xc013, "ECDHE-RSA-AES128-SHA" },
	{ 0xc00a, "ECDHE-ECDSA-AES256-SHA" },
	{ 0xc014, "ECDHE-RSA-AES256-SHA" },
	{ 0x0033, "DHE-RSA-AES128-SHA" },
	{ 0x0039, "DHE-RSA-AES256-SHA" },
	{ 0x009c, "AES128-GCM-SHA256" },
	{ 0x009d, "AES256-GCM-SHA384" },
	{ 0x003c, "AES128-SHA256" },
	{ 0x003d, "AES256-SHA256" },
	{ 0x002f, "AES128-SHA" },
	{ 0x0035, "AES256-SHA" },
	{ 0x0041, "CAMELLIA128-SHA" },
	{ 0x0084, "CAMELLIA256-SHA" },
	{ 0x0096, "SEED-SHA" },
	{ 0x000a, "DES-CBC3-SHA" },
	{ 0xc012, "ECDHE-RSA-DES-CBC3-SHA" },
	{ 0x0016, "EDH-RSA-DES-CBC3-SHA" },
	{ 0x0005, "RC4-SHA" },
	{ 0x0004, "RC4-MD5" },
	{ 0xc011, "ECDHE-RSA-RC4-SHA" },
	{ 0x0009, "DES-CBC-SHA" },
};

/* Offered to learn whether a weak suite is accepted: RC4, 3DES, single
 * DES, export grade, no encryption, no authentication. */
static const struct tls_suite	weak_suites[] = {
	{ 0x000a, "DES-CBC3-SHA" },
	{ 0xc012, "ECDHE-RSA-DES-CBC3-SHA" },
	{ 0xc008, "ECDHE-ECDSA-DES-CBC3-SHA" },
	{ 0x0016, "EDH-RSA-DES-CBC3-SHA" },
	{ 0x0013, "EDH-DSS-DES-CBC3-SHA" },
	{ 0x0005, "RC4-SHA" },
	{ 0x0004, "RC4-MD5" },
	{ 0xc011, "ECDHE-RSA-RC4-SHA" },
	{ 0xc007, "ECDHE-ECDSA-RC4-SHA" },
	{ 0x0009, "DES-CBC-SHA" },
	{ 0x0015, "EDH-RSA-DES-CBC-SHA" },
	{ 0x0012, "EDH-DSS-DES-CBC-SHA" },
	{ 0x0003, "EXP-RC4-MD5" },
	{ 0x0006, "EXP-RC2-CBC-MD5" },
	{ 0x0008, "EXP-DES-CBC-SHA" },
	{ 0x0014, "EXP-EDH-RSA-DES-CBC-SHA" },
	{ 0x0011, "EXP-EDH-DSS-DES-CBC-SHA" },
	{ 0x0062, "EXP1024-DES-CBC-SHA" },
	{ 0x0064, "EXP1024-RC4-SHA" },
	{ 0x0001, "NULL-MD5" },
	{ 0x0002, "NULL-SHA" },
	{ 0x003b, "NULL-SHA256" },
	{ 0xc010, "ECDHE-RSA-NULL-SHA" },
	{ 0xc006, "ECDHE-ECDSA-NULL-SHA" },
	{ 0x0018, "ADH-RC4-MD5" },
	{ 0x001b, "ADH-DES-CBC3-SHA" },
	{ 0x0034, "ADH-AES128-SHA" },
	{ 0x003a, "ADH-AES256-SHA" },
	{ 0x006c, "ADH-AES128-SHA256" },
	{ 0x006d, "ADH-AES256-SHA256" },
	{ 0x00a6, "ADH-AES128-GCM-SHA256" },
	{ 0x00a7, "ADH-AES256-GCM-SHA384" },
	{ 0xc018, "AECDH-AES128-SHA" },
	{ 0xc019, "AECDH-AES256-SHA" },
	{ 0xc016, "AECDH-RC4-SHA" },
	{ 0xc017, "AECDH-DES-CBC3-SHA" },
	{ 0xc015, "AECDH-NULL-SHA" },
};

/* x25519, secp256r1, secp384r1, secp521r1 (RFC 8422 5.1.1, RFC 7748). */
static const uint16_t	groups[] = { 0x001d, 0x0017, 0x0018, 0x0019 };

/* SHA-256/384/512 and SHA-1 with RSA and ECDSA, RSA-PSS (RFC 5246
 * 7.4.1.4.1, RFC 8446 4.2.3): old servers still sign with SHA-1. */
static const uint16_t	sig_algs[] = {
	0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
	0x0601, 0x0201, 0x0203,
};

const char *
tls_cipher_name(uint16_t id)
{
	size_t	i;

	for (i = 0; i < NELEM(all_suites); i++)
		if (all_suites[i].id == id)
			return all_suites[i].name;
	for (i = 0; i < NELEM(weak_suites); i++)
		if (weak_suites[i].id == id)
			return weak_suites[i].name;
	return NULL;
}

const char *
tls_version_name(uint16_t v)
{
	switch (v) {
	case TLS_V_SSL3:
		return "SSLv3";
	case TLS_V_1_0:
		return "TLSv1";
	case TLS_V_1_1:
		return "TLSv1.1";
	case TLS_V_1_2:
		return "TLSv1.2";
	case TLS_V_1_3:
		return "TLSv1.3";
	default:
		return NULL;
	}
}

const char *
tls_version_key(uint16_t v)
{
	switch (v) {
	case TLS_V_SSL3:
		return "tls.ssl3";
	case TLS_V_1_0:
		return "tls.tls1_0";
	case TLS_V_1_1:
		return "tls.tls1_1";
	case TLS_V_1_2:
		return "tls.tls1_2";
	case TLS_V_1_3:
		return "tls.tls1_3";
	default:
		return NULL;
	}
}

/* A bounded writer: every put fails once the buffer is full. */
struct wbuf {
	uint8_t	*p;
	size_t	 len, cap;
	bool	 over;
};

static void
put8(struct wbuf *w, unsigned int v)
{
	if (w->len >= w->cap) {
		w->over = true;
		return;
	}
	w->p[w->len++] = (uint8_t)v;
}

static void
put16(struct wbuf *w, unsigned int v)
{
	put8(w, v >> 8 & 0xff);
	put8(w, v & 0xff);
}

static void
put_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (n > w->cap - w->len) {
		w->over = true;
		return;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

/* Write a length at `at`, of `width` bytes, for what follows it. */
static void
patch_len(struct wbuf *w, size_t at, size_t width)
{
	size_t	n = w->len - at - width, i;

	if (w->over)
		return;
	for (i = 0; i < width; i++)
		w->p[at + i] = (uint8_t)(n >> (8 * (width - 1 - i)));
}

static bool
sni_usable(const char *sni)
{
	struct vg_addr	a;
	size_t		i, n;

	if (sni == NULL || (n = strlen(sni)) == 0 || n > 253 ||
	    addr_parse(sni, &a) == 0)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)sni[i] <= 0x20 || sni[i] == 0x7f)
			return false;
	return true;
}

size_t
tls_build_client_hello(uint8_t *out, size_t outlen, enum tls_offer offer,
    const char *sni)
{
	const struct tls_suite	*suites = all_suites;
	struct wbuf		 w = { .p = out, .cap = outlen };
	size_t			 nsuites = NELEM(all_suites), i, rec, hs, at;
	unsigned int		 version;
	bool			 ext = true, sigs = false;

	switch (offer) {
	case TLS_OFFER_LEGACY:
		version = TLS_V_1_1;
		break;
	case TLS_OFFER_WEAK:
		version = TLS_V_1_2;
		suites = weak_suites;
		nsuites = NELEM(weak_suites);
		sigs = true;
		break;
	case TLS_OFFER_TLS1:
		version = TLS_V_1_0;
		break;
	case TLS_OFFER_SSL3:
		version = TLS_V_SSL3;
		ext = false;		/* SSL 3.0 servers may choke on them */
		break;
	case TLS_OFFER_TLS12:
	default:
		version = TLS_V_1_2;
		sigs = true;
		break;
	}
	put8(&w, TLS_CT_HANDSHAKE);
	/* The record's version: SSL 3.0's for SSL 3.0, else TLS 1.0's, as
	 * clients do for old servers' sake (RFC 5246 E.1). */
	put16(&w, version == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_1_0);
	rec = w.len;
	put16(&w, 0);
	put8(&w, TLS_HT_CLIENT_HELLO);
	hs = w.len;
	put8(&w, 0);
	put16(&w, 0);
	put16(&w, version);
	/* A fixed random: nothing is derived from it, the handshake stops at
	 * the server's first answer. */
	for (i = 0; i < TLS_RANDOM_LEN; i++)
		put8(&w, (unsigned int)("VigieTLS"[i % 8]));
	put8(&w, 0);			/* no session id */
	put16(&w, (unsigned int)(2 * (nsuites + 1)));
	for (i = 0; i < nsuites; i++)
		put16(&w, suites[i].id);
	put16(&w, TLS_SCSV_RENEGO);
	put8(&w, 1);			/* compression: null only */
	put8(&w, 0);
	if (ext) {
		at = w.len;
		put16(&w, 0);
		if (sni_usable(sni)) {
			put16(&w, TLS_EXT_SERVER_NAME);
			put16(&w, (unsigned int)(strlen(sni) + 5));
			put16(&w, (unsigned int)(strlen(sni) + 3));
			put8(&w, 0);	/* host_name */
			put16(&w, (unsigned int)strlen(sni));
			put_bytes(&w, sni, strlen(sni));
		}
		put16(&w, TLS_EXT_GROUPS);
		put16(&w, (unsigned int)(2 + 2 * NELEM(groups)));
		put16(&w, (unsigned int)(2 * NELEM(groups)));
		for (i = 0; i < NELEM(groups); i++)
			put16(&w, groups[i]);
		put16(&w, TLS_EXT_POINT_FORMATS);
		put16(&w, 2);
		put8(&w, 1);
		put8(&w, 0);		/* uncompressed */
		if (sigs) {
			put16(&w, TLS_EXT_SIG_ALGS);
			put16(&w, (unsigned int)(2 + 2 * NELEM(sig_algs)));
			put16(&w, (unsigned int)(2 * NELEM(sig_algs)));
			for (i = 0; i < NELEM(sig_algs); i++)
				put16(&w, sig_algs[i]);
		}
		patch_len(&w, at, 2);
	}
	patch_len(&w, hs, 3);
	patch_len(&w, rec, 2);
	return w.over ? 0 : w.len;
}

enum parse_result
tls_parse_server_hello(const uint8_t *p, size_t len,
    struct tls_server_hello *h)
{
	uint8_t		hsb[TLS_HS_HDR + 2 + TLS_RANDOM_LEN + 1 +
			    TLS_SESSION_ID_MAX + 2 + 1];
	size_t		off = 0, hl = 0, rlen, n, need, sid;
	uint32_t	mlen = 0;

	memset(h, 0, sizeof(*h));
	while (len - off >= TLS_RECORD_HDR) {
		/* Any SSL 3.0 or TLS record: major version 3. */
		if (p[off + 1] != 3)
			return PARSE_BAD;
		rlen = (size_t)p[off + 3] << 8 | p[off + 4];
		if (rlen == 0 || rlen > TLS_RECORD_LEN_MAX)
			return PARSE_BAD;
		if (p[off] == TLS_CT_ALERT) {
			if (hl > 0)
				return PARSE_BAD;
			if (len - off - TLS_RECORD_HDR < 2)
				return PARSE_MORE;
			h->alert = true;
			h->alert_level = p[off + TLS_RECORD_HDR];
			h->alert_desc = p[off + TLS_RECORD_HDR + 1];
			return PARSE_OK;
		}
		if (p[off] != TLS_CT_HANDSHAKE)
			return PARSE_BAD;
		/* The fixed part of the ServerHello, across records. */
		n = len - off - TLS_RECORD_HDR;
		if (n > rlen)
			n = rlen;
		if (n > sizeof(hsb) - hl)
			n = sizeof(hsb) - hl;
		memcpy(hsb + hl, p + off + TLS_RECORD_HDR, n);
		hl += n;
		if (hl >= 1 && hsb[0] != TLS_HT_SERVER_HELLO)
			return PARSE_BAD;
		if (hl >= TLS_HS_HDR) {
			mlen = (uint32_t)hsb[1] << 16 | (uint32_t)hsb[2] << 8 |
			    hsb[3];
			if (mlen < 2 + TLS_RANDOM_LEN + 1 + 2 + 1 ||
			    mlen > TLS_SERVER_HELLO_MAX)
				return PARSE_BAD;
		}
		need = TLS_HS_HDR + 2 + TLS_RANDOM_LEN + 1;
		if (hl >= need) {
			sid = hsb[need - 1];
			if (sid > TLS_SESSION_ID_MAX ||
			    2 + TLS_RANDOM_LEN + 1 + sid + 2 + 1 > mlen)
				return PARSE_BAD;
			need += sid + 2 + 1;
			if (hl >= need) {
				h->version = (uint16_t)(hsb[4] << 8 | hsb[5]);
				h->cipher = (uint16_t)(hsb[need - 3] << 8 |
				    hsb[need - 2]);
				h->compression = hsb[need - 1];
				if (hsb[4] != 3)
					return PARSE_BAD;
				return PARSE_OK;
			}
		}
		if (len - off - TLS_RECORD_HDR < rlen)
			return PARSE_MORE;	/* the record is cut */
		off += TLS_RECORD_HDR + rlen;
	}
	return PARSE_MORE;
}

/* --- the measurement probes ---------------------------------------------- */

int
tls_measure_write(struct probe_session *s, enum tls_offer offer)
{
	uint8_t	hello[TLS_HELLO_MAX];
	size_t	n;

	n = tls_build_client_hello(hello, sizeof(hello), offer, probe_host(s));
	if (n == 0)
		return -1;
	return probe_write(s, hello, n);
}

static void
set_version(struct obs *o, uint16_t v, const char *val)
{
	const char	*key;

	if ((key = tls_version_key(v)) != NULL)
		obs_set(o, key, val);
}

/*
 * What an answer proves.  `h` is NULL when the server refused: an alert,
 * or the connection closed or stayed silent.  A server may choose any
 * version up to the one offered; one that answers above it is broken,
 * and proves nothing.
 */
static void
measure_record(struct obs *o, enum tls_offer offer,
    const struct tls_server_hello *h)
{
	const char	*name;
	uint16_t	 v = h != NULL && !h->alert ? h->version : 0, top, x;

	switch (offer) {
	case TLS_OFFER_WEAK:
		if (v != 0 && v <= TLS_V_1_2) {
			name = tls_cipher_name(h->cipher);
			if (name != NULL)
				obs_set(o, "tls.weak_cipher", name);
			else
				obs_setf(o, "tls.weak_cipher", "0x%04x",
				    h->cipher);
		} else if (v == 0) {
			obs_set(o, "tls.weak_cipher", "none");
		}
		return;
	case TLS_OFFER_LEGACY:
		top = TLS_V_1_1;
		break;
	case TLS_OFFER_TLS1:
		top = TLS_V_1_0;
		break;
	case TLS_OFFER_SSL3:
		top = TLS_V_SSL3;
		break;
	case TLS_OFFER_TLS12:
	default:
		top = TLS_V_1_2;
		break;
	}
	if (v > top)
		return;
	/* Refused: nothing from SSL 3.0 to `top`.  Accepted at v: v, and
	 * nothing above it up to `top`. */
	for (x = top; x >= TLS_V_SSL3 && x > v; x--)
		set_version(o, x, "no");
	if (v != 0) {
		set_version(o, v, "yes");
		if (offer == TLS_OFFER_LEGACY &&
		    (name = tls_cipher_name(h->cipher)) != NULL)
			obs_set(o, "tls.legacy_cipher", name);
	}
}

enum probe_status
tls_measure_read(struct probe_session *s, struct evbuffer *in,
    enum tls_offer offer)
{
	struct tls_server_hello	 h;
	const uint8_t		*p;
	size_t			 len = evbuffer_get_length(in);

	if (len == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (tls_parse_server_hello(p, len, &h)) {
	case PARSE_OK:
		measure_record(probe_obs(s), offer, &h);
		return PROBE_DONE;
	case PARSE_MORE:
		return PROBE_MORE;	/* the bytes stay: parsed again whole */
	case PARSE_BAD:
	default:
		return PROBE_DONE;	/* not TLS: nothing proven */
	}
}

/* Closed, or silent until the deadline, before a ServerHello: a refusal,
 * unless bytes came that were not one. */
void
tls_measure_eof(struct probe_session *s, struct evbuffer *in,
    enum tls_offer offer)
{
	if (evbuffer_get_length(in) == 0)
		measure_record(probe_obs(s), offer, NULL);
}

/*
 * Whether a measurement can add to what the connections before it
 * recorded (the runtime asks before each follow-up, and looks at
 * PROBE_THEN_MAX of them at most, skipped ones included).  TLS 1.0 alone
 * is worth asking only when TLS 1.1 was accepted; SSL 3.0 only when a TLS
 * 1.x below 1.2 was; TLS 1.2 alone only when the main handshake chose
 * TLS 1.3.
 */
static bool
has_yes(const struct obs *o, const char *key)
{
	const char	*v = obs_get(o, key);

	return v != NULL && strcmp(v, "yes") == 0;
}

bool
tls_want_tls1(const struct obs *so_far)
{
	return obs_get(so_far, "tls.tls1_0") == NULL &&
	    has_yes(so_far, "tls.tls1_1");
}

bool
tls_want_ssl3(const struct obs *so_far)
{
	return obs_get(so_far, "tls.ssl3") == NULL &&
	    (has_yes(so_far, "tls.tls1_0") || has_yes(so_far, "tls.tls1_1"));
}

bool
tls_want_tls12(const struct obs *so_far)
{
	return obs_get(so_far, "tls.tls1_2") == NULL &&
	    has_yes(so_far, "tls.tls1_3");
}

/* The measurement probes' callbacks: the offer is the module's arg. */
static int
measure_start(struct probe_session *s)
{
	return tls_measure_write(s, (enum tls_offer)probe_arg(s));
}

static enum probe_status
measure_read(struct probe_session *s, struct evbuffer *in)
{
	return tls_measure_read(s, in, (enum tls_offer)probe_arg(s));
}

static void
measure_eof(struct probe_session *s, struct evbuffer *in)
{
	tls_measure_eof(s, in, (enum tls_offer)probe_arg(s));
}

/* The chain, in order of what each tells for its cost: legacy protocols
 * and weak suites (findings), TLS 1.0 alone after TLS 1.1, TLS 1.2 after
 * TLS 1.3 (completeness), SSL 3.0 last: the runtime's PROBE_THEN_MAX
 * (4) leaves it room only when a link before it was not looked at. */
const struct probe probe_tls_ssl3 = {
	.name		= "tls_ssl3",
	.transport	= PROBE_TCP,
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_SSL3,
	.start		= measure_start,
	.on_read	= measure_read,
	.on_eof		= measure_eof,
	.wanted		= tls_want_ssl3,
};

const struct probe probe_tls_v12 = {
	.name		= "tls_v12",
	.transport	= PROBE_TCP,
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_TLS12,
	.start		= measure_start,
	.on_read	= measure_read,
	.on_eof		= measure_eof,
	.wanted		= tls_want_tls12,
	.then		= &probe_tls_ssl3,
};

const struct probe probe_tls_v1 = {
	.name		= "tls_v1",
	.transport	= PROBE_TCP,
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_TLS1,
	.start		= measure_start,
	.on_read	= measure_read,
	.on_eof		= measure_eof,
	.wanted		= tls_want_tls1,
	.then		= &probe_tls_v12,
};

const struct probe probe_tls_weak = {
	.name		= "tls_weak",
	.transport	= PROBE_TCP,
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_WEAK,
	.start		= measure_start,
	.on_read	= measure_read,
	.on_eof		= measure_eof,
	.then		= &probe_tls_v1,
};

const struct probe probe_tls_legacy = {
	.name		= "tls_legacy",
	.transport	= PROBE_TCP,
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_LEGACY,
	.start		= measure_start,
	.on_read	= measure_read,
	.on_eof		= measure_eof,
	.then		= &probe_tls_weak,
};
