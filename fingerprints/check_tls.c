/*
 * check_tls.c - checks on the certificate facts the TLS runtime records
 * (probes/tls.c): tls.self_signed and tls.expired ("yes"/"no"), and
 * tls.verify, "ok" or OpenSSL's verification error string
 * (X509_verify_cert_error_string()).
 *
 * The three checks do not overlap: a self-signed certificate is reported
 * by tls_self_signed only, and a certificate whose only fault is its date
 * by tls_expired only.
 */
#include "fingerprints_internal.h"

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
