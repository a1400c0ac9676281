/*
 * telnet.h - the Telnet probe's pure, resumable parser: option
 * negotiation (RFC 854 and 855) separated from the text the server
 * prints, and the refusals to send back.  For tests, fuzzers and the
 * banner probe.
 */
#ifndef VIGIE_PROBES_TELNET_H
#define VIGIE_PROBES_TELNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/parse.h"

struct obs;

#define TELNET_TEXT_MAX		1024	/* printable text kept */
#define TELNET_OPTS_MAX		32	/* distinct negotiations kept */
#define TELNET_REPLY_MAX	1536	/* 256 WONT + 256 DONT, 3 bytes each */

struct telnet_opt {
	uint8_t	cmd;			/* WILL, WONT, DO, DONT or SB */
	uint8_t	opt;
};

/*
 * Parser state and what it learned.  All zero is the initial state
 * (telnet_init() does just that).  The caller sends `reply` and sets
 * reply_len back to 0 after each telnet_feed().
 */
struct telnet {
	/* Scanner state, carried from one call to the next. */
	uint8_t			 scan;
	uint8_t			 cmd;
	/* What the server said. */
	bool			 negotiated;	/* a valid IAC sequence seen */
	size_t			 nopts;
	struct telnet_opt	 opts[TELNET_OPTS_MAX];
	size_t			 text_len;
	char			 text[TELNET_TEXT_MAX];	/* NUL-terminated */
	/* What to answer: each option refused once at most. */
	uint8_t			 refused_do[32];	/* bit set per option */
	uint8_t			 refused_will[32];
	size_t			 reply_len;
	uint8_t			 reply[TELNET_REPLY_MAX];
};

void			telnet_init(struct telnet *);

/*
 * Consume all the bytes.  Every DO gets a WONT and every WILL a DONT in
 * `reply` (RFC 854: a party refuses what it does not want to do), the
 * text goes to `text` (line feeds kept, CR, NUL, other controls and ANSI
 * escape sequences dropped).  PARSE_OK when the text now ends with a
 * login or password prompt, or the text buffer is full; PARSE_MORE
 * otherwise; PARSE_BAD when IAC is followed by a byte that is no command.
 */
enum parse_result	telnet_feed(struct telnet *, const uint8_t *, size_t);

/* True when the text ends with a login, password or command prompt. */
bool			telnet_prompt(const struct telnet *);

/* "WILL ECHO, DO TTYPE": the negotiations seen, in order. */
size_t			telnet_options_str(const struct telnet *, char *out,
			    size_t outlen);

/* The text with every run of white space made a single space, trimmed. */
size_t			telnet_banner(const struct telnet *, char *out,
			    size_t outlen);

/* Record service "telnet", telnet.banner and telnet.options, when a
 * negotiation or a prompt was seen (else nothing).  Shared with the
 * banner probe. */
void			telnet_record(struct obs *, const struct telnet *);

/* The name of a command ("WILL") or an option ("TTYPE"), or NULL. */
const char		*telnet_cmd_name(uint8_t);
const char		*telnet_opt_name(uint8_t);

#endif /* VIGIE_PROBES_TELNET_H */
