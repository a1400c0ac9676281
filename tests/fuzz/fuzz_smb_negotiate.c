/*
 * Fuzz the NetBIOS framing, the SMB NEGOTIATE and SESSION_SETUP response
 * parsers (probes/smb.c), the NTLM CHALLENGE parser (probes/ntlm.c) and
 * both SMB probe sessions, on port 445 and on 139
 * (where a NetBIOS session comes first).  Built by `make fuzz`; replayed
 * over tests/fuzz/corpus/smb_negotiate/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/ntlm.h"
#include "probes/smb.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nbss_frame	f;
	struct smb_negotiate	n;
	struct smb_session	ss;
	struct ntlm_challenge	c;
	char			name[SMB_NAME_MAX + 1];

	if (nbss_parse(data, size, &f) == PARSE_OK) {
		if (f.used > size || f.used != NBSS_HEADER_LEN + f.payload.len)
			__builtin_trap();
		FUZZ_INSIDE(f.payload, data, size);
	}
	if (smb_parse_negotiate(span_of(data, size), &n) == PARSE_OK) {
		FUZZ_INSIDE(n.domain, data, size);
		FUZZ_INSIDE(n.server, data, size);
		if (smb_signing(&n) == NULL)
			__builtin_trap();
		(void)smb2_dialect_name(n.dialect);
		(void)smb_guid_is_samba(&n);
		if (smb_name_ascii(n.server, name, sizeof(name)) > SMB_NAME_MAX)
			__builtin_trap();
	}
	if (smb_parse_session_setup(span_of(data, size), &ss) == PARSE_OK) {
		FUZZ_INSIDE(ss.blob, data, size);
		FUZZ_INSIDE(ss.native_os, data, size);
		FUZZ_INSIDE(ss.native_lanman, data, size);
		FUZZ_INSIDE(ss.domain, data, size);
	}
	if (ntlm_find_challenge(span_of(data, size), &c) == PARSE_OK) {
		FUZZ_INSIDE(c.target_name, data, size);
		FUZZ_INSIDE(c.nb_computer, data, size);
		FUZZ_INSIDE(c.dns_computer, data, size);
		FUZZ_INSIDE(c.dns_tree, data, size);
		if (ntlm_ascii(c.nb_domain, name, sizeof(name)) >
		    NTLM_NAME_MAX)
			__builtin_trap();
	}
	fuzz_session(&probe_smb, 445, data, size);
	fuzz_session(&probe_smb, 139, data, size);
	fuzz_session(&probe_smb1, 445, data, size);
	fuzz_session(&probe_smb1, 139, data, size);
	return 0;
}
