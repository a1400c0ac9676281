/*
 * dicom.c - DICOM probe (ports 104, 4242 and 11112: the IANA port, Orthanc's
 * default and the usual unprivileged one).  Sends one A-ASSOCIATE-RQ
 * (PS3.8 9.3.2) proposing the Verification SOP class with Implicit VR
 * Little Endian, from calling AE "VIGIE" to a made-up called AE title,
 * and reads the answer:
 *
 *   A-ASSOCIATE-AC  the server accepts an AE title it cannot know, so any
 *                   caller may open an association (and, on a PACS,
 *                   query and retrieve patient images).  We record its
 *                   Implementation Class UID and Version Name, which name
 *                   the software, then send A-RELEASE-RQ and wait for the
 *                   A-RELEASE-RP before closing.
 *   A-ASSOCIATE-RJ  result, source and reason ("called AE title not
 *                   recognized": the server checks titles).
 *   A-ABORT         source and reason.
 *
 * We never send a DIMSE message (no C-ECHO, and certainly no C-FIND).
 */
#include "probes/dicom.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* The fixed part of A-ASSOCIATE-RQ and -AC after the PDU header,
 * PS3.8 9.3.2 and 9.3.3: protocol version, reserved, called AE, calling
 * AE, 32 reserved bytes. */
#define DICOM_PROTOCOL_VERSION	0x0001
#define DICOM_ASSOC_FIXED	(2 + 2 + DICOM_AE_LEN + DICOM_AE_LEN + 32)
#define DICOM_SHORT_PDU_LEN	4	/* RJ, release and abort bodies */
#define DICOM_ITEM_HEADER	4	/* type, reserved, 2-byte length */
#define DICOM_PC_FIXED		4	/* id, reserved, result, reserved */

/* Item and sub-item types, PS3.8 9.3.2 and 9.3.3, PS3.7 D.3.3.2. */
#define DICOM_ITEM_APP_CONTEXT	0x10
#define DICOM_ITEM_PC_RQ	0x20
#define DICOM_ITEM_PC_AC	0x21
#define DICOM_ITEM_ABSTRACT	0x30
#define DICOM_ITEM_TRANSFER	0x40
#define DICOM_ITEM_USER_INFO	0x50
#define DICOM_SUB_MAX_LENGTH	0x51	/* PS3.8 D.1 */
#define DICOM_SUB_IMPL_CLASS	0x52	/* PS3.7 D.3.3.2.1 */
#define DICOM_SUB_IMPL_VERSION	0x55	/* PS3.7 D.3.3.2.3 */

/* The UIDs we propose (PS3.6 annex A). */
#define UID_APP_CONTEXT		"1.2.840.10008.3.1.1.1"	/* DICOM */
#define UID_VERIFICATION	"1.2.840.10008.1.1"
#define UID_IMPLICIT_LE		"1.2.840.10008.1.2"

/*
 * Vigie's own Implementation Class UID: a UUID-derived UID (PS3.5 B.2,
 * root 2.25), since the project has no registered root.  The version
 * name is at most 16 characters.
 */
#define VIGIE_IMPL_CLASS_UID	"2.25.18451495095441243138843996326778368510"
#define VIGIE_IMPL_VERSION	"VIGIE_" VIGIE_VERSION
#define VIGIE_PC_ID		1	/* odd, PS3.8 9.3.2.2 */
#define VIGIE_MAX_PDU		DICOM_PDU_MAX

#define DICOM_PRODUCT_VERSION_MAX	32

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* An item (or sub-item) header at out + o; the caller has checked the
 * room.  Returns the offset of its value. */
static size_t
put_header(uint8_t *out, size_t o, uint8_t type, size_t len)
{
	out[o] = type;
	out[o + 1] = 0;
	put_be16(out + o + 2, (uint16_t)len);
	return o + DICOM_ITEM_HEADER;
}

