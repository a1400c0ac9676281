/*
 * check_tls.c - checks on the TLS facts the probes record (probes/tls.c):
 *
 *   the certificate: tls.self_signed and tls.expired ("yes"/"no"),
 *   tls.verify ("ok" or OpenSSL's verification error string,
 *   X509_verify_cert_error_string()), tls.key_type and tls.key_bits;
 *   the protocol: tls.version and tls.cipher of the main handshake, and
 *   the measurements after it: tls.ssl3, tls.tls1_0, tls.tls1_1,
 *   tls.tls1_2, tls.tls1_3 ("yes"/"no": accepted or refused), and
 *   tls.weak_cipher (a weak suite the server accepted, or "none").
 *
 * The certificate checks do not overlap: a self-signed certificate is
 * reported by tls_self_signed only, and a certificate whose only fault is
 * its date by tls_expired only.
 */
#include "fingerprints_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/obs.h"

/* X509_V_ERR_CERT_HAS_EXPIRED, as X509_verify_cert_error_string() says. */
#define VERIFY_EXPIRED	"certificate has expired"

static bool
is_yes(const char *v)
{
	return strcmp(v, "yes") == 0;
}

static void
add_field(const struct obs *obs, struct fp_evidence *ev, const char *key)
{
	fp_evidence_add(ev, key, obs_get(obs, key));
}

static enum fp_verdict
tls_self_signed(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*v;

	if ((v = obs_get(obs, "tls.self_signed")) == NULL)
		return FP_UNKNOWN;
	if (!is_yes(v))
		return FP_NO_MATCH;
	add_field(obs, ev, "tls.subject");
	add_field(obs, ev, "tls.issuer");
	return FP_MATCH;
}

const struct fp_check	fp_check_tls_self_signed = {
	.name	= "tls_self_signed",
	.eval	= tls_self_signed,
};

static enum fp_verdict
tls_expired(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*v;

	if ((v = obs_get(obs, "tls.expired")) == NULL)
		return FP_UNKNOWN;
	if (!is_yes(v))
		return FP_NO_MATCH;
	add_field(obs, ev, "tls.not_after");
	add_field(obs, ev, "tls.subject");
	return FP_MATCH;
}

const struct fp_check	fp_check_tls_expired = {
	.name	= "tls_expired",
	.eval	= tls_expired,
};

/*
 * The chain does not verify for another reason than a self-signed leaf
 * or an expiry: unknown or private authority, incomplete chain, wrong
 * purpose, not yet valid...
 */
static enum fp_verdict
tls_untrusted(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*verify, *self, *expired;

	if ((verify = obs_get(obs, "tls.verify")) == NULL)
		return FP_UNKNOWN;
	if (strcmp(verify, "ok") == 0)
		return FP_NO_MATCH;
	if ((self = obs_get(obs, "tls.self_signed")) != NULL && is_yes(self))
		return FP_NO_MATCH;
	if (strcmp(verify, VERIFY_EXPIRED) == 0 &&
	    (expired = obs_get(obs, "tls.expired")) != NULL && is_yes(expired))
		return FP_NO_MATCH;
	fp_evidence_add(ev, "tls.verify", verify);
	add_field(obs, ev, "tls.issuer");
	return FP_MATCH;
}

const struct fp_check	fp_check_tls_untrusted = {
	.name	= "tls_untrusted",
	.eval	= tls_untrusted,
};

/* The protocol versions, oldest first: OpenSSL's name and our key. */
static const struct {
	const char	*name;
	const char	*key;
	bool		 legacy;	/* RFC 8996: deprecated */
} versions[] = {
	{ .name = "SSLv3", .key = "tls.ssl3", .legacy = true },
	{ .name = "TLSv1", .key = "tls.tls1_0", .legacy = true },
	{ .name = "TLSv1.1", .key = "tls.tls1_1", .legacy = true },
	{ .name = "TLSv1.2", .key = "tls.tls1_2", .legacy = false },
	{ .name = "TLSv1.3", .key = "tls.tls1_3", .legacy = false },
};

#define NVERSIONS	(sizeof(versions) / sizeof(versions[0]))

/* Was version i accepted: the main handshake's, or measured "yes". */
static bool
accepted(const struct obs *obs, size_t i)
{
	const char	*v;

	if ((v = obs_get(obs, "tls.version")) != NULL &&
	    strcmp(v, versions[i].name) == 0)
		return true;
	return (v = obs_get(obs, versions[i].key)) != NULL && is_yes(v);
}

