/*
 * Fuzz the CredSSP TSRequest parser (probes/rdp.c) and the NTLM
 * CHALLENGE parser behind it (probes/ntlm.c), then the RDP probe's
 * first connection after TLS: a Connection Confirm selecting CredSSP,
 * our TSRequest, and the input as the server's answer.  Built by `make
 * fuzz`; replayed over tests/fuzz/corpus/credssp/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>

#include "probes/ntlm.h"
#include "probes/rdp.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* FreeRDP's answer to the first offer: CredSSP (HYBRID) selected. */
static const uint8_t	cc_hybrid[] = {
	0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x03, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00,
};

static void
check_challenge(struct span blob, const uint8_t *data, size_t size)
{
	struct ntlm_challenge	c;
	struct obs		o;

	if (ntlm_find_challenge(blob, &c) != PARSE_OK)
		return;
	FUZZ_INSIDE(c.target_name, data, size);
	FUZZ_INSIDE(c.nb_computer, data, size);
	FUZZ_INSIDE(c.nb_domain, data, size);
	FUZZ_INSIDE(c.dns_computer, data, size);
	FUZZ_INSIDE(c.dns_domain, data, size);
	FUZZ_INSIDE(c.dns_tree, data, size);
	obs_init(&o);
	ntlm_record(&o, "rdp.ntlm", &c);
	fuzz_check_obs(&o);
	obs_fini(&o);
}

/* The probe's session, as the runtime drives it through STARTTLS. */
static void
session(const uint8_t *data, size_t size)
{
	struct probe_session	*s;
	struct evbuffer		*in;
	enum probe_status	 st;
	size_t			 cut;

	if ((s = probe_session_fake_new(&probe_rdp, FUZZ_PEER, 3389)) ==
	    NULL)
		return;
	if ((in = evbuffer_new()) == NULL) {
		probe_session_fake_free(s);
		return;
	}
	if (probe_rdp.start(s) == -1 ||
	    evbuffer_add(in, cc_hybrid, sizeof(cc_hybrid)) == -1 ||
	    probe_rdp.on_read(s, in) != PROBE_STARTTLS ||
	    rdp_on_tls(s) != PROBE_MORE)
		__builtin_trap();
	/* In two reads, cut where the first byte says. */
	cut = size > 0 ? data[0] % (size + 1) : 0;
	evbuffer_add(in, data, cut);
	st = probe_rdp.on_read(s, in);
	if (st == PROBE_MORE) {
		evbuffer_add(in, data + cut, size - cut);
		st = probe_rdp.on_read(s, in);
	}
	if (st != PROBE_MORE && st != PROBE_DONE)
		__builtin_trap();
	fuzz_check_obs(&s->obs);
	evbuffer_free(in);
	probe_session_fake_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rdp_tsreq	ts;

	switch (rdp_parse_tsrequest(data, size, &ts)) {
	case PARSE_OK:
		if (ts.len > size || ts.len > RDP_TSREQ_MAX)
			__builtin_trap();
		FUZZ_INSIDE(ts.nego_token, data, ts.len);
		check_challenge(ts.nego_token, data, size);
		break;
	case PARSE_MORE:
		if (size >= RDP_TSREQ_MAX)
			__builtin_trap();
		break;
	case PARSE_BAD:
	default:
		break;
	}
	check_challenge(span_of(data, size), data, size);
	session(data, size);
	return 0;
}
