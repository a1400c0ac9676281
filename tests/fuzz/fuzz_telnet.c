/*
 * Fuzz the Telnet negotiation parser (probes/telnet.c) whole and split,
 * and the probe session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/telnet/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probes/telnet.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct telnet *t)
{
	char	buf[64];

	if (t->text_len >= TELNET_TEXT_MAX || t->text[t->text_len] != '\0' ||
	    strlen(t->text) != t->text_len || t->nopts > TELNET_OPTS_MAX ||
	    t->reply_len > TELNET_REPLY_MAX || t->reply_len % 3 != 0)
		__builtin_trap();
	if (telnet_options_str(t, buf, sizeof(buf)) >= sizeof(buf) ||
	    telnet_banner(t, buf, sizeof(buf)) >= sizeof(buf))
		__builtin_trap();
	(void)telnet_prompt(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct telnet	a, b;
	size_t			cut = size > 0 ? data[0] % (size + 1) : 0;

	/* Whole, and in two parts: the same text and negotiations, unless
	 * the first part was refused. */
	telnet_init(&a);
	telnet_init(&b);
	if (telnet_feed(&a, data, size) != PARSE_BAD &&
	    telnet_feed(&b, data, cut) != PARSE_BAD &&
	    telnet_feed(&b, data + cut, size - cut) != PARSE_BAD) {
		if (a.text_len != b.text_len ||
		    memcmp(a.text, b.text, a.text_len) != 0 ||
		    a.nopts != b.nopts || a.reply_len != b.reply_len ||
		    memcmp(a.reply, b.reply, a.reply_len) != 0)
			__builtin_trap();
	}
	check(&a);
	check(&b);
	fuzz_session(&probe_telnet, 23, data, size);
	return 0;
}
