/*
 * hl7.c - HL7 v2 over MLLP probe (port 2575).  An MLLP receiver never
 * speaks first, and a real HL7 message (an ADT or an order) could enter
 * a clinical system, so we send none: the stimulus is an empty MLLP
 * block, <VT><FS><CR> (research/exposure-anchors.md 3.4).  An interface
 * engine answers with a framed acknowledgement, usually a NAK ("MSA|AR"
 * or "MSA|AE"); we record that the framing is MLLP, who answered
 * (MSH-3 sending application, MSH-4 sending facility), the HL7 version
 * (MSH-12) and the acknowledgement code (MSA-1), then close.  An MLLP
 * release 2 peer may instead answer with a commit NAK, <VT><NAK><FS><CR>.
 */
#include "probes/hl7.h"

#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

#define HL7_SEGMENT_ID_LEN	3		/* "MSH", "MSA" */
#define HL7_MSH_SENDING_APP	3		/* field numbers, HL7 2.14.9 */
#define HL7_MSH_SENDING_FAC	4
#define HL7_MSH_MESSAGE_TYPE	9
#define HL7_MSH_CONTROL_ID	10
#define HL7_MSH_VERSION		12
#define HL7_MSA_ACK_CODE	1		/* HL7 2.14.8 */
#define HL7_MSA_TEXT		3

size_t
hl7_build_probe(uint8_t *out, size_t outlen)
{
	if (outlen < HL7_PROBE_LEN)
		return 0;
	out[0] = HL7_MLLP_SB;
	out[1] = HL7_MLLP_EB;
	out[2] = HL7_MLLP_CR;
	return HL7_PROBE_LEN;
}

enum parse_result
hl7_parse_frame(const uint8_t *p, size_t len, struct hl7_frame *f)
{
	const uint8_t	*eb;
	size_t		 n;

	memset(f, 0, sizeof(*f));
	if (len < 1)
		return PARSE_MORE;
	if (p[0] != HL7_MLLP_SB)
		return PARSE_BAD;
	n = len < HL7_FRAME_MAX ? len : HL7_FRAME_MAX;
	if ((eb = memchr(p + 1, HL7_MLLP_EB, n - 1)) == NULL)
		return len < HL7_FRAME_MAX ? PARSE_MORE : PARSE_BAD;
	if ((size_t)(eb - p) + 1 >= len)
		return (size_t)(eb - p) + 2 <= HL7_FRAME_MAX ? PARSE_MORE :
		    PARSE_BAD;
	if (eb[1] != HL7_MLLP_CR)
		return PARSE_BAD;
	f->content = span_of(p + 1, (size_t)(eb - p) - 1);
	f->used = (size_t)(eb - p) + 2;
	if (f->used > HL7_FRAME_MAX)
		return PARSE_BAD;
	return PARSE_OK;
}

/* The segment at s.p[o]: returns it (without its <CR>) and moves o past
 * it.  A <LF> after the <CR>, which some senders add, is skipped. */
static struct span
next_segment(struct span s, size_t *o)
{
	const uint8_t	*p = s.p + *o, *cr;
	size_t		 left = s.len - *o, n;

	while (left > 0 && *p == '\n') {
		p++;
		left--;
		(*o)++;
	}
	cr = memchr(p, HL7_SEGMENT_END, left);
	n = cr != NULL ? (size_t)(cr - p) : left;
	*o += n + (cr != NULL ? 1 : 0);
	return span_of(p, n);
}

/* Field `i` of a segment (0 is the segment id), or an empty span. */
static struct span
field(struct span seg, uint8_t sep, unsigned int i)
{
	const uint8_t	*p = seg.p, *end = seg.p + seg.len, *next;
	unsigned int	 k;

	for (k = 0; k < i; k++) {
		if ((next = memchr(p, sep, (size_t)(end - p))) == NULL)
			return span_of(NULL, 0);
		p = next + 1;
	}
	next = memchr(p, sep, (size_t)(end - p));
	return span_of(p, (size_t)((next != NULL ? next : end) - p));
}

/* The first component of a field. */
static struct span
component(struct span f, uint8_t sep)
{
	const uint8_t	*c;

	if (f.len > 0 && (c = memchr(f.p, sep, f.len)) != NULL)
		f.len = (size_t)(c - f.p);
	return f;
}

static bool
is_separator(uint8_t c)
{
	return c > 0x20 && c < 0x7f && !(c >= '0' && c <= '9') &&
	    !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
}

