/*
 * log.c - leveled logging to stderr.
 */
#include "vigie/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static enum log_level	level = LOG_INFO;

void
log_set_level(enum log_level l)
{
	level = l;
}

void
log_msg(enum log_level l, const char *fmt, ...)
{
	static const char *const	names[] = {
		[LOG_ERR] = "error", [LOG_WARN] = "warning",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};
	va_list				ap;

	if (l > level)
		return;
	fprintf(stderr, "vigie: %s: ", names[l]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
fatal(int code, const char *fmt, ...)
{
	va_list	ap;

	fputs("vigie: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

const char *
utc_now_iso(void)
{
	static __thread time_t	last = -1;
	static __thread char	buf[32];
	time_t			t = time(NULL);
	struct tm		tm;

	if (t != last) {
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	return buf;
}
