/*
 * log.h - leveled logging to stderr.  Never called from parsers.
 */
#ifndef VIGIE_LOG_H
#define VIGIE_LOG_H

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void	log_set_level(enum log_level);
void	log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Before the first packet only: prints "vigie: msg" and exits with code. */
void	fatal(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* The current UTC time as "2026-11-25T05:56:13Z", formatted once a
 * second per thread (results are stamped by the thousand a second). */
const char	*utc_now_iso(void);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* VIGIE_LOG_H */
