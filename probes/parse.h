/*
 * parse.h - the result every pure protocol parser in probes/ returns, and
 * two small scanning helpers the text protocols share.
 *
 * A parser takes bytes (and, when it is resumable, a state struct the
 * caller owns), fills a struct and answers one of three things.  It does
 * no I/O, keeps no globals and never logs; remote bytes can only make it
 * answer PARSE_BAD.
 */
#ifndef VIGIE_PROBES_PARSE_H
#define VIGIE_PROBES_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <strings.h>

#include "vigie/buf.h"

enum parse_result {
	PARSE_OK,		/* a complete message was parsed */
	PARSE_MORE,		/* well-formed so far: need more bytes */
	PARSE_BAD,		/* not this protocol, or over a bound */
};

/* First case-insensitive occurrence of `needle` in [p, p+len), or NULL. */
static inline const uint8_t *
parse_find_nocase(const uint8_t *p, size_t len, const char *needle)
{
	size_t	i, n = 0;

	while (needle[n] != '\0')
		n++;
	if (n == 0 || n > len)
		return NULL;
	for (i = 0; i + n <= len; i++)
		if (strncasecmp((const char *)p + i, needle, n) == 0)
			return p + i;
	return NULL;
}

/*
 * The version token at the start of [p, p+len), after blanks, ',' or '/'
 * and an optional "version", "version:" or "v" word: a digit, then letters,
 * digits and "._+~-".  Stops at a blank, '/', ';', ',', ')' or anything
 * else, and drops a trailing '.' or '-'.  Empty when there is no digit.
 */
static inline struct span
parse_version_token(const uint8_t *p, size_t len)
{
	size_t	i = 0, start;

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == ',' ||
	    p[i] == '/'))
		i++;
	if (len - i >= 7 && strncasecmp((const char *)p + i, "version",
	    7) == 0) {
		i += 7;
		if (i < len && p[i] == ':')
			i++;
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
	} else if (len - i >= 2 && (p[i] == 'v' || p[i] == 'V') &&
	    p[i + 1] >= '0' && p[i + 1] <= '9') {
		i++;
	}
	if (i == len || p[i] < '0' || p[i] > '9')
		return span_of(NULL, 0);
	start = i;
	while (i < len && ((p[i] >= '0' && p[i] <= '9') ||
	    (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
	    p[i] == '.' || p[i] == '_' || p[i] == '+' || p[i] == '~' ||
	    p[i] == '-'))
		i++;
	while (i > start && (p[i - 1] == '.' || p[i - 1] == '-'))
		i--;
	return span_of(p + start, i - start);
}

#endif /* VIGIE_PROBES_PARSE_H */
