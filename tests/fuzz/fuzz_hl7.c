/*
 * Fuzz the MLLP block and HL7 message parsers (probes/hl7.c) and the HL7
 * probe session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/hl7/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/hl7.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_message(struct span content, const uint8_t *data, size_t size)
{
	struct hl7_message	m;

	if (hl7_parse_message(content, &m) != PARSE_OK)
		return;
	FUZZ_INSIDE(m.sending_application, data, size);
	FUZZ_INSIDE(m.sending_facility, data, size);
	FUZZ_INSIDE(m.message_type, data, size);
	FUZZ_INSIDE(m.control_id, data, size);
	FUZZ_INSIDE(m.version, data, size);
	FUZZ_INSIDE(m.ack_code, data, size);
	FUZZ_INSIDE(m.ack_text, data, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hl7_frame	f;

	if (hl7_parse_frame(data, size, &f) == PARSE_OK) {
		if (f.used > size || f.used > HL7_FRAME_MAX ||
		    f.content.len + 3 != f.used)
			__builtin_trap();
		FUZZ_INSIDE(f.content, data, size);
		check_message(f.content, data, size);
	}
	check_message(span_of(data, size), data, size);
	fuzz_session(&probe_hl7, 2575, data, size);
	return 0;
}