/* An item and its value; returns the offset after it. */
static size_t
put_item(uint8_t *out, size_t o, uint8_t type, const void *v, size_t len)
{
	o = put_header(out, o, type, len);
	memcpy(out + o, v, len);
	return o + len;
}

/* A 16-byte AE title field, space-padded (PS3.8 9.3.2). */
static void
put_ae(uint8_t *p, const char *ae)
{
	size_t	n = strlen(ae);

	memset(p, ' ', DICOM_AE_LEN);
	memcpy(p, ae, n < DICOM_AE_LEN ? n : DICOM_AE_LEN);
}

size_t
dicom_build_associate_rq(uint8_t *out, size_t outlen, const char *called,
    const char *calling)
{
	static const char	ac[] = UID_APP_CONTEXT;
	static const char	as[] = UID_VERIFICATION;
	static const char	ts[] = UID_IMPLICIT_LE;
	static const char	uid[] = VIGIE_IMPL_CLASS_UID;
	static const char	ver[] = VIGIE_IMPL_VERSION;
	uint8_t			maxlen[4];
	size_t			pc_len, ui_len, total, o;

	pc_len = DICOM_PC_FIXED + DICOM_ITEM_HEADER + sizeof(as) - 1 +
	    DICOM_ITEM_HEADER + sizeof(ts) - 1;
	ui_len = DICOM_ITEM_HEADER + sizeof(maxlen) + DICOM_ITEM_HEADER +
	    sizeof(uid) - 1 + DICOM_ITEM_HEADER + sizeof(ver) - 1;
	total = DICOM_PDU_HEADER + DICOM_ASSOC_FIXED + DICOM_ITEM_HEADER +
	    sizeof(ac) - 1 + DICOM_ITEM_HEADER + pc_len + DICOM_ITEM_HEADER +
	    ui_len;
	if (outlen < total)
		return 0;
	memset(out, 0, total);
	out[0] = DICOM_PDU_ASSOCIATE_RQ;
	put_be32(out + 2, (uint32_t)(total - DICOM_PDU_HEADER));
	put_be16(out + 6, DICOM_PROTOCOL_VERSION);
	put_ae(out + 10, called);
	put_ae(out + 10 + DICOM_AE_LEN, calling);
	o = DICOM_PDU_HEADER + DICOM_ASSOC_FIXED;

	o = put_item(out, o, DICOM_ITEM_APP_CONTEXT, ac, sizeof(ac) - 1);

	o = put_header(out, o, DICOM_ITEM_PC_RQ, pc_len);
	out[o] = VIGIE_PC_ID;		/* then three reserved bytes */
	o += DICOM_PC_FIXED;
	o = put_item(out, o, DICOM_ITEM_ABSTRACT, as, sizeof(as) - 1);
	o = put_item(out, o, DICOM_ITEM_TRANSFER, ts, sizeof(ts) - 1);

	o = put_header(out, o, DICOM_ITEM_USER_INFO, ui_len);
	put_be32(maxlen, VIGIE_MAX_PDU);
	o = put_item(out, o, DICOM_SUB_MAX_LENGTH, maxlen, sizeof(maxlen));
	o = put_item(out, o, DICOM_SUB_IMPL_CLASS, uid, sizeof(uid) - 1);
	o = put_item(out, o, DICOM_SUB_IMPL_VERSION, ver, sizeof(ver) - 1);
	return o;
}

size_t
dicom_build_release_rq(uint8_t *out, size_t outlen)
{
	if (outlen < DICOM_RELEASE_LEN)
		return 0;
	memset(out, 0, DICOM_RELEASE_LEN);
	out[0] = DICOM_PDU_RELEASE_RQ;
	put_be32(out + 2, DICOM_SHORT_PDU_LEN);
	return DICOM_RELEASE_LEN;
}

