/*
 * fmt_csv.c - every finding of the scan in one findings.csv, one row a
 * finding, with column names in the style of Shadowserver's reports so
 * that the CERT's existing tooling reads it.
 *
 * Shadowserver's names where a field exists: timestamp, ip, protocol,
 * port, hostname, tag (the rule), asn, geo (ISO country code; these two
 * from --mmdb), severity; then ours.  Columns are only ever added, at
 * the end.  first_seen: the start of the scan where the finding was
 * first seen, in its current run of scans.
 *
 * RFC 4180 quoting on every cell, UTF-8 without a byte order mark, and
 * the formula-injection guard of esc_csv(): a banner cannot become a
 * spreadsheet formula.
 */
#include "report_internal.h"

#include <stdio.h>

#include "vigie/err.h"

#define CSV_FILE	"findings.csv"

static const char *const columns[] = {
	"timestamp", "ip", "protocol", "port", "hostname", "tag", "asn",
	"geo", "severity", "establishment", "establishment_name", "service",
	"product", "version", "title", "evidence", "as_name", "first_seen",
};

#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static int
csv_begin(struct report_ctx *ctx, struct vg_err *err)
{
	size_t	i;

	if (rep_out_open(ctx, CSV_FILE, err) == -1)
		return -1;
	for (i = 0; i < NCOLUMNS; i++) {
		if (i > 0)
			fputc(',', ctx->out);
		esc_csv(ctx->out, columns[i]);
	}
	fputc('\n', ctx->out);
	return 0;
}

static void
csv_cell(FILE *fp, const char *s, bool last)
{
	esc_csv(fp, s);
	fputc(last ? '\n' : ',', fp);
}

static int
csv_establishment(struct report_ctx *ctx, const struct rep_est *est,
    struct vg_err *err)
{
	const struct rep_finding	*f;
	char				 port[16], asn[16];
	size_t				 i;

	(void)err;
	for (i = 0; i < est->nfindings; i++) {
		f = &est->findings[i];
		port[0] = '\0';
		if (f->port > 0)
			snprintf(port, sizeof(port), "%d", f->port);
		csv_cell(ctx->out, f->ts, false);
		csv_cell(ctx->out, f->ip, false);
		csv_cell(ctx->out, f->proto, false);
		csv_cell(ctx->out, port, false);
		csv_cell(ctx->out, "", false);	/* not recorded per address */
		csv_cell(ctx->out, f->rule, false);
		asn[0] = '\0';
		if (f->geo.asn != 0)
			snprintf(asn, sizeof(asn), "%lu",
			    (unsigned long)f->geo.asn);
		csv_cell(ctx->out, asn, false);
		csv_cell(ctx->out, f->geo.country, false);
		csv_cell(ctx->out, fp_severity_str(f->sev), false);
		csv_cell(ctx->out, est->id, false);
		csv_cell(ctx->out, est->name, false);
		csv_cell(ctx->out, f->service, false);
		csv_cell(ctx->out, f->product, false);
		csv_cell(ctx->out, f->version, false);
		csv_cell(ctx->out, rep_pick(ctx, f->title_fr, f->title_en),
		    false);
		csv_cell(ctx->out, f->evidence, false);
		csv_cell(ctx->out, f->geo.org, false);
		csv_cell(ctx->out, f->since, true);
	}
	return 0;
}

static int
csv_end(struct report_ctx *ctx, struct vg_err *err)
{
	return rep_out_commit(ctx, err);
}

const struct report_format report_fmt_csv = {
	.name		= "csv",
	.ext		= "csv",
	.begin		= csv_begin,
	.establishment	= csv_establishment,
	.end		= csv_end,
};
