/*
 * escape.c - text from the store, made safe for where it is printed.
 *
 * Banners, titles, certificate fields, product strings and even the
 * registry's names are untrusted: a hostile server chooses its banner.
 * Each output context has its escaper here, and the report writers print
 * untrusted text through nothing else.
 *
 * All of them first walk the text as UTF-8: an invalid sequence, a C0
 * or C1 control byte (but TAB, LF and CR where the context allows them)
 * or DEL is replaced, so that no byte reaches a report or a terminal
 * with a meaning of its own.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/buf.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD, in UTF-8 */
#define ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */
#define SAFE_NAME_MAX	64

/* How one context prints a character and what it does with the rest. */
struct esc_ctx {
	void		(*put_ascii)(FILE *, unsigned char);
	const char	 *bad;		/* replacement for a bad byte */
	bool		  keep_ws;	/* keep TAB, LF, CR */
};

static bool
is_ws(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

/* Walk at most `max` bytes of s; true when it stopped before the end. */
static bool
esc_walk(FILE *fp, const char *s, size_t max, const struct esc_ctx *ec)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 full = strlen(s), n = full, i = 0, len;

	if (max < n)
		n = max;
	while (i < n) {
		len = utf8_seq_len(p + i, full - i);
		if (len == 1 && (p[i] < 0x20 || p[i] == 0x7f) &&
		    !(ec->keep_ws && is_ws(p[i])))
			len = 0;
		if (len == 0) {
			fputs(ec->bad, fp);
			i++;
			continue;
		}
		if (i + len > n)
			break;		/* the cut falls inside a character */
		if (len == 1)
			ec->put_ascii(fp, p[i]);
		else
			fwrite(p + i, 1, len, fp);
		i += len;
	}
	return n < full;
}

static void
put_html(FILE *fp, unsigned char c)
{
	switch (c) {
	case '&':
		fputs("&amp;", fp);
		break;
	case '<':
		fputs("&lt;", fp);
		break;
	case '>':
		fputs("&gt;", fp);
		break;
	case '"':
		fputs("&quot;", fp);
		break;
	case '\'':
		fputs("&#39;", fp);
		break;
	default:
		fputc(c, fp);
		break;
	}
}

static void
put_html_attr(FILE *fp, unsigned char c)
{
	switch (c) {
	case '\t':
		fputs("&#9;", fp);
		break;
	case '\n':
		fputs("&#10;", fp);
		break;
	case '\r':
		fputs("&#13;", fp);
		break;
	default:
		put_html(fp, c);
		break;
	}
}

static void
put_csv(FILE *fp, unsigned char c)
{
	if (c == '"')
		fputc('"', fp);
	fputc(c, fp);
}

static void
put_term(FILE *fp, unsigned char c)
{
	fputc(c, fp);
}

static const struct esc_ctx	esc_ctx_html = {
	.put_ascii	= put_html,
	.bad		= REPLACEMENT,
	.keep_ws	= true,
};

static const struct esc_ctx	esc_ctx_html_attr = {
	.put_ascii	= put_html_attr,
	.bad		= REPLACEMENT,
	.keep_ws	= true,
};

static const struct esc_ctx	esc_ctx_csv = {
	.put_ascii	= put_csv,
	.bad		= REPLACEMENT,
	.keep_ws	= true,
};

static const struct esc_ctx	esc_ctx_term = {
	.put_ascii	= put_term,
	.bad		= "?",
	.keep_ws	= false,
};

void
esc_html(FILE *fp, const char *s)
{
	if (s != NULL)
		esc_walk(fp, s, SIZE_MAX, &esc_ctx_html);
}

void
esc_html_attr(FILE *fp, const char *s)
{
	if (s != NULL)
		esc_walk(fp, s, SIZE_MAX, &esc_ctx_html_attr);
}

void
esc_html_max(FILE *fp, const char *s, size_t max)
{
	if (s != NULL && esc_walk(fp, s, max, &esc_ctx_html))
		fputs(ELLIPSIS, fp);
}

void
esc_term(FILE *fp, const char *s)
{
	if (s != NULL)
		esc_walk(fp, s, SIZE_MAX, &esc_ctx_term);
}

/*
 * A spreadsheet reads a cell starting with one of these as a formula
 * (OWASP, "CSV Injection"): a leading quote makes it text.
 */
static bool
csv_is_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void
esc_csv(FILE *fp, const char *s)
{
	fputc('"', fp);
	if (s != NULL) {
		if (csv_is_formula(s))
			fputc('\'', fp);
		esc_walk(fp, s, SIZE_MAX, &esc_ctx_csv);
	}
	fputc('"', fp);
}

/* A copy of s with invalid UTF-8 replaced; the caller free()s it. */
static char *
utf8_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s), i = 0, o = 0, len;
	char			*out;

	/* A bad byte grows into three. */
	if (n > (SIZE_MAX - 1) / 3 || (out = malloc(n * 3 + 1)) == NULL)
		return NULL;
	while (i < n) {
		len = utf8_seq_len(p + i, n - i);
		if (len == 0) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, p + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return out;
}

json_t *
esc_json_str(const char *s)
{
	json_t	*j;
	char	*clean;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	/* Not valid UTF-8 (jansson checks): replace the bad bytes. */
	if ((clean = utf8_clean(s)) == NULL)
		return NULL;
	j = json_string(clean);
	free(clean);
	return j;
}

bool
esc_is_safe_name(const char *s)
{
	size_t	i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= SAFE_NAME_MAX)
			return false;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return false;
	}
	return true;
}