enum parse_result
dicom_parse_pdu(const uint8_t *p, size_t len, struct dicom_pdu *pdu)
{
	uint32_t	n;

	memset(pdu, 0, sizeof(*pdu));
	if (len < 1)
		return PARSE_MORE;
	if (p[0] < DICOM_PDU_ASSOCIATE_RQ || p[0] > DICOM_PDU_ABORT)
		return PARSE_BAD;
	if (len < DICOM_PDU_HEADER)
		return PARSE_MORE;
	/* The reserved byte "shall not be tested" (PS3.8 9.3.1). */
	n = get_be32(p + 2);
	if (n > DICOM_PDU_MAX - DICOM_PDU_HEADER)
		return PARSE_BAD;
	switch (p[0]) {
	case DICOM_PDU_ASSOCIATE_RQ:
	case DICOM_PDU_ASSOCIATE_AC:
		if (n < DICOM_ASSOC_FIXED)
			return PARSE_BAD;
		break;
	case DICOM_PDU_ASSOCIATE_RJ:
	case DICOM_PDU_RELEASE_RQ:
	case DICOM_PDU_RELEASE_RP:
	case DICOM_PDU_ABORT:
		if (n != DICOM_SHORT_PDU_LEN)
			return PARSE_BAD;
		break;
	case DICOM_PDU_P_DATA_TF:
	default:
		break;
	}
	if (len - DICOM_PDU_HEADER < n)
		return PARSE_MORE;
	pdu->type = p[0];
	pdu->body = span_of(p + DICOM_PDU_HEADER, n);
	pdu->used = DICOM_PDU_HEADER + n;
	return PARSE_OK;
}

/*
 * The item at p[o]: its type and value.  Returns the offset after it, or
 * 0 when it runs past `len` (an item is at least 4 bytes, so 0 is never a
 * valid next offset).
 */
static size_t
next_item(const uint8_t *p, size_t len, size_t o, uint8_t *type,
    struct span *value)
{
	size_t	n;

	if (len - o < DICOM_ITEM_HEADER)
		return 0;
	n = get_be16(p + o + 2);
	if (len - o - DICOM_ITEM_HEADER < n)
		return 0;
	*type = p[o];
	*value = span_of(p + o + DICOM_ITEM_HEADER, n);
	return o + DICOM_ITEM_HEADER + n;
}

/* Presentation context (AC), PS3.8 9.3.3.2: PARSE_OK or PARSE_BAD. */
static enum parse_result
parse_pc(struct span v, struct dicom_ac *ac)
{
	struct span	sub;
	uint8_t		type;
	size_t		o;

	if (v.len < DICOM_PC_FIXED)
		return PARSE_BAD;
	if (ac->have_pc)
		return PARSE_OK;	/* we proposed one: keep the first */
	ac->have_pc = true;
	ac->pc_id = v.p[0];
	ac->pc_result = v.p[2];
	for (o = DICOM_PC_FIXED; o < v.len; ) {
		if ((o = next_item(v.p, v.len, o, &type, &sub)) == 0)
			return PARSE_BAD;
		if (type == DICOM_ITEM_TRANSFER)
			ac->transfer_syntax = sub;
	}
	return PARSE_OK;
}

/* User information, PS3.8 9.3.3.3 and annex D: PARSE_OK or PARSE_BAD. */
static enum parse_result
parse_user_info(struct span v, struct dicom_ac *ac)
{
	struct span	sub;
	uint8_t		type;
	size_t		o;

	for (o = 0; o < v.len; ) {
		if ((o = next_item(v.p, v.len, o, &type, &sub)) == 0)
			return PARSE_BAD;
		switch (type) {
		case DICOM_SUB_MAX_LENGTH:
			if (sub.len != 4)
				return PARSE_BAD;
			ac->have_max_len = true;
			ac->max_len = get_be32(sub.p);
			break;
		case DICOM_SUB_IMPL_CLASS:
			ac->impl_class_uid = sub;
			break;
		case DICOM_SUB_IMPL_VERSION:
			ac->impl_version = sub;
			break;
		default:
			break;		/* role selection, extended ... */
		}
	}
	return PARSE_OK;
}

