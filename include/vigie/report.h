/*
 * report.h - reports from the store: one file per establishment plus an
 * index, in HTML, JSON or CSV; and the diff between two scans.
 */
#ifndef VIGIE_REPORT_H
#define VIGIE_REPORT_H

#include <stdint.h>
#include <stdio.h>

struct store;
struct vg_err;

struct report_opts {
	int64_t		 scan;		/* 0: the last complete scan */
	const char	*establishment;	/* NULL: all */
	const char	*format;	/* "html", "json", "csv" */
	const char	*lang;		/* "fr", "en" */
	const char	*outdir;
};

/* Writes the reports; prints nothing.  Returns the number of files
 * written, or -1 with err set. */
int	report_write(struct store *, const struct report_opts *,
	    struct vg_err *);

/* Prints the findings that changed between scans `from` and `to`
 * (0: the last two complete scans) to `out`.  0 or -1. */
int	diff_print(struct store *, int64_t from, int64_t to, FILE *out,
	    struct vg_err *);
/* The same in a language of the message catalogs ("fr", "en"; NULL:
 * "fr"); diff_print() is diff_print_lang(..., "en", ...). */
int	diff_print_lang(struct store *, int64_t from, int64_t to,
	    const char *lang, FILE *out, struct vg_err *);

#endif /* VIGIE_REPORT_H */
