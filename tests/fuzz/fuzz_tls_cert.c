/*
 * Fuzz the certificate facts of the TLS client (probes/tls.c): DER bytes
 * through OpenSSL's d2i_X509, then the subject, issuer, names, validity,
 * key and signature into an observation, as after a handshake.  What is
 * recorded stays within the observation's bounds and is sanitised.
 * Built by `make fuzz`; replayed over tests/fuzz/corpus/tls_cert/ by
 * `make check`.  Seeded with certificates made by tests/fuzz/mkcerts.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigie/obs.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obs	o;
	size_t		i, j;
	int		rc;

	obs_init(&o);
	rc = tls_record_cert_der(&o, data, size);
	if (rc != 0 && rc != -1)
		__builtin_trap();
	if (rc == -1 && o.n != 0)
		__builtin_trap();
	fuzz_check_obs(&o);
	/* No control byte survives the sanitiser. */
	for (i = 0; i < o.n; i++)
		for (j = 0; o.f[i].val[j] != '\0'; j++)
			if ((unsigned char)o.f[i].val[j] < 0x20 ||
			    o.f[i].val[j] == 0x7f)
				__builtin_trap();
	obs_fini(&o);
	return 0;
}