enum parse_result
dicom_parse_ac(struct span body, struct dicom_ac *ac)
{
	struct span	v;
	uint8_t		type;
	size_t		o;

	memset(ac, 0, sizeof(*ac));
	if (body.len < DICOM_ASSOC_FIXED)
		return PARSE_BAD;
	ac->protocol_version = get_be16(body.p);
	for (o = DICOM_ASSOC_FIXED; o < body.len; ) {
		if ((o = next_item(body.p, body.len, o, &type, &v)) == 0)
			return PARSE_BAD;
		switch (type) {
		case DICOM_ITEM_APP_CONTEXT:
			ac->app_context = v;
			break;
		case DICOM_ITEM_PC_AC:
			if (parse_pc(v, ac) != PARSE_OK)
				return PARSE_BAD;
			break;
		case DICOM_ITEM_USER_INFO:
			if (parse_user_info(v, ac) != PARSE_OK)
				return PARSE_BAD;
			break;
		default:
			break;
		}
	}
	return PARSE_OK;
}

enum parse_result
dicom_parse_rj(struct span body, struct dicom_rj *rj)
{
	memset(rj, 0, sizeof(*rj));
	if (body.len != DICOM_SHORT_PDU_LEN)
		return PARSE_BAD;
	rj->result = body.p[1];
	rj->source = body.p[2];
	rj->reason = body.p[3];
	return PARSE_OK;
}

enum parse_result
dicom_parse_abort(struct span body, struct dicom_abort *ab)
{
	memset(ab, 0, sizeof(*ab));
	if (body.len != DICOM_SHORT_PDU_LEN)
		return PARSE_BAD;
	ab->source = body.p[2];
	ab->reason = body.p[3];
	return PARSE_OK;
}

const char *
dicom_rj_result_name(uint8_t result)
{
	switch (result) {
	case 1:
		return "permanent";
	case 2:
		return "transient";
	default:
		return NULL;
	}
}

const char *
dicom_rj_source_name(uint8_t source)
{
	switch (source) {
	case DICOM_RJ_SOURCE_USER:
		return "service-user";
	case DICOM_RJ_SOURCE_ACSE:
		return "service-provider-acse";
	case DICOM_RJ_SOURCE_PRESENTATION:
		return "service-provider-presentation";
	default:
		return NULL;
	}
}

/* PS3.8 table 9-21: the reasons depend on the source. */
const char *
dicom_rj_reason_name(uint8_t source, uint8_t reason)
{
	switch (source) {
	case DICOM_RJ_SOURCE_USER:
		switch (reason) {
		case 1:
			return "no-reason-given";
		case 2:
			return "application-context-name-not-supported";
		case DICOM_RJ_CALLING_AE_UNKNOWN:
			return "calling-ae-title-not-recognized";
		case DICOM_RJ_CALLED_AE_UNKNOWN:
			return "called-ae-title-not-recognized";
		default:
			return NULL;
		}
	case DICOM_RJ_SOURCE_ACSE:
		switch (reason) {
		case 1:
			return "no-reason-given";
		case 2:
			return "protocol-version-not-supported";
		default:
			return NULL;
		}
	case DICOM_RJ_SOURCE_PRESENTATION:
		switch (reason) {
		case 1:
			return "temporary-congestion";
		case 2:
			return "local-limit-exceeded";
		default:
			return NULL;
		}
	default:
		return NULL;
	}
}

const char *
dicom_abort_source_name(uint8_t source)
{
	switch (source) {
	case 0:
		return "service-user";
	case 2:
		return "service-provider";
	default:
		return NULL;
	}
}

/* PS3.8 table 9-26, for a provider-initiated abort. */
const char *
dicom_abort_reason_name(uint8_t reason)
{
	switch (reason) {
	case 0:
		return "reason-not-specified";
	case 1:
		return "unrecognized-pdu";
	case 2:
		return "unexpected-pdu";
	case 4:
		return "unrecognized-pdu-parameter";
	case 5:
		return "unexpected-pdu-parameter";
	case 6:
		return "invalid-pdu-parameter-value";
	default:
		return NULL;
	}
}

