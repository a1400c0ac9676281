/*
 * buf.h - bounded byte buffers and borrowed slices.
 *
 * Every buffer that holds bytes from the network is a struct buf whose
 * owner chose the ceiling, so a hostile peer can make us refuse data but
 * never exhaust memory.  The struct is embedded by its owner:
 * buf_init() ... buf_fini().
 */
#ifndef VIGIE_BUF_H
#define VIGIE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;			/* never grows beyond this */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_fini(struct buf *);	/* frees data; NULL-safe */
int	 buf_add(struct buf *, const void *, size_t);	/* -1: over max */
int	 buf_add_str(struct buf *, const char *);	/* -1: over max */
/* Appends a NUL without counting it in len; -1 when over max. */
int	 buf_nul(struct buf *);
void	 buf_reset(struct buf *);

/*
 * Length of the valid UTF-8 sequence at p (at most n bytes, n > 0), or 0
 * for a bad one: invalid, overlong, a surrogate, beyond U+10FFFF, or a C1
 * control (U+0080..U+009F).  The one decoder every sanitiser uses.
 */
size_t	utf8_seq_len(const uint8_t *p, size_t n);
/* Append code point cp (at most U+10FFFF) as UTF-8 at out[*o], leaving
 * room for a NUL; false when it does not fit. */
bool	utf8_put(char *out, size_t outlen, size_t *o, uint32_t cp);

/* A borrowed slice: valid as long as the memory it points into. */
struct span {
	const uint8_t	*p;
	size_t		 len;
};

struct span	span_of(const void *, size_t);
struct span	span_str(const char *);
bool		span_eq_str(struct span, const char *);
/* True when the span is empty or lies wholly inside [base, base+len). */
bool		span_inside(struct span, const void *base, size_t len);

#endif /* VIGIE_BUF_H */
