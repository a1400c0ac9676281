/*
 * Fuzz the DICOM upper-layer parsers (probes/dicom.c): the PDU, the
 * A-ASSOCIATE-AC and its items, A-ASSOCIATE-RJ and A-ABORT, the product
 * names, and the DICOM probe session.  Built by `make fuzz`; replayed
 * over tests/fuzz/corpus/dicom/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probes/dicom.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dicom_pdu	 pdu;
	struct dicom_ac		 ac;
	struct dicom_rj		 rj;
	struct dicom_abort	 ab;
	const char		*product;
	char			 version[32];

	if (dicom_parse_pdu(data, size, &pdu) == PARSE_OK) {
		if (pdu.used > size || pdu.used > DICOM_PDU_MAX ||
		    pdu.body.len + DICOM_PDU_HEADER != pdu.used)
			__builtin_trap();
		FUZZ_INSIDE(pdu.body, data, size);
		if (dicom_parse_ac(pdu.body, &ac) == PARSE_OK) {
			FUZZ_INSIDE(ac.app_context, data, size);
			FUZZ_INSIDE(ac.transfer_syntax, data, size);
			FUZZ_INSIDE(ac.impl_class_uid, data, size);
			FUZZ_INSIDE(ac.impl_version, data, size);
			product = dicom_product(ac.impl_version,
			    ac.impl_class_uid, version, sizeof(version));
			if (memchr(version, '\0', sizeof(version)) == NULL ||
			    (product == NULL && version[0] != '\0'))
				__builtin_trap();
		}
		(void)dicom_parse_rj(pdu.body, &rj);
		(void)dicom_parse_abort(pdu.body, &ab);
	}
	/* The product namer on raw bytes, as a name and as a UID. */
	product = dicom_product(span_of(data, size), span_of(NULL, 0),
	    version, sizeof(version));
	if (memchr(version, '\0', sizeof(version)) == NULL)
		__builtin_trap();
	(void)dicom_product(span_of(NULL, 0), span_of(data, size), version,
	    sizeof(version));
	(void)product;
	fuzz_session(&probe_dicom, 104, data, size);
	return 0;
}