const char *
dicom_pc_result_name(uint8_t result)
{
	switch (result) {
	case DICOM_PC_ACCEPTANCE:
		return "acceptance";
	case DICOM_PC_USER_REJECTION:
		return "user-rejection";
	case DICOM_PC_NO_REASON:
		return "no-reason";
	case DICOM_PC_ABSTRACT_NOT_SUPPORTED:
		return "abstract-syntax-not-supported";
	case DICOM_PC_TRANSFER_NOT_SUPPORTED:
		return "transfer-syntaxes-not-supported";
	default:
		return NULL;
	}
}

/* UIDs and names arrive padded with NULs or spaces by some stacks,
 * though PS3.8 asks for neither. */
static struct span
trim_pad(struct span s)
{
	while (s.len > 0 && (s.p[s.len - 1] == '\0' ||
	    s.p[s.len - 1] == ' '))
		s.len--;
	while (s.len > 0 && s.p[0] == ' ') {
		s.p++;
		s.len--;
	}
	return s;
}

static bool
all_digits(const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return len > 0;
}

/* "367" is 3.6.7, "3610" 3.6.10: one digit each for major and minor. */
static void
dotted_digits(const uint8_t *p, size_t len, char *out, size_t outlen)
{
	out[0] = '\0';
	if (len < 2 || len > 4 || !all_digits(p, len))
		return;
	if (len == 2)
		snprintf(out, outlen, "%c.%c", p[0], p[1]);
	else
		snprintf(out, outlen, "%c.%c.%.*s", p[0], p[1],
		    (int)(len - 2), (const char *)p + 2);
}

/* How an implementation spells its version after its name. */
enum dicom_vform {
	DICOM_VF_DIGITS,		/* "OFFIS_DCMTK_367" */
	DICOM_VF_TOKEN,			/* "dcm4che-5.31.0", "fo-dicom 4.0.7" */
};

static const struct {
	const char		*prefix;	/* case-insensitive */
	const char		*product;
	enum dicom_vform	 form;
} dicom_impls[] = {
	{ .prefix = "OFFIS_DCMTK_", .product = "DCMTK",
	  .form = DICOM_VF_DIGITS },
	{ .prefix = "PYNETDICOM_", .product = "pynetdicom",
	  .form = DICOM_VF_DIGITS },
	{ .prefix = "dcm4che", .product = "dcm4che",
	  .form = DICOM_VF_TOKEN },
	{ .prefix = "fo-dicom", .product = "fo-dicom",
	  .form = DICOM_VF_TOKEN },
	{ .prefix = "Orthanc", .product = "Orthanc",
	  .form = DICOM_VF_TOKEN },
};

/* DCMTK's class UID is its root, ".0.", then its version. */
#define DCMTK_CLASS_UID_PREFIX	"1.2.276.0.7230010.3.0."

const char *
dicom_product(struct span name, struct span uid, char *version,
    size_t versionlen)
{
	struct span	v;
	size_t		i, n, plen = sizeof(DCMTK_CLASS_UID_PREFIX) - 1;

	if (versionlen == 0)
		return NULL;
	version[0] = '\0';
	name = trim_pad(name);
	uid = trim_pad(uid);
	for (i = 0; i < NELEM(dicom_impls); i++) {
		n = strlen(dicom_impls[i].prefix);
		if (name.p == NULL || name.len < n ||
		    strncasecmp((const char *)name.p, dicom_impls[i].prefix,
		    n) != 0)
			continue;
		if (dicom_impls[i].form == DICOM_VF_DIGITS) {
			dotted_digits(name.p + n, name.len - n, version,
			    versionlen);
		} else {
			while (n < name.len && (name.p[n] == '-' ||
			    name.p[n] == '_' || name.p[n] == ' '))
				n++;
			v = parse_version_token(name.p + n, name.len - n);
			if (v.len > 0 && v.len < versionlen) {
				memcpy(version, v.p, v.len);
				version[v.len] = '\0';
			}
		}
		return dicom_impls[i].product;
	}
	if (name.len == 0 && uid.len > plen && uid.len - plen < versionlen &&
	    memcmp(uid.p, DCMTK_CLASS_UID_PREFIX, plen) == 0) {
		/* A UID is digits and dots (PS3.5 9.1). */
		for (i = plen; i < uid.len; i++)
			if (uid.p[i] != '.' && (uid.p[i] < '0' ||
			    uid.p[i] > '9'))
				return "DCMTK";
		memcpy(version, uid.p + plen, uid.len - plen);
		version[uid.len - plen] = '\0';
		return "DCMTK";
	}
	return NULL;
}

