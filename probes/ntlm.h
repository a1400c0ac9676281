/*
 * ntlm.h - the NTLM messages a probe may exchange without credentials
 * (MS-NLMP 2.2.1): the NEGOTIATE message we send, and the server's
 * CHALLENGE, whose target information names the host and its domain and
 * whose version field gives the Windows build.  Shared by the probes
 * that carry NTLM (SMB session setup, RDP's CredSSP).  For tests and
 * fuzzers too.
 */
#ifndef VIGIE_PROBES_NTLM_H
#define VIGIE_PROBES_NTLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define NTLM_NEGOTIATE_LEN	40	/* with an empty version field */
#define NTLM_NAME_MAX		64	/* characters of a name kept */

/* What a CHALLENGE tells; the names are UTF-16LE, without a NUL. */
struct ntlm_challenge {
	uint32_t	flags;
	struct span	target_name;
	struct span	nb_computer;	/* MsvAvNbComputerName */
	struct span	nb_domain;
	struct span	dns_computer;
	struct span	dns_domain;
	struct span	dns_tree;	/* the forest */
	bool		have_version;
	uint8_t		major;		/* Windows 10 and 11: 10.0 */
	uint8_t		minor;
	uint16_t	build;		/* 17763: Windows Server 2019 */
};

/* Write a NEGOTIATE message asking for the target information; returns
 * NTLM_NEGOTIATE_LEN, or 0 when outlen is too small. */
size_t			ntlm_build_negotiate(uint8_t *out, size_t outlen);

/*
 * Find a CHALLENGE message in a security blob (bare, or inside SPNEGO)
 * and parse it.  PARSE_OK, or PARSE_BAD when there is none or its fields
 * point outside it.
 */
enum parse_result	ntlm_find_challenge(struct span blob,
			    struct ntlm_challenge *);

/* Copy a UTF-16LE string as ASCII ('?' for anything else), at most
 * NTLM_NAME_MAX characters; returns the length. */
size_t			ntlm_ascii(struct span, char *out, size_t outlen);

/*
 * Record the names and the version under "<prefix>.netbios_computer",
 * ".netbios_domain", ".dns_computer", ".dns_domain", ".dns_tree" and
 * ".ntlm_version" ("10.0.17763").
 */
void			ntlm_record(struct obs *, const char *prefix,
			    const struct ntlm_challenge *);
/* The same names, without the version. */
void			ntlm_record_names(struct obs *, const char *prefix,
			    const struct ntlm_challenge *);

#endif /* VIGIE_PROBES_NTLM_H */
