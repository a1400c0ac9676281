/*
 * messages.c - the message catalogs' registry and the helpers that pick
 * a text: severities, levels, themes, dates.  The texts themselves are
 * in messages_fr.c (the reference) and messages_en.c.
 *
 * To add a language: a messages_<lang>.c defining msg_catalog_<lang>
 * with every MSG_* id, its extern in report_internal.h and a line in
 * the table below; test_report.c checks that no text is missing.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct msg_catalog *const catalogs[] = {
	&msg_catalog_fr,		/* the first is the default */
	&msg_catalog_en,
};

#define NCATALOGS	(sizeof(catalogs) / sizeof(catalogs[0]))

/* The rules' themes (fingerprints/rules.c), in the action plan's order. */
static const struct {
	const char	*name;
	enum msg_id	 id;
} themes[] = {
	{ .name = "Exposition",		.id = MSG_THEME_EXPOSITION },
	{ .name = "MFA",		.id = MSG_THEME_MFA },
	{ .name = "Mises à jour",	.id = MSG_THEME_UPDATES },
	{ .name = "Chiffrement",	.id = MSG_THEME_ENCRYPTION },
	{ .name = "Comptes",		.id = MSG_THEME_ACCOUNTS },
	{ .name = "Journaux",		.id = MSG_THEME_LOGS },
};

#define NTHEMES		(sizeof(themes) / sizeof(themes[0]))

static const struct {
	const char	*name;
	enum msg_id	 id;
} confidences[] = {
	{ .name = "certain",	.id = MSG_CONF_CERTAIN },
	{ .name = "likely",	.id = MSG_CONF_LIKELY },
	{ .name = "to-verify",	.id = MSG_CONF_TO_VERIFY },
};

#define NCONFIDENCES	(sizeof(confidences) / sizeof(confidences[0]))

const struct msg_catalog *
msg_catalog_find(const char *lang)
{
	size_t	i;

	if (lang == NULL)
		return catalogs[0];
	for (i = 0; i < NCATALOGS; i++)
		if (strcmp(catalogs[i]->lang, lang) == 0)
			return catalogs[i];
	return NULL;
}

size_t
msg_catalog_count(void)
{
	return NCATALOGS;
}

const struct msg_catalog *
msg_catalog_at(size_t i)
{
	return i < NCATALOGS ? catalogs[i] : NULL;
}

const char *
msg_get(const struct msg_catalog *cat, enum msg_id id)
{
	const char	*s;

	if ((unsigned)id >= MSG__COUNT)
		return "";
	if (cat != NULL && (s = cat->text[id]) != NULL)
		return s;
	if ((s = catalogs[0]->text[id]) != NULL)
		return s;
	return "";
}

char *
msg_fmt(const char *tpl, const char *const *args, size_t nargs)
{
	const char	*p, *a;
	char		*out;
	size_t		 len = 0, i, n;
	int		 pass;

	/* Two passes: measure, then copy. */
	out = NULL;
	for (pass = 0; pass < 2; pass++) {
		len = 0;
		for (p = tpl; *p != '\0'; p++) {
			if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' &&
			    p[2] == '}') {
				i = (size_t)(p[1] - '1');
				a = i < nargs && args[i] != NULL ? args[i] : "";
				n = strlen(a);
				if (out != NULL)
					memcpy(out + len, a, n);
				len += n;
				p += 2;
				continue;
			}
			if (out != NULL)
				out[len] = *p;
			len++;
		}
		if (out == NULL && (out = malloc(len + 1)) == NULL)
			return NULL;
	}
	out[len] = '\0';
	return out;
}

const char *
msg_severity(const struct msg_catalog *cat, enum fp_severity sev)
{
	if ((unsigned)sev > FP_SEV_CRITICAL)
		sev = FP_SEV_INFO;
	return msg_get(cat, (enum msg_id)(MSG_SEV_INFO + (int)sev));
}

const char *
msg_level(const struct msg_catalog *cat, int worst)
{
	if (worst < -1 || worst > FP_SEV_CRITICAL)
		worst = -1;
	return msg_get(cat, (enum msg_id)(MSG_LEVEL_NONE + 1 + worst));
}

const char *
msg_level_explain(const struct msg_catalog *cat, int worst)
{
	if (worst < -1 || worst > FP_SEV_CRITICAL)
		worst = -1;
	return msg_get(cat, (enum msg_id)(MSG_LEVEL_EXPLAIN_NONE + 1 +
	    worst));
}

int
msg_theme_rank(const char *theme)
{
	size_t	i;

	if (theme != NULL)
		for (i = 0; i < NTHEMES; i++)
			if (strcmp(themes[i].name, theme) == 0)
				return (int)i;
	return (int)NTHEMES;
}

const char *
msg_theme(const struct msg_catalog *cat, const char *theme)
{
	int	r = msg_theme_rank(theme);

	if (r < (int)NTHEMES)
		return msg_get(cat, themes[r].id);
	if (theme == NULL || theme[0] == '\0')
		return msg_get(cat, MSG_THEME_OTHER);
	return theme;
}

const char *
msg_confidence(const struct msg_catalog *cat, const char *conf)
{
	size_t	i;

	if (conf == NULL)
		return "";
	for (i = 0; i < NCONFIDENCES; i++)
		if (strcmp(confidences[i].name, conf) == 0)
			return msg_get(cat, confidences[i].id);
	return conf;
}

static void
date_fmt(const struct msg_catalog *cat, const char *iso, char *buf,
    size_t len, enum msg_id tpl)
{
	const char	*args[4];
	char		 day[4], year[8], hm[8], *s;
	int		 y, mo, d, h, mi, sec, n = 0;

	if (len == 0)
		return;
	if (iso == NULL) {
		snprintf(buf, len, "%s", msg_get(cat, MSG_UNKNOWN));
		return;
	}
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi,
	    &sec, &n) != 6 || iso[n] != '\0' || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    y < 0) {
		snprintf(buf, len, "%s", iso);
		return;
	}
	snprintf(day, sizeof(day), "%d", d);
	snprintf(year, sizeof(year), "%04d", y);
	snprintf(hm, sizeof(hm), "%02d:%02d", h, mi);
	args[0] = day;
	args[1] = msg_get(cat, (enum msg_id)(MSG_MONTH_1 + mo - 1));
	args[2] = year;
	args[3] = hm;
	if ((s = msg_fmt(msg_get(cat, tpl), args, 4)) == NULL) {
		snprintf(buf, len, "%s", iso);
		return;
	}
	snprintf(buf, len, "%s", s);
	free(s);
}

void
msg_date(const struct msg_catalog *cat, const char *iso, char *buf,
    size_t len)
{
	date_fmt(cat, iso, buf, len, MSG_DATE);
}

void
msg_day(const struct msg_catalog *cat, const char *iso, char *buf,
    size_t len)
{
	date_fmt(cat, iso, buf, len, MSG_DAY);
}

const char *
msg_category(const struct msg_catalog *cat, const char *category)
{
	if (category == NULL || category[0] == '\0')
		return msg_get(cat, MSG_SUM_NOT_GIVEN);
	if (strcmp(category, "ES") == 0)
		return msg_get(cat, MSG_SUM_CAT_ES);
	if (strcmp(category, "ESMS") == 0)
		return msg_get(cat, MSG_SUM_CAT_ESMS);
	return category;
}
