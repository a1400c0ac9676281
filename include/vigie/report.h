/*
 * report.h - reports from the store: one file per establishment plus an
 * index, in HTML, PDF, JSON or CSV; the national summary (HTML, CSV);
 * and the diff between two scans.
 */
#ifndef VIGIE_REPORT_H
#define VIGIE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct store;
struct vg_err;

/* MaxMind DB files a report may read (say, a country and an ASN one). */
#define REPORT_MMDB_MAX	4

struct report_opts {
	int64_t		 scan;		/* 0: the last complete scan */
	const char	*establishment;	/* NULL: all */
	const char	*format;	/* "html", "pdf", "json", "csv" */
	const char	*lang;		/* "fr", "en" */
	const char	*outdir;
	/* The national summary (html or csv) instead of one report per
	 * establishment. */
	bool		 summary;
	/* --mmdb files: country, ASN and organisation of each address. */
	const char	*mmdb[REPORT_MMDB_MAX];
	size_t		 nmmdb;
};

/* Writes the reports; prints nothing.  Returns the number of files
 * written, or -1 with err set.  --format pdf runs headless Chromium
 * (VIGIE_CHROMIUM, else "chromium" in PATH) and fails with a message
 * saying so when it is not installed. */
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
