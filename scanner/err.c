/*
 * err.c - errors that name their place.
 */
#include "vigie/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
vg_err_set(struct vg_err *err, const char *where, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return;
	snprintf(err->where, sizeof(err->where), "%s",
	    where != NULL ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void
vg_err_clear(struct vg_err *err)
{
	if (err == NULL)
		return;
	err->where[0] = '\0';
	err->msg[0] = '\0';
}

const char *
vg_err_str(struct vg_err *err)
{
	static __thread char	out[sizeof(err->where) + sizeof(err->msg) + 4];

	if (err->where[0] == '\0')
		return err->msg;
	snprintf(out, sizeof(out), "%s: %s", err->where, err->msg);
	return out;
}
