/*
 * tls.c - the auditing TLS client: a context that still speaks TLS 1.0
 * and legacy ciphers (SECLEVEL=0) so that legacy servers are seen for what
 * they are, and the facts recorded after a handshake: protocol version,
 * cipher, and the leaf certificate's subject, issuer, names, validity,
 * key and signature, plus whether the chain verifies against the system
 * trust store.  Verification never stops a handshake: we record, we do
 * not refuse.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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
	long		 vr;

	obs_set(o, "tls.version", SSL_get_version(ssl));
	obs_set(o, "tls.cipher", SSL_get_cipher_name(ssl));
	if ((cert = SSL_get1_peer_certificate(ssl)) == NULL)
		return;
	record_cert(o, cert);
	vr = SSL_get_verify_result(ssl);
	obs_set(o, "tls.verify", vr == X509_V_OK ? "ok" :
	    X509_verify_cert_error_string(vr));
	X509_free(cert);
}