/* A span cut to `max` bytes. */
static struct span
bounded(struct span s, size_t max)
{
	if (s.len > max)
		s.len = max;
	return s;
}

static void
set_code(struct obs *obs, const char *key, const char *name, unsigned int v)
{
	if (name != NULL)
		obs_set(obs, key, name);
	else
		obs_setf(obs, key, "%u", v);
}

void
dicom_record_ac(struct obs *obs, const struct dicom_ac *ac)
{
	char		 version[DICOM_PRODUCT_VERSION_MAX];
	const char	*product;

	obs_set(obs, "dicom.association", "accepted");
	if (ac->have_pc)
		set_code(obs, "dicom.verification",
		    dicom_pc_result_name(ac->pc_result), ac->pc_result);
	if (ac->have_max_len)
		obs_setf(obs, "dicom.max_pdu", "%u", ac->max_len);
	obs_set_span(obs, "dicom.implementation_class_uid",
	    bounded(trim_pad(ac->impl_class_uid), DICOM_UID_MAX));
	obs_set_span(obs, "dicom.implementation_version",
	    bounded(trim_pad(ac->impl_version), DICOM_VERSION_NAME_MAX));
	product = dicom_product(bounded(ac->impl_version,
	    DICOM_VERSION_NAME_MAX), bounded(ac->impl_class_uid,
	    DICOM_UID_MAX), version, sizeof(version));
	if (product != NULL) {
		obs_set(obs, "product", product);
		obs_set(obs, "version", version);
	}
}

void
dicom_record_rj(struct obs *obs, const struct dicom_rj *rj)
{
	obs_set(obs, "dicom.association", "rejected");
	set_code(obs, "dicom.reject_result", dicom_rj_result_name(rj->result),
	    rj->result);
	set_code(obs, "dicom.reject_source", dicom_rj_source_name(rj->source),
	    rj->source);
	set_code(obs, "dicom.reject_reason", dicom_rj_reason_name(rj->source,
	    rj->reason), rj->reason);
}

void
dicom_record_abort(struct obs *obs, const struct dicom_abort *ab)
{
	obs_set(obs, "dicom.association", "aborted");
	set_code(obs, "dicom.abort_source",
	    dicom_abort_source_name(ab->source), ab->source);
	if (ab->source == 2)
		set_code(obs, "dicom.abort_reason",
		    dicom_abort_reason_name(ab->reason), ab->reason);
}

enum dicom_step {
	DICOM_WANT_ANSWER,		/* A-ASSOCIATE-RQ sent */
	DICOM_RELEASING,		/* A-RELEASE-RQ sent */
};

struct dicom_state {
	enum dicom_step	step;
};

static int
dicom_start(struct probe_session *s)
{
	uint8_t	rq[DICOM_RQ_MAX];
	size_t	n;

	if ((n = dicom_build_associate_rq(rq, sizeof(rq), DICOM_CALLED_AE,
	    DICOM_CALLING_AE)) == 0)
		return -1;
	return probe_write(s, rq, n);
}