/*
 * SSL 3.0, TLS 1.0 or TLS 1.1 accepted (RFC 7568, RFC 8996).  Unknown
 * when none was accepted but TLS 1.1 was never offered alone: the main
 * handshake only shows the best version.
 */
static enum fp_verdict
tls_legacy_protocol(const struct obs *obs, struct fp_evidence *ev)
{
	char	list[64];
	size_t	i, o = 0;
	bool	legacy = false;
	int	n;

	if (obs_get(obs, "tls.version") == NULL &&
	    obs_get(obs, "tls.tls1_1") == NULL)
		return FP_UNKNOWN;
	list[0] = '\0';
	for (i = 0; i < NVERSIONS; i++) {
		if (!accepted(obs, i))
			continue;
		legacy = legacy || versions[i].legacy;
		n = snprintf(list + o, sizeof(list) - o, "%s%s",
		    o > 0 ? " " : "", versions[i].name);
		if (n > 0 && (size_t)n < sizeof(list) - o)
			o += (size_t)n;
	}
	if (!legacy)
		return obs_get(obs, "tls.tls1_1") != NULL ? FP_NO_MATCH :
		    FP_UNKNOWN;
	fp_evidence_add(ev, "tls.versions", list);
	add_field(obs, ev, "tls.legacy_cipher");
	return FP_MATCH;
}

const struct fp_check	fp_check_tls_legacy_protocol = {
	.name	= "tls_legacy_protocol",
	.eval	= tls_legacy_protocol,
};

/*
 * A weak suite in OpenSSL's naming: RC4 and RC2, DES and 3DES (64-bit
 * blocks: SWEET32), IDEA, export grade, no encryption (NULL), no
 * authentication (ADH, AECDH).
 */
static bool
weak_cipher_name(const char *c)
{
	static const char *const	weak[] = {
		"RC4", "RC2", "DES-CBC3", "3DES", "DES-CBC-", "IDEA", "EXP",
		"NULL", "ADH", "AECDH", "anon",
	};
	size_t	i;

	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++)
		if (strstr(c, weak[i]) != NULL)
			return true;
	return false;
}

/*
 * The main handshake chose a weak suite, or a server offered only weak
 * suites accepted one.  Unknown when the latter was not measured.
 */
static enum fp_verdict
tls_weak_cipher(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*main_c, *weak;

	main_c = obs_get(obs, "tls.cipher");
	weak = obs_get(obs, "tls.weak_cipher");
	if (main_c != NULL && weak_cipher_name(main_c)) {
		fp_evidence_add(ev, "tls.cipher", main_c);
		add_field(obs, ev, "tls.version");
		return FP_MATCH;
	}
	if (weak != NULL && strcmp(weak, "none") != 0) {
		fp_evidence_add(ev, "tls.weak_cipher", weak);
		return FP_MATCH;
	}
	return weak != NULL ? FP_NO_MATCH : FP_UNKNOWN;
}

const struct fp_check	fp_check_tls_weak_cipher = {
	.name	= "tls_weak_cipher",
	.eval	= tls_weak_cipher,
};

/* Minimum sizes: ANSSI's RGS B1 and NIST SP 800-57 (2048-bit RSA and
 * DSA, 256-bit elliptic curves). */
#define KEY_MIN_RSA	2048
#define KEY_MIN_EC	256

static enum fp_verdict
tls_short_key(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*type, *bits;
	char		*end;
	long		 n, min;

	if ((type = obs_get(obs, "tls.key_type")) == NULL ||
	    (bits = obs_get(obs, "tls.key_bits")) == NULL)
		return FP_UNKNOWN;
	n = strtol(bits, &end, 10);
	if (end == bits || *end != '\0' || n <= 0)
		return FP_UNKNOWN;
	if (strcmp(type, "RSA") == 0 || strcmp(type, "DSA") == 0)
		min = KEY_MIN_RSA;
	else if (strcmp(type, "EC") == 0)
		min = KEY_MIN_EC;
	else
		return FP_NO_MATCH;	/* Ed25519 and the like */
	if (n >= min)
		return FP_NO_MATCH;
	fp_evidence_add(ev, "tls.key_type", type);
	fp_evidence_add(ev, "tls.key_bits", bits);
	add_field(obs, ev, "tls.subject");
	return FP_MATCH;
}

const struct fp_check	fp_check_tls_short_key = {
	.name	= "tls_short_key",
	.eval	= tls_short_key,
};
