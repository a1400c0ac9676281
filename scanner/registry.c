/*
 * registry.c - the establishments registry, from CSV or JSON.
 *
 * A bad line stops the load with "file:line: field: reason": this runs
 * before any packet is sent, and a silently shortened registry would
 * leave hospitals out of the audit.  Overlapping ranges between two
 * establishments are only a warning: the address is scanned once and its
 * findings attributed to both.
 */
#include "vigie/registry.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vigie/buf.h"
#include "vigie/err.h"

#define REG_LINE_MAX	65536	/* bytes in one CSV record */
#define REG_FIELDS	7

enum col {
	COL_ID, COL_NAME, COL_CATEGORY, COL_REGION, COL_RANGES, COL_HOSTNAMES,
	COL_CONTACT,
};

static const char *const	col_names[REG_FIELDS] = {
	[COL_ID] = "id", [COL_NAME] = "name", [COL_CATEGORY] = "category",
	[COL_REGION] = "region", [COL_RANGES] = "ranges",
	[COL_HOSTNAMES] = "hostnames", [COL_CONTACT] = "contact",
};

void
registry_init(struct registry *reg)
{
	memset(reg, 0, sizeof(*reg));
}

static void
est_fini(struct establishment *e)
{
	size_t	i;

	free(e->name);
	free(e->category);
	free(e->region);
	free(e->contact);
	free(e->ranges);
	for (i = 0; i < e->nhostnames; i++)
		free(e->hostnames[i]);
	free(e->hostnames);
}

void
registry_fini(struct registry *reg)
{
	size_t	i;

	for (i = 0; i < reg->n; i++)
		est_fini(&reg->v[i]);
	free(reg->v);
	memset(reg, 0, sizeof(*reg));
}

const struct establishment *
registry_find(const struct registry *reg, const char *id)
{
	size_t	i;

	for (i = 0; i < reg->n; i++)
		if (strcmp(reg->v[i].id, id) == 0)
			return &reg->v[i];
	return NULL;
}

