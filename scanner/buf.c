/*
 * buf.c - bounded byte buffers and borrowed slices.
 */
#include "vigie/buf.h"

#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
buf_fini(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

static int
buf_reserve(struct buf *b, size_t need)
{
	uint8_t	*p;
	size_t	 cap;

	if (need > b->max)
		return -1;
	if (need <= b->cap)
		return 0;
	cap = b->cap != 0 ? b->cap : 64;
	while (cap < need)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
buf_add(struct buf *b, const void *p, size_t len)
{
	if (len > b->max - b->len || buf_reserve(b, b->len + len) == -1)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	return 0;
}

int
buf_add_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_nul(struct buf *b)
{
	if (b->len == b->max || buf_reserve(b, b->len + 1) == -1)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

struct span
span_of(const void *p, size_t len)
{
	struct span	s = { .p = p, .len = len };

	return s;
}

struct span
span_str(const char *s)
{
	return span_of(s, s != NULL ? strlen(s) : 0);
}

bool
span_eq_str(struct span s, const char *str)
{
	size_t	n = strlen(str);

	return s.len == n && (n == 0 || memcmp(s.p, str, n) == 0);
}

bool
span_inside(struct span s, const void *base, size_t len)
{
	const uint8_t	*b = base;

	if (s.len == 0)
		return true;
	return s.p >= b && s.p <= b + len && s.len <= (size_t)(b + len - s.p);
}