/* The first PDU of the answer, complete.  PROBE_MORE once released. */
static enum probe_status
dicom_answer(struct probe_session *s, const struct dicom_pdu *pdu)
{
	struct dicom_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct dicom_ac		 ac;
	struct dicom_rj		 rj;
	struct dicom_abort	 ab;
	uint8_t			 rel[DICOM_RELEASE_LEN];

	switch (pdu->type) {
	case DICOM_PDU_ASSOCIATE_AC:
		obs_set_service(obs, "dicom");
		if (dicom_parse_ac(pdu->body, &ac) != PARSE_OK) {
			obs_set(obs, "dicom.error",
			    "malformed A-ASSOCIATE-AC");
			return PROBE_DONE;
		}
		dicom_record_ac(obs, &ac);
		/* Leave politely: the server frees the association. */
		dicom_build_release_rq(rel, sizeof(rel));
		if (probe_write(s, rel, sizeof(rel)) == -1)
			return PROBE_DONE;
		st->step = DICOM_RELEASING;
		return PROBE_MORE;
	case DICOM_PDU_ASSOCIATE_RJ:
		obs_set_service(obs, "dicom");
		if (dicom_parse_rj(pdu->body, &rj) == PARSE_OK)
			dicom_record_rj(obs, &rj);
		return PROBE_DONE;
	case DICOM_PDU_ABORT:
		obs_set_service(obs, "dicom");
		if (dicom_parse_abort(pdu->body, &ab) == PARSE_OK)
			dicom_record_abort(obs, &ab);
		return PROBE_DONE;
	default:
		/* Our own A-ASSOCIATE-RQ echoed, or data out of turn. */
		return PROBE_MISMATCH;
	}
}

static enum probe_status
dicom_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct dicom_state	*st = probe_state(s);
	struct dicom_pdu	 pdu;
	const uint8_t		*p;
	enum probe_status	 r;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (dicom_parse_pdu(p, len, &pdu)) {
	case PARSE_OK:
		break;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return st->step == DICOM_WANT_ANSWER ? PROBE_MISMATCH :
		    PROBE_DONE;
	}
	if (st->step == DICOM_RELEASING) {
		if (pdu.type == DICOM_PDU_RELEASE_RP)
			obs_set(probe_obs(s), "dicom.release", "yes");
		evbuffer_drain(in, pdu.used);
		return PROBE_DONE;
	}
	r = dicom_answer(s, &pdu);
	if (r == PROBE_MISMATCH)
		return r;
	evbuffer_drain(in, pdu.used);
	if (r == PROBE_MORE && evbuffer_get_length(in) > 0)
		return dicom_on_read(s, in);	/* the RP came along */
	return r;
}

/*
 * The peer closed, or the deadline passed, in the middle of a PDU: a
 * complete header of an answer type is enough to say DICOM answered.
 */
static void
dicom_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct dicom_state	*st = probe_state(s);
	struct dicom_pdu	 pdu;
	const uint8_t		*p;
	size_t			 len;

	if (st->step != DICOM_WANT_ANSWER ||
	    (len = evbuffer_get_length(in)) < DICOM_PDU_HEADER ||
	    (p = evbuffer_pullup(in, -1)) == NULL)
		return;
	if (dicom_parse_pdu(p, len, &pdu) == PARSE_MORE &&
	    (p[0] == DICOM_PDU_ASSOCIATE_AC ||
	    p[0] == DICOM_PDU_ASSOCIATE_RJ || p[0] == DICOM_PDU_ABORT)) {
		obs_set_service(probe_obs(s), "dicom");
		obs_set(probe_obs(s), "dicom.error", "truncated PDU");
	}
}

static const uint16_t dicom_ports[] = { 104, 4242, 11112, 0 };

const struct probe probe_dicom = {
	.name		= "dicom",
	.service	= "dicom",
	.ports		= dicom_ports,
	.transport	= PROBE_TCP,
	.state_size	= sizeof(struct dicom_state),
	.read_max	= DICOM_PDU_MAX + DICOM_RELEASE_LEN,
	.start		= dicom_start,
	.on_read	= dicom_on_read,
	.on_eof		= dicom_on_eof,
};