/* Valid UTF-8 without control characters (a tab is allowed). */
static bool
utf8_valid(const char *s)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 n = strlen(s), i = 0, k;

	while (i < n) {
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f ||
		    (k = utf8_seq_len(p + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

/* FINESS: 9 characters, digits, with 2A/2B for Corsica's departments. */
static bool
finess_valid(const char *s)
{
	size_t	i;

	if (strlen(s) != FINESS_LEN)
		return false;
	for (i = 0; i < FINESS_LEN; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    !(i == 1 && (s[i] == 'A' || s[i] == 'B')))
			return false;
	return true;
}

static bool
hostname_valid(const char *s)
{
	size_t	len = strlen(s), label = 0, i;

	if (len == 0 || len > 253 || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static char *
dup_trim(const char *s)
{
	const char	*end;
	char		*d;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if ((d = malloc((size_t)(end - s) + 1)) == NULL)
		return NULL;
	memcpy(d, s, (size_t)(end - s));
	d[end - s] = '\0';
	return d;
}

/* Split on spaces (and commas or semicolons inside a quoted cell). */
static int
add_words(const char *s, int (*add)(struct establishment *, const char *,
    const char *, struct vg_err *), struct establishment *e,
    const char *where, struct vg_err *err)
{
	char	 word[256];
	size_t	 n;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t' || *s == ',' || *s == ';')
			s++;
		if (*s == '\0')
			break;
		n = strcspn(s, " \t,;");
		snprintf(word, sizeof(word), "%.*s", (int)n, s);
		if (n >= sizeof(word)) {
			vg_err_set(err, where, "item too long: '%.40s...'",
			    word);
			return -1;
		}
		if (add(e, word, where, err) == -1)
			return -1;
		s += n;
	}
	return 0;
}

static int
add_range(struct establishment *e, const char *w, const char *where,
    struct vg_err *err)
{
	struct vg_cidr	 c, *nv;
	char		 fix[ADDR_STRLEN + 8];

	if (cidr_parse(w, false, &c) == -1) {
		if (cidr_parse(w, true, &c) == 0)
			vg_err_set(err, where, "ranges: '%s' has host bits set "
			    "(did you mean %s?)", w,
			    cidr_str(&c, fix, sizeof(fix)));
		else
			vg_err_set(err, where, "ranges: '%s' is not a CIDR or "
			    "an address", w);
		return -1;
	}
	if ((nv = realloc(e->ranges, (e->nranges + 1) * sizeof(*nv))) ==
	    NULL) {
		vg_err_set(err, where, "out of memory");
		return -1;
	}
	nv[e->nranges++] = c;
	e->ranges = nv;
	return 0;
}

static int
add_hostname(struct establishment *e, const char *w, const char *where,
    struct vg_err *err)
{
	char	**nv, *d;

	if (!hostname_valid(w)) {
		vg_err_set(err, where, "hostnames: '%.64s' is not a host name",
		    w);
		return -1;
	}
	nv = realloc(e->hostnames, (e->nhostnames + 1) * sizeof(*nv));
	if (nv == NULL || (d = strdup(w)) == NULL) {
		if (nv != NULL)
			e->hostnames = nv;
		vg_err_set(err, where, "out of memory");
		return -1;
	}
	nv[e->nhostnames++] = d;
	e->hostnames = nv;
	return 0;
}

/*
 * Validate the fields of one establishment and append it.  `f` holds the
 * seven columns (NULL where absent).
 */
static int
add_establishment(struct registry *reg, const char *const f[REG_FIELDS],
    const char *where, struct vg_err *err)
{
	struct establishment	 e, *nv;
	const struct establishment *dup;
	size_t			 i;

	memset(&e, 0, sizeof(e));
	snprintf(e.where, sizeof(e.where), "%s", where);
	for (i = 0; i < REG_FIELDS; i++)
		if (f[i] != NULL && !utf8_valid(f[i])) {
			vg_err_set(err, where, "%s: not valid UTF-8 (save the "
			    "file as UTF-8)", col_names[i]);
			return -1;
		}
	if (f[COL_ID] == NULL || f[COL_ID][0] == '\0') {
		vg_err_set(err, where, "id: missing FINESS number");
		return -1;
	}
	if (!finess_valid(f[COL_ID])) {
		vg_err_set(err, where, "id: '%.32s' is not a FINESS number "
		    "(9 characters)", f[COL_ID]);
		return -1;
	}
	if ((dup = registry_find(reg, f[COL_ID])) != NULL) {
		vg_err_set(err, where, "id: %s already defined at %s",
		    f[COL_ID], dup->where);
		return -1;
	}
	memcpy(e.id, f[COL_ID], FINESS_LEN + 1);
	if ((f[COL_NAME] != NULL && (e.name = dup_trim(f[COL_NAME])) ==
	    NULL) || (f[COL_CATEGORY] != NULL && (e.category =
	    dup_trim(f[COL_CATEGORY])) == NULL) || (f[COL_REGION] != NULL &&
	    (e.region = dup_trim(f[COL_REGION])) == NULL) ||
	    (f[COL_CONTACT] != NULL && (e.contact =
	    dup_trim(f[COL_CONTACT])) == NULL)) {
		vg_err_set(err, where, "out of memory");
		goto fail;
	}
	if (f[COL_RANGES] != NULL &&
	    add_words(f[COL_RANGES], add_range, &e, where, err) == -1)
		goto fail;
	if (f[COL_HOSTNAMES] != NULL &&
	    add_words(f[COL_HOSTNAMES], add_hostname, &e, where, err) == -1)
		goto fail;
	if (e.nranges == 0 && e.nhostnames == 0) {
		vg_err_set(err, where, "ranges: empty, and no hostnames: "
		    "nothing to scan for %s", e.id);
		goto fail;
	}
	if ((nv = realloc(reg->v, (reg->n + 1) * sizeof(*nv))) == NULL) {
		vg_err_set(err, where, "out of memory");
		goto fail;
	}
	reg->v = nv;
	reg->v[reg->n++] = e;
	return 0;
fail:
	est_fini(&e);
	return -1;
}

/*
 * CSV: RFC 4180 quoting, ';' or ',' as chosen by the header, CRLF or LF.
 * A quoted cell may span lines; `lineno` counts physical lines.
 */
static int
csv_record(FILE *fp, char sep, char ***cells, size_t *ncells,
    unsigned long *lineno, struct vg_err *err, const char *path)
{
	char	*cell = NULL, **v = NULL;
	size_t	 len = 0, cap = 0, n = 0, total = 0;
	int	 c, quoted = 0, any = 0;
	char	 where[300];

#define PUSHC(ch) do {							\
	if (len + 1 >= cap) {						\
		char *nc = realloc(cell, cap = cap ? cap * 2 : 64);	\
		if (nc == NULL)						\
			goto nomem;					\
		cell = nc;						\
	}								\
	cell[len++] = (char)(ch);					\
} while (0)
#define PUSHCELL() do {							\
	char **nv = realloc(v, (n + 1) * sizeof(*v));			\
	if (nv == NULL)							\
		goto nomem;						\
	v = nv;								\
	PUSHC('\0');							\
	v[n++] = cell;							\
	cell = NULL;							\
	len = cap = 0;							\
} while (0)

	++*lineno;
	while ((c = fgetc(fp)) != EOF) {
		any = 1;
		if (++total > REG_LINE_MAX) {
			snprintf(where, sizeof(where), "%s:%lu", path, *lineno);
			vg_err_set(err, where, "record longer than %d bytes "
			    "(an unclosed quote?)", REG_LINE_MAX);
			goto fail;
		}
		if (quoted) {
			if (c == '"') {
				c = fgetc(fp);
				if (c == '"') {
					PUSHC('"');
					continue;
				}
				quoted = 0;
				if (c == EOF)
					break;
				ungetc(c, fp);
				continue;
			}
			if (c == '\n')
				++*lineno;
			PUSHC(c);
			continue;
		}
		if (c == '"' && len == 0) {
			quoted = 1;
			continue;
		}
		if (c == sep) {
			PUSHCELL();
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\n')
			break;
		PUSHC(c);
	}
	if (quoted) {
		snprintf(where, sizeof(where), "%s:%lu", path, *lineno);
		vg_err_set(err, where, "unclosed quote");
		goto fail;
	}
	if (!any) {
		free(cell);
		*cells = NULL;
		*ncells = 0;
		return 0;
	}
	PUSHCELL();
	*cells = v;
	*ncells = n;
	return 1;
nomem:
	vg_err_set(err, path, "out of memory");
fail:
	free(cell);
	while (n > 0)
		free(v[--n]);
	free(v);
	return -1;
#undef PUSHC
#undef PUSHCELL
}

static void
free_cells(char **v, size_t n)
{
	if (v == NULL)
		return;
	while (n > 0)
		free(v[--n]);
	free(v);
}

static bool
blank_record(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i][strspn(v[i], " \t")] != '\0')
			return false;
	return true;
}

static int
load_csv(struct registry *reg, const char *path, FILE *fp, FILE *warn,
    struct vg_err *err)
{
	char		**cells = NULL, where[300], first[4096];
	const char	 *f[REG_FIELDS];
	int		  map[64];
	size_t		  ncells = 0, i, j, ncols;
	unsigned long	  lineno = 0, recline;
	char		  sep;
	int		  r, rc = -1;

	/* The separator is whichever of ';' and ',' the header uses. */
	if (fgets(first, sizeof(first), fp) == NULL) {
		vg_err_set(err, path, "empty file (a header line is "
		    "required: id,name,category,region,ranges,hostnames,"
		    "contact)");
		return -1;
	}
	sep = strchr(first, ';') != NULL ? ';' : ',';
	rewind(fp);
	if (fgetc(fp) != 0xef || fgetc(fp) != 0xbb || fgetc(fp) != 0xbf)
		rewind(fp);		/* no UTF-8 byte order mark */
	if ((r = csv_record(fp, sep, &cells, &ncells, &lineno, err,
	    path)) == -1)
		return -1;
	if (r == 0) {		/* a byte order mark and nothing else */
		vg_err_set(err, path, "empty file (a header line is "
		    "required: id,name,category,region,ranges,hostnames,"
		    "contact)");
		return -1;
	}
	ncols = ncells < 64 ? ncells : 64;
	for (i = 0; i < ncols; i++) {
		char	*h = cells[i];

		h += strspn(h, " \t");
		h[strcspn(h, " \t")] = '\0';
		map[i] = -1;
		for (j = 0; j < REG_FIELDS; j++)
			if (strcasecmp(h, col_names[j]) == 0)
				map[i] = (int)j;
		if (map[i] == -1 && warn != NULL)
			fprintf(warn, "vigie: warning: %s:1: unknown column "
			    "'%.40s' ignored\n", path, cells[i]);
	}
	for (j = 0; j < REG_FIELDS; j++) {
		for (i = 0; i < ncols && map[i] != (int)j; i++)
			;
		if (i == ncols && (j == COL_ID || j == COL_RANGES)) {
			snprintf(where, sizeof(where), "%s:1", path);
			vg_err_set(err, where, "header: no '%s' column "
			    "(expected id,name,category,region,ranges,"
			    "hostnames,contact)", col_names[j]);
			goto out;
		}
	}
	free_cells(cells, ncells);
	cells = NULL;
	for (;;) {
		recline = lineno + 1;
		if ((r = csv_record(fp, sep, &cells, &ncells, &lineno, err,
		    path)) == -1)
			goto out;
		if (r == 0)
			break;
		snprintf(where, sizeof(where), "%s:%lu", path, recline);
		if (blank_record(cells, ncells)) {
			free_cells(cells, ncells);
			cells = NULL;
			continue;
		}
		if (ncells > ncols) {
			vg_err_set(err, where, "%zu fields, the header has %zu "
			    "(a '%c' inside a name needs quotes)", ncells,
			    ncols, sep);
			goto out;
		}
		for (j = 0; j < REG_FIELDS; j++)
			f[j] = NULL;
		for (i = 0; i < ncells; i++)
			if (map[i] >= 0)
				f[map[i]] = cells[i];
		if (add_establishment(reg, f, where, err) == -1)
			goto out;
		free_cells(cells, ncells);
		cells = NULL;
	}
	if (ferror(fp)) {
		vg_err_set(err, path, "read error: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free_cells(cells, ncells);
	return rc;
}

/* A JSON value as text for one field: a string, or an array of strings
 * joined with spaces.  NULL when absent; -1 on a wrong type. */
static int
json_field(json_t *o, const char *key, char **out)
{
	json_t	*v = json_object_get(o, key), *x;
	size_t	 i, len = 1;
	char	*s;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return (*out = strdup(json_string_value(v))) != NULL ? 0 : -1;
	if (json_is_integer(v)) {
		if (asprintf(out, "%lld", (long long)json_integer_value(v)) < 0)
			return -1;
		return 0;
	}
	if (!json_is_array(v))
		return -1;
	json_array_foreach(v, i, x) {
		if (!json_is_string(x))
			return -1;
		len += strlen(json_string_value(x)) + 1;
	}
	if ((s = calloc(1, len)) == NULL)
		return -1;
	len = 0;
	json_array_foreach(v, i, x) {
		size_t	n = strlen(json_string_value(x));

		if (i > 0)
			s[len++] = ' ';
		memcpy(s + len, json_string_value(x), n + 1);
		len += n;
	}
	*out = s;
	return 0;
}

static int
load_json(struct registry *reg, const char *path, struct vg_err *err)
{
	json_error_t	 je;
	json_t		*root, *o;
	char		*f[REG_FIELDS], where[300];
	size_t		 i, j;
	int		 rc = -1;

	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		snprintf(where, sizeof(where), "%s:%d", path, je.line);
		vg_err_set(err, where, "%s", je.text);
		return -1;
	}
	if (!json_is_array(root)) {
		snprintf(where, sizeof(where), "%s:1", path);
		vg_err_set(err, where, "expected an array of establishments");
		goto out;
	}
	json_array_foreach(root, i, o) {
		snprintf(where, sizeof(where), "%s:[%zu]", path, i);
		if (!json_is_object(o)) {
			vg_err_set(err, where, "expected an object");
			goto out;
		}
		for (j = 0; j < REG_FIELDS; j++) {
			if (json_field(o, col_names[j], &f[j]) == -1) {
				vg_err_set(err, where, "%s: expected a string "
				    "or an array of strings", col_names[j]);
				while (j > 0)
					free(f[--j]);
				goto out;
			}
		}
		rc = add_establishment(reg, (const char *const *)f, where,
		    err);
		for (j = 0; j < REG_FIELDS; j++)
			free(f[j]);
		if (rc == -1)
			goto out;
		rc = -1;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

struct owned_range {
	const struct vg_cidr		*c;
	const struct establishment	*e;
};

static int
owned_cmp(const void *x, const void *y)
{
	const struct owned_range	*a = x, *b = y;
	int				 r = addr_cmp(&a->c->addr, &b->c->addr);

	return r != 0 ? r : (int)a->c->plen - (int)b->c->plen;
}

/* Warn about ranges shared by two establishments: sort, then each range
 * is compared with the following ones it contains. */
static void
warn_overlaps(struct registry *reg, FILE *warn)
{
	struct owned_range	*v;
	size_t			 n = 0, i, j;
	char			 a[ADDR_STRLEN + 8], b[ADDR_STRLEN + 8];

	for (i = 0; i < reg->n; i++)
		n += reg->v[i].nranges;
	if (n < 2 || (v = calloc(n, sizeof(*v))) == NULL)
		return;
	n = 0;
	for (i = 0; i < reg->n; i++)
		for (j = 0; j < reg->v[i].nranges; j++) {
			v[n].c = &reg->v[i].ranges[j];
			v[n++].e = &reg->v[i];
		}
	qsort(v, n, sizeof(*v), owned_cmp);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && cidr_contains(v[i].c,
		    &v[j].c->addr); j++) {
			if (v[i].e == v[j].e)
				continue;
			reg->nwarn++;
			if (warn != NULL)
				fprintf(warn, "vigie: warning: %s: ranges: %s "
				    "overlaps %s of %s (%s); attributed to "
				    "both\n", v[j].e->where,
				    cidr_str(v[j].c, a, sizeof(a)),
				    cidr_str(v[i].c, b, sizeof(b)),
				    v[i].e->id, v[i].e->where);
		}
	free(v);
}

int
registry_load(struct registry *reg, const char *path, FILE *warn,
    struct vg_err *err)
{
	FILE	*fp;
	int	 c, rc;

	if ((fp = fopen(path, "r")) == NULL) {
		vg_err_set(err, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* JSON if the first non-blank byte opens an array. */
	while ((c = fgetc(fp)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		;
	if (c == '[') {
		fclose(fp);
		rc = load_json(reg, path, err);
	} else {
		rewind(fp);
		rc = load_csv(reg, path, fp, warn, err);
		fclose(fp);
	}
	if (rc == 0 && reg->n == 0) {
		vg_err_set(err, path, "no establishment in the registry");
		rc = -1;
	}
	if (rc == 0)
		warn_overlaps(reg, warn);
	return rc;
}

int
registry_add_adhoc(struct registry *reg, const char *ranges,
    struct vg_err *err)
{
	const char	*f[REG_FIELDS] = {
		[COL_ID] = "000000000",
		[COL_NAME] = "Cibles ad hoc (--target)",
		[COL_RANGES] = ranges,
	};

	return add_establishment(reg, f, "--target", err);
}

int
registry_add_address(struct establishment *e, const struct vg_addr *a)
{
	struct vg_cidr	 c, *nv;
	size_t		 i;

	c.addr = *a;
	c.plen = a->family == 4 ? 32 : 128;
	for (i = 0; i < e->nranges; i++)
		if (cidr_contains(&e->ranges[i], a))
			return 0;
	if ((nv = realloc(e->ranges, (e->nranges + 1) * sizeof(*nv))) == NULL)
		return -1;
	nv[e->nranges++] = c;
	e->ranges = nv;
	return 0;
}
