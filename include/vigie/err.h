/*
 * err.h - an error is a place and a sentence, for a human.
 *
 * Every function that can fail fills a caller-supplied struct vg_err with
 * where it happened ("etabs.csv:42", "203.0.113.7:3389", "vigie.db") and
 * what went wrong.
 */
#ifndef VIGIE_ERR_H
#define VIGIE_ERR_H

struct vg_err {
	char	where[256];
	char	msg[512];
};

void	vg_err_set(struct vg_err *, const char *where, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	vg_err_clear(struct vg_err *);
/* "where: msg", or "msg" when where is empty.  Points into the struct. */
const char	*vg_err_str(struct vg_err *);

#endif /* VIGIE_ERR_H */