enum parse_result
hl7_parse_message(struct span content, struct hl7_message *m)
{
	struct span	seg, msh;
	size_t		o = 0;
	uint8_t		sep;

	memset(m, 0, sizeof(*m));
	if (content.len < HL7_SEGMENT_ID_LEN + 1 ||
	    memcmp(content.p, "MSH", HL7_SEGMENT_ID_LEN) != 0 ||
	    !is_separator(content.p[HL7_SEGMENT_ID_LEN]))
		return PARSE_BAD;
	msh = next_segment(content, &o);
	sep = content.p[HL7_SEGMENT_ID_LEN];
	m->field_sep = sep;
	/* MSH-1 is the separator, so field k of the split is MSH-(k+1). */
	m->component_sep = msh.len > HL7_SEGMENT_ID_LEN + 1 &&
	    is_separator(msh.p[HL7_SEGMENT_ID_LEN + 1]) &&
	    msh.p[HL7_SEGMENT_ID_LEN + 1] != sep ?
	    msh.p[HL7_SEGMENT_ID_LEN + 1] : '^';
	m->sending_application = field(msh, sep, HL7_MSH_SENDING_APP - 1);
	m->sending_facility = field(msh, sep, HL7_MSH_SENDING_FAC - 1);
	m->message_type = field(msh, sep, HL7_MSH_MESSAGE_TYPE - 1);
	m->control_id = field(msh, sep, HL7_MSH_CONTROL_ID - 1);
	m->version = component(field(msh, sep, HL7_MSH_VERSION - 1),
	    m->component_sep);
	while (o < content.len) {
		seg = next_segment(content, &o);
		if (seg.len < HL7_SEGMENT_ID_LEN + 1 ||
		    memcmp(seg.p, "MSA", HL7_SEGMENT_ID_LEN) != 0 ||
		    seg.p[HL7_SEGMENT_ID_LEN] != sep)
			continue;
		m->have_msa = true;
		m->ack_code = field(seg, sep, HL7_MSA_ACK_CODE);
		m->ack_text = field(seg, sep, HL7_MSA_TEXT);
		break;
	}
	return PARSE_OK;
}

static struct span
bounded(struct span s)
{
	if (s.len > HL7_FIELD_MAX)
		s.len = HL7_FIELD_MAX;
	return s;
}

void
hl7_record_message(struct obs *obs, const struct hl7_message *m)
{
	obs_set_span(obs, "hl7.sending_application",
	    bounded(m->sending_application));
	obs_set_span(obs, "hl7.sending_facility",
	    bounded(m->sending_facility));
	obs_set_span(obs, "hl7.message_type", bounded(m->message_type));
	obs_set_span(obs, "hl7.version", bounded(m->version));
	if (m->have_msa) {
		obs_set_span(obs, "hl7.ack_code", bounded(m->ack_code));
		obs_set_span(obs, "hl7.ack_text", bounded(m->ack_text));
	}
}

static int
hl7_start(struct probe_session *s)
{
	uint8_t	probe[HL7_PROBE_LEN];

	hl7_build_probe(probe, sizeof(probe));
	return probe_write(s, probe, sizeof(probe));
}

/* What a block holds: a message, a release 2 commit, or something else
 * in MLLP framing. */
static void
hl7_record_frame(struct obs *obs, struct span content, bool cut)
{
	struct hl7_message	m;

	obs_set_service(obs, "hl7");
	obs_set(obs, "hl7.framing", "mllp");
	if (cut)
		obs_set(obs, "hl7.error", "truncated block");
	if (content.len == 1 && content.p[0] == HL7_MLLP_ACK) {
		obs_set(obs, "hl7.commit", "ack");
		return;
	}
	if (content.len == 1 && content.p[0] == HL7_MLLP_NAK) {
		obs_set(obs, "hl7.commit", "nak");
		return;
	}
	if (hl7_parse_message(content, &m) == PARSE_OK)
		hl7_record_message(obs, &m);
	else if (!cut)
		obs_set(obs, "hl7.error", "block without an MSH segment");
}

static enum probe_status
hl7_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct hl7_frame	 f;
	const uint8_t		*p;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (hl7_parse_frame(p, len, &f)) {
	case PARSE_OK:
		break;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
	/* Our empty block sent back is an echo service, not an engine. */
	if (f.content.len == 0)
		return PROBE_MISMATCH;
	hl7_record_frame(probe_obs(s), f.content, false);
	evbuffer_drain(in, f.used);
	return PROBE_DONE;
}

/* The peer stopped in the middle of a block: a message begun is enough
 * to say MLLP answered; what it holds so far is recorded, flagged. */
static void
hl7_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct hl7_message	 m;
	const uint8_t		*p;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) < 2 ||
	    (p = evbuffer_pullup(in, -1)) == NULL || p[0] != HL7_MLLP_SB)
		return;
	if (len > HL7_FRAME_MAX)
		len = HL7_FRAME_MAX;
	if (memchr(p + 1, HL7_MLLP_EB, len - 1) != NULL ||
	    hl7_parse_message(span_of(p + 1, len - 1), &m) != PARSE_OK)
		return;
	hl7_record_frame(probe_obs(s), span_of(p + 1, len - 1), true);
}

static const uint16_t hl7_ports[] = { 2575, 0 };

const struct probe probe_hl7 = {
	.name		= "hl7",
	.service	= "hl7",
	.ports		= hl7_ports,
	.transport	= PROBE_TCP,
	.read_max	= HL7_FRAME_MAX,
	.start		= hl7_start,
	.on_read	= hl7_on_read,
	.on_eof		= hl7_on_eof,
};
