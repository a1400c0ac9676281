/*
 * dicom.h - the DICOM probe's pure parts: the A-ASSOCIATE-RQ and
 * A-RELEASE-RQ we send, and the PDUs we read back (DICOM PS3.8, "Network
 * Communication Support for Message Exchange", section 9.3): the
 * A-ASSOCIATE-AC with its user information (PS3.7 annex D.3.3.2), the
 * A-ASSOCIATE-RJ and the A-ABORT.  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_DICOM_H
#define VIGIE_PROBES_DICOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

/* PDU types, PS3.8 9.3.1 (table 9-11). */
#define DICOM_PDU_ASSOCIATE_RQ	0x01
#define DICOM_PDU_ASSOCIATE_AC	0x02
#define DICOM_PDU_ASSOCIATE_RJ	0x03
#define DICOM_PDU_P_DATA_TF	0x04
#define DICOM_PDU_RELEASE_RQ	0x05
#define DICOM_PDU_RELEASE_RP	0x06
#define DICOM_PDU_ABORT		0x07

#define DICOM_PDU_HEADER	6	/* type, reserved, 4-byte length */
#define DICOM_PDU_MAX		16384	/* a longer PDU from a peer: refused */
#define DICOM_AE_LEN		16	/* AE titles, space-padded */
#define DICOM_UID_MAX		64	/* PS3.5 9.1 */
#define DICOM_VERSION_NAME_MAX	16	/* PS3.7 D.3.3.2.3 */
#define DICOM_RQ_MAX		512	/* our A-ASSOCIATE-RQ fits */
#define DICOM_RELEASE_LEN	10	/* A-RELEASE-RQ and -RP, PS3.8 9.3.6 */

/*
 * The AE titles the probe uses.  The called one is made up, so that no
 * server can be configured for it: a server that accepts it accepts any
 * title (research/exposure-anchors.md 3.4).
 */
#define DICOM_CALLED_AE		"VIGIE-PROBE"
#define DICOM_CALLING_AE	"VIGIE"

/*
 * Write an A-ASSOCIATE-RQ proposing one presentation context, the
 * Verification SOP class with Implicit VR Little Endian, from `calling`
 * to `called` (at most 16 characters each; longer ones are cut).
 * Returns its length, or 0 when outlen is too small.
 */
size_t			dicom_build_associate_rq(uint8_t *out, size_t outlen,
			    const char *called, const char *calling);
/* Write an A-RELEASE-RQ; returns DICOM_RELEASE_LEN, or 0 when outlen is
 * too small. */
size_t			dicom_build_release_rq(uint8_t *out, size_t outlen);

/* One PDU: its type and the bytes after the 6-byte header. */
struct dicom_pdu {
	uint8_t		type;
	struct span	body;
	size_t		used;		/* header + body */
};

/*
 * Parse the PDU at the start of the bytes.  PARSE_MORE while it is
 * incomplete; PARSE_BAD as soon as the type is not one of PS3.8's seven,
 * or the length is over DICOM_PDU_MAX or impossible for the type.
 */
enum parse_result	dicom_parse_pdu(const uint8_t *, size_t,
			    struct dicom_pdu *);

/* What an A-ASSOCIATE-AC tells; spans point into the PDU's body. */
struct dicom_ac {
	uint16_t	protocol_version;
	struct span	app_context;		/* "1.2.840.10008.3.1.1.1" */
	bool		have_pc;		/* a presentation context */
	uint8_t		pc_id;
	uint8_t		pc_result;		/* DICOM_PC_* */
	struct span	transfer_syntax;
	bool		have_max_len;
	uint32_t	max_len;		/* 0: no limit */
	struct span	impl_class_uid;
	struct span	impl_version;
};

/* Presentation context results, PS3.8 9.3.3.2 (table 9-18). */
#define DICOM_PC_ACCEPTANCE	0
#define DICOM_PC_USER_REJECTION	1
#define DICOM_PC_NO_REASON	2
#define DICOM_PC_ABSTRACT_NOT_SUPPORTED	3
#define DICOM_PC_TRANSFER_NOT_SUPPORTED	4

/*
 * Parse an A-ASSOCIATE-AC's body.  PARSE_BAD when the fixed part is
 * short or an item or sub-item runs past its container.  Unknown items
 * are skipped, as PS3.8 9.3.1 asks of a receiver.
 */
enum parse_result	dicom_parse_ac(struct span body, struct dicom_ac *);

/* A-ASSOCIATE-RJ, PS3.8 9.3.4 (table 9-21). */
struct dicom_rj {
	uint8_t		result;		/* 1 permanent, 2 transient */
	uint8_t		source;		/* 1 user, 2 ACSE, 3 presentation */
	uint8_t		reason;
};

#define DICOM_RJ_SOURCE_USER		1
#define DICOM_RJ_SOURCE_ACSE		2
#define DICOM_RJ_SOURCE_PRESENTATION	3
#define DICOM_RJ_CALLING_AE_UNKNOWN	3	/* source 1 */
#define DICOM_RJ_CALLED_AE_UNKNOWN	7	/* source 1 */

enum parse_result	dicom_parse_rj(struct span body, struct dicom_rj *);

/* A-ABORT, PS3.8 9.3.8 (table 9-26). */
struct dicom_abort {
	uint8_t		source;		/* 0 service user, 2 provider */
	uint8_t		reason;		/* meaningful for source 2 */
};

enum parse_result	dicom_parse_abort(struct span body,
			    struct dicom_abort *);

/* Names for the codes above ("called-ae-title-not-recognized",
 * "permanent", ...), or NULL for a code without one. */
const char		*dicom_rj_result_name(uint8_t);
const char		*dicom_rj_source_name(uint8_t);
const char		*dicom_rj_reason_name(uint8_t source, uint8_t reason);
const char		*dicom_abort_source_name(uint8_t);
const char		*dicom_abort_reason_name(uint8_t);
const char		*dicom_pc_result_name(uint8_t);

/*
 * The product an Implementation Version Name (or, without one, an
 * Implementation Class UID) tells: "OFFIS_DCMTK_367" is DCMTK 3.6.7.
 * Writes the version (empty when unknown) into `version`; returns the
 * product name, or NULL when neither names a known implementation.
 */
const char		*dicom_product(struct span version_name,
			    struct span class_uid, char *version,
			    size_t versionlen);

/* Record what an AC, an RJ or an A-ABORT says as dicom.* fields. */
void			dicom_record_ac(struct obs *, const struct dicom_ac *);
void			dicom_record_rj(struct obs *, const struct dicom_rj *);
void			dicom_record_abort(struct obs *,
			    const struct dicom_abort *);

#endif /* VIGIE_PROBES_DICOM_H */
