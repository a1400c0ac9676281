/*
 * markup.c - character references and the text of HTML and XML, for the
 * HTTP probe and the VPN portal parsers (see markup.h).
 */
#include "probes/markup.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "vigie/buf.h"
#include "probes/parse.h"

#define ENTITY_MAX	10	/* "&#x10ffff;" */
#define NBSP		0xa0

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

size_t
markup_entity(const uint8_t *s, size_t n, uint32_t *cp)
{
	static const struct {
		const char	*name;
		uint32_t	 cp;
	} named[] = {
		{ .name = "amp;",  .cp = '&' },
		{ .name = "lt;",   .cp = '<' },
		{ .name = "gt;",   .cp = '>' },
		{ .name = "quot;", .cp = '"' },
		{ .name = "apos;", .cp = '\'' },
		{ .name = "nbsp;", .cp = NBSP },
	};
	const uint8_t	*semi;
	size_t		 i, len;
	uint32_t	 v = 0;
	int		 d;
	bool		 hex;

	if (n > ENTITY_MAX)
		n = ENTITY_MAX;
	if (n == 0 || s[0] != '&' || (semi = memchr(s, ';', n)) == NULL)
		return 0;
	len = (size_t)(semi - s) + 1;
	for (i = 0; i < NELEM(named); i++)
		if (strlen(named[i].name) + 1 == len &&
		    strncasecmp((const char *)s + 1, named[i].name,
		    len - 1) == 0) {
			*cp = named[i].cp;
			return len;
		}
	if (len < 4 || s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	for (i = hex ? 3 : 2; i < len - 1; i++) {
		d = hex ? hex_value(s[i]) :
		    (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
		if (d < 0)
			return 0;
		v = v * (hex ? 16 : 10) + (uint32_t)d;
		if (v > 0x10ffff)
			return 0;
	}
	if (i == (hex ? 3u : 2u) || v == 0 || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

size_t
markup_text(const uint8_t *s, size_t n, char *out, size_t outlen)
{
	const uint8_t	*cend;
	size_t		 i = 0, o = 0, elen;
	uint32_t	 cp;
	bool		 space = false, raw = false;

	if (outlen == 0)
		return 0;
	if (n >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
		s += 9;
		n -= 9;
		if ((cend = parse_find_nocase(s, n, "]]>")) != NULL)
			n = (size_t)(cend - s);
		raw = true;
	}
	while (i < n) {
		cp = s[i];
		elen = 1;
		if (!raw && s[i] == '&' &&
		    (elen = markup_entity(s + i, n - i, &cp)) == 0)
			elen = 1;
		i += elen;
		if ((cp < 0x80 && is_space((uint8_t)cp)) ||
		    (elen > 1 && cp == NBSP)) {
			space = true;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f)
			continue;
		if (space && o > 0) {
			if (o + 1 >= outlen)
				break;
			out[o++] = ' ';
		}
		space = false;
		if (elen > 1) {
			if (!utf8_put(out, outlen, &o, cp))
				break;
		} else {
			if (o + 1 >= outlen)
				break;
			out[o++] = (char)s[i - 1];	/* a raw byte */
		}
	}
	out[o] = '\0';
	return o;
}
