/*
 * hl7.h - the HL7 probe's pure parts: the MLLP block (HL7 v2, "Minimal
 * Lower Layer Protocol", release 1 and the commit acknowledgements of
 * release 2) and the few fields of an acknowledgement message we read
 * (HL7 v2.5 chapter 2: MSH, MSA).  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_HL7_H
#define VIGIE_PROBES_HL7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

/* MLLP framing: <SB> content <EB><CR>. */
#define HL7_MLLP_SB		0x0b	/* start block, <VT> */
#define HL7_MLLP_EB		0x1c	/* end block, <FS> */
#define HL7_MLLP_CR		0x0d
#define HL7_MLLP_ACK		0x06	/* release 2 commit acknowledgement */
#define HL7_MLLP_NAK		0x15	/* release 2 negative commit */
#define HL7_SEGMENT_END		0x0d	/* segments end with <CR> */

#define HL7_FRAME_MAX		8192	/* a longer block: refused */
#define HL7_FIELD_MAX		128	/* bytes of a field kept */
#define HL7_PROBE_LEN		3	/* our stimulus */

/*
 * Write the stimulus: an empty MLLP block, <SB><EB><CR>.  It carries no
 * HL7 message at all, so nothing can enter a clinical system; an
 * interface engine answers it with a negative acknowledgement (or with
 * an MLLP release 2 NAK), or closes.  Returns HL7_PROBE_LEN, or 0 when
 * outlen is too small.
 */
size_t			hl7_build_probe(uint8_t *out, size_t outlen);

/* One MLLP block. */
struct hl7_frame {
	struct span	content;	/* between <SB> and <EB><CR> */
	size_t		used;		/* the whole block */
};

/*
 * Parse the block at the start of the bytes.  PARSE_MORE while it is
 * incomplete (up to HL7_FRAME_MAX); PARSE_BAD when the first byte is not
 * <SB>, <EB> is not followed by <CR>, or the block is too long.
 */
enum parse_result	hl7_parse_frame(const uint8_t *, size_t,
			    struct hl7_frame *);

/*
 * The fields of a message we record; spans point into the content, are
 * empty when absent and are not unescaped.  HL7 numbers MSH's fields
 * from the field separator itself, MSH-1.
 */
struct hl7_message {
	uint8_t		field_sep;		/* MSH-1, usually '|' */
	uint8_t		component_sep;		/* MSH-2's first, '^' */
	struct span	sending_application;	/* MSH-3 */
	struct span	sending_facility;	/* MSH-4 */
	struct span	message_type;		/* MSH-9, "ACK" */
	struct span	control_id;		/* MSH-10 */
	struct span	version;		/* MSH-12, first component */
	bool		have_msa;
	struct span	ack_code;		/* MSA-1: AA, AE, AR, CA ... */
	struct span	ack_text;		/* MSA-3 */
};

/*
 * Parse a block's content as an HL7 v2 message: PARSE_OK when it opens
 * with an MSH segment ("MSH" and a separator that is not a letter, a
 * digit or a control byte), PARSE_BAD otherwise.  A content cut short
 * parses as far as it goes.
 */
enum parse_result	hl7_parse_message(struct span content,
			    struct hl7_message *);

/* Record hl7.* fields for a parsed message. */
void			hl7_record_message(struct obs *,
			    const struct hl7_message *);

#endif /* VIGIE_PROBES_HL7_H */
