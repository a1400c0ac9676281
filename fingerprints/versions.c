/*
 * versions.c - version strings: dpkg's ordering (written after
 * deb-version(7) and dpkg's lib/dpkg/version.c, not copied from it),
 * ranges, and the banners that carry versions.  Pure; see versions.h.
 */
#include "fingerprints/versions.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define EPOCH_DIGITS_MAX	9	/* an epoch is a small number */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

/*
 * The weight of one character of a non-digit run: '~' before the end of
 * the string, the end before letters, letters before everything else.
 */
static int
order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c != '\0')
		return c + 256;
	return 0;
}

/*
 * Compare alternating non-digit and digit runs.  The non-digit loop
 * never steps past a NUL: it runs while one side has a non-digit
 * character, whose weight is never 0, so a NUL facing it differs.
 */
static int
verrevcmp(const char *a, const char *b)
{
	int	first_diff, ac, bc;

	while (*a != '\0' || *b != '\0') {
		first_diff = 0;
		while ((*a != '\0' && !is_digit((unsigned char)*a)) ||
		    (*b != '\0' && !is_digit((unsigned char)*b))) {
			ac = order((unsigned char)*a);
			bc = order((unsigned char)*b);
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (is_digit((unsigned char)*a) &&
		    is_digit((unsigned char)*b)) {
			if (first_diff == 0)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (is_digit((unsigned char)*a))
			return 1;
		if (is_digit((unsigned char)*b))
			return -1;
		if (first_diff != 0)
			return first_diff;
	}
	return 0;
}

/* A Debian version split into its parts. */
struct dver {
	unsigned long	epoch;
	char		up[VERS_MAX];
	char		rev[VERS_MAX];
};

static bool
dver_parse(const char *s, struct dver *d)
{
	const char	*colon, *up, *dash, *p;
	size_t		 len = strlen(s), n;
	bool		 has_epoch, has_rev;

	memset(d, 0, sizeof(*d));
	if (len == 0 || len >= VERS_MAX)
		return false;
	up = s;
	if ((colon = strchr(s, ':')) != NULL) {
		n = (size_t)(colon - s);
		if (n == 0 || n > EPOCH_DIGITS_MAX)
			return false;
		for (p = s; p < colon; p++) {
			if (!is_digit((unsigned char)*p))
				return false;
			d->epoch = d->epoch * 10 + (unsigned long)(*p - '0');
		}
		up = colon + 1;
	}
	has_epoch = colon != NULL;
	dash = strrchr(up, '-');
	has_rev = dash != NULL;
	n = has_rev ? (size_t)(dash - up) : strlen(up);
	if (n == 0 || !is_digit((unsigned char)up[0]))
		return false;
	memcpy(d->up, up, n);
	d->up[n] = '\0';
	for (p = d->up; *p != '\0'; p++)
		if (!is_alnum((unsigned char)*p) && strchr(".+~", *p) ==
		    NULL && !(has_rev && *p == '-') &&
		    !(has_epoch && *p == ':'))
			return false;
	if (has_rev) {
		if (dash[1] == '\0')
			return false;
		for (p = dash + 1; *p != '\0'; p++)
			if (!is_alnum((unsigned char)*p) &&
			    strchr(".+~", *p) == NULL)
				return false;
		memcpy(d->rev, dash + 1, strlen(dash + 1) + 1);
	}
	return true;
}

bool
vers_dpkg_valid(const char *s)
{
	struct dver	d;

	return s != NULL && dver_parse(s, &d);
}

int
vers_dpkg_cmp(const char *a, const char *b)
{
	struct dver	da, db;
	bool		va, vb;
	int		r;

	va = dver_parse(a, &da);
	vb = dver_parse(b, &db);
	if (!va || !vb) {
		if (va != vb)
			return va ? 1 : -1;
		r = strcmp(a, b);
		return r < 0 ? -1 : r > 0;
	}
	if (da.epoch != db.epoch)
		return da.epoch < db.epoch ? -1 : 1;
	if ((r = verrevcmp(da.up, db.up)) != 0)
		return r < 0 ? -1 : 1;
	r = verrevcmp(da.rev, db.rev);
	return r < 0 ? -1 : r > 0;
}

int
vers_upstream_cmp(const char *a, const char *b)
{
	int	r = verrevcmp(a, b);

	return r < 0 ? -1 : r > 0;
}

/* Characters of a version written in the data (and of ranges). */
static bool
range_version_ok(const char *s)
{
	size_t	i;

	if (!is_digit((unsigned char)s[0]))
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    strchr(".+~_-:", s[i]) == NULL)
			return false;
	return i < VERS_MAX;
}

int
vers_range_parse(const char *s, struct vers_range *r, const char **why)
{
	static const struct {
		const char	*text;
		enum vers_op	 op;
	} ops[] = {		/* longest first */
		{ .text = "<=", .op = VERS_LE },
		{ .text = ">=", .op = VERS_GE },
		{ .text = "==", .op = VERS_EQ },
		{ .text = "<",  .op = VERS_LT },
		{ .text = ">",  .op = VERS_GT },
		{ .text = "=",  .op = VERS_EQ },
	};
	struct vers_cond	*c;
	const char		*p = s;
	size_t			 i, n;

	memset(r, 0, sizeof(*r));
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (r->n == VERS_CONDS_MAX) {
			*why = "more than two conditions";
			return -1;
		}
		c = &r->c[r->n];
		c->op = VERS_EQ;
		for (i = 0; i < NELEM(ops); i++) {
			n = strlen(ops[i].text);
			if (strncmp(p, ops[i].text, n) == 0) {
				c->op = ops[i].op;
				p += n;
				break;
			}
		}
		if (i == NELEM(ops) && r->n > 0) {
			*why = "a second condition needs an operator";
			return -1;
		}
		while (*p == ' ')
			p++;
		for (n = 0; p[n] != '\0' && p[n] != ' '; n++)
			continue;
		if (n == 0 || n >= VERS_MAX) {
			*why = "missing or overlong version";
			return -1;
		}
		memcpy(c->v, p, n);
		c->v[n] = '\0';
		if (!range_version_ok(c->v)) {
			*why = "a version starts with a digit and holds "
			    "[A-Za-z0-9.+~_-:]";
			return -1;
		}
		p += n;
		r->n++;
	}
	if (r->n == 0) {
		*why = "empty range";
		return -1;
	}
	return 0;
}

bool
vers_range_has(const struct vers_range *r, const char *v)
{
	size_t	i;
	int	c;

	for (i = 0; i < r->n; i++) {
		c = vers_upstream_cmp(v, r->c[i].v);
		switch (r->c[i].op) {
		case VERS_LT:
			if (!(c < 0))
				return false;
			break;
		case VERS_LE:
			if (!(c <= 0))
				return false;
			break;
		case VERS_EQ:
			if (c != 0)
				return false;
			break;
		case VERS_GE:
			if (!(c >= 0))
				return false;
			break;
		case VERS_GT:
			if (!(c > 0))
				return false;
			break;
		default:
			return false;
		}
	}
	return r->n > 0;
}

/* The pre-release words that get dpkg's '~'. */
static size_t
prerelease_word(const char *s, size_t len)
{
	static const char *const	words[] = {
		"alpha", "beta", "pre", "rc",
	};
	size_t				i, n;

	for (i = 0; i < NELEM(words); i++) {
		n = strlen(words[i]);
		if (len >= n && strncasecmp(s, words[i], n) == 0 &&
		    (len == n || is_digit((unsigned char)s[n]) || s[n] == '.'))
			return n;
	}
	return 0;
}

static bool
token_char(int c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '~' ||
	    c == '-';
}

size_t
vers_normalize(const char *s, size_t len, char *out, size_t outlen)
{
	size_t	i, o = 0, tok, w;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (len == 0 || !is_digit((unsigned char)s[0]))
		return 0;
	for (tok = 0; tok < len && token_char((unsigned char)s[tok]); tok++)
		continue;
	for (i = 0; i < tok; i++) {
		w = 0;
		if (s[i] == '-' || s[i] == '+') {
			if ((w = prerelease_word(s + i + 1, tok - i - 1)) == 0)
				break;		/* a build suffix: cut */
			i++;			/* the word follows '~' */
		} else if (is_alpha((unsigned char)s[i]) && i > 0 &&
		    (is_digit((unsigned char)s[i - 1]) || s[i - 1] == '.')) {
			w = prerelease_word(s + i, tok - i);
		}
		if (w > 0) {
			if (o + 1 + w >= outlen)
				return 0;
			out[o++] = '~';
			memcpy(out + o, s + i, w);
			o += w;
			i += w - 1;
			continue;
		}
		if (o + 1 >= outlen)
			return 0;
		out[o++] = s[i] == '_' ? '.' : s[i];
	}
	while (o > 0 && (out[o - 1] == '.' || out[o - 1] == '~'))
		o--;
	out[o] = '\0';
	return o > 0 ? tok : 0;
}

/* Distribution names, as banners write them. */
static const struct {
	const char		*needle;
	enum vers_family	 family;
	const char		*distro;
} distros[] = {
	{ .needle = "Raspbian",	.family = VERS_FAMILY_DEBIAN,
	  .distro = "raspbian" },
	{ .needle = "Debian",	.family = VERS_FAMILY_DEBIAN,
	  .distro = "debian" },
	{ .needle = "Ubuntu",	.family = VERS_FAMILY_UBUNTU,
	  .distro = "ubuntu" },
	{ .needle = "CentOS",	.family = VERS_FAMILY_EL, .distro = "centos" },
	{ .needle = "Red Hat",	.family = VERS_FAMILY_EL, .distro = "rhel" },
	{ .needle = "Rocky",	.family = VERS_FAMILY_EL, .distro = "rocky" },
	{ .needle = "AlmaLinux", .family = VERS_FAMILY_EL, .distro = "alma" },
	{ .needle = "Oracle",	.family = VERS_FAMILY_EL, .distro = "oracle" },
	{ .needle = "Fedora",	.family = VERS_FAMILY_OTHER,
	  .distro = "fedora" },
	{ .needle = "SUSE",	.family = VERS_FAMILY_OTHER, .distro = "suse" },
	{ .needle = "Amazon",	.family = VERS_FAMILY_OTHER,
	  .distro = "amazon" },
	{ .needle = "FreeBSD",	.family = VERS_FAMILY_OTHER,
	  .distro = "freebsd" },
	{ .needle = "Gentoo",	.family = VERS_FAMILY_OTHER,
	  .distro = "gentoo" },
	{ .needle = "Alpine",	.family = VERS_FAMILY_OTHER,
	  .distro = "alpine" },
};

/* Comments of builds made from the upstream sources (Apache's own). */
static const char *const	upstream_builds[] = {
	"Unix", "Win32", "Win64",
};

/* First case-insensitive occurrence of needle in [p, p+len), or NULL. */
static const char *
find_nocase(const char *p, size_t len, const char *needle)
{
	size_t	i, n = strlen(needle);

	if (n == 0 || n > len)
		return NULL;
	for (i = 0; i + n <= len; i++)
		if (strncasecmp(p + i, needle, n) == 0)
			return p + i;
	return NULL;
}

static void
set_distro(struct vers_sw *sw, size_t i)
{
	sw->family = distros[i].family;
	memcpy(sw->distro, distros[i].distro, strlen(distros[i].distro) + 1);
}

/* A distribution named within [p, p+len). */
static bool
distro_in(const char *p, size_t len, struct vers_sw *sw)
{
	size_t	i;

	for (i = 0; i < NELEM(distros); i++)
		if (find_nocase(p, len, distros[i].needle) != NULL) {
			set_distro(sw, i);
			return true;
		}
	return false;
}

bool
vers_distro_marker(const char *text, struct vers_sw *sw)
{
	const char	*open, *close, *hit;
	size_t		 len = strlen(text), i;

	for (open = text; (open = memchr(open, '(', len -
	    (size_t)(open - text))) != NULL; open = close + 1) {
		close = memchr(open, ')', len - (size_t)(open - text));
		if (close == NULL)
			break;
		if (distro_in(open + 1, (size_t)(close - open - 1), sw))
			return true;
		for (i = 0; i < NELEM(upstream_builds); i++)
			if (find_nocase(open + 1, (size_t)(close - open - 1),
			    upstream_builds[i]) != NULL)
				sw->upstream = true;
	}
	/* "4.17.12-Debian", "Samba 4.15.13-Ubuntu". */
	for (i = 0; i < NELEM(distros); i++) {
		if (distros[i].family != VERS_FAMILY_DEBIAN &&
		    distros[i].family != VERS_FAMILY_UBUNTU)
			continue;
		hit = find_nocase(text, len, distros[i].needle);
		if (hit != NULL && hit > text && hit[-1] == '-') {
			set_distro(sw, i);
			return true;
		}
	}
	return false;
}

static void
sw_clear(struct vers_sw *sw)
{
	memset(sw, 0, sizeof(*sw));
}

/* A package revision: [A-Za-z0-9.+~], starting with an alphanumeric. */
static bool
revision_ok(const char *p, size_t n)
{
	size_t	i;

	if (n == 0 || n >= VERS_MAX || !is_alnum((unsigned char)p[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)p[i]) && strchr(".+~", p[i]) ==
		    NULL)
			return false;
	return true;
}

bool
vers_from_ssh(const char *software, const char *comments, const char *token,
    struct vers_sw *sw)
{
	/* The comments that carry a package revision. */
	static const char *const	revs[] = {
		"Debian", "Raspbian", "Ubuntu",
	};
	size_t				tlen = strlen(token), slen, word, i, n;

	sw_clear(sw);
	if (software == NULL)
		return false;
	slen = strlen(software);
	if (tlen == 0 || slen <= tlen + 1 ||
	    strncasecmp(software, token, tlen) != 0 ||
	    (software[tlen] != '_' && software[tlen] != '-'))
		return false;
	if (vers_normalize(software + tlen + 1, slen - tlen - 1, sw->version,
	    sizeof(sw->version)) == 0)
		return false;
	if (comments == NULL || comments[0] == '\0')
		return true;
	for (word = 0; comments[word] != '\0' && comments[word] != ' '; word++)
		continue;
	for (i = 0; i < NELEM(revs); i++) {
		n = strlen(revs[i]);
		if (word <= n + 1 || strncasecmp(comments, revs[i], n) != 0 ||
		    comments[n] != '-')
			continue;
		distro_in(comments, n, sw);
		n++;
		if (revision_ok(comments + n, word - n)) {
			memcpy(sw->revision, comments + n, word - n);
			sw->revision[word - n] = '\0';
		}
		return true;
	}
	/* "FreeBSD-20240701" and other vendors' comments. */
	distro_in(comments, word, sw);
	return true;
}

bool
vers_from_server(const char *server, const char *token, struct vers_sw *sw)
{
	const char	*p, *end, *tok;
	size_t		 tlen = strlen(token), n;
	int		 depth = 0;

	sw_clear(sw);
	if (server == NULL || tlen == 0)
		return false;
	end = server + strlen(server);
	for (p = server; p < end; ) {
		if (*p == '(') {
			depth++;
			p++;
			continue;
		}
		if (*p == ')') {
			if (depth > 0)
				depth--;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == ',' || depth > 0) {
			p++;
			continue;
		}
		/* A "name/version" token outside comments. */
		tok = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '(' &&
		    *p != ',')
			p++;
		n = (size_t)(p - tok);
		if (n > tlen + 1 && tok[tlen] == '/' &&
		    strncasecmp(tok, token, tlen) == 0 &&
		    vers_normalize(tok + tlen + 1, n - tlen - 1, sw->version,
		    sizeof(sw->version)) > 0) {
			vers_distro_marker(server, sw);
			return true;
		}
	}
	sw_clear(sw);
	return false;
}

bool
vers_revision(const char *rev, struct vers_sw *sw)
{
	size_t	n;

	if (rev == NULL)
		return false;
	n = strlen(rev);
	/* MariaDB's own repositories: "+maria~ubu2204", "+maria~deb12". */
	if (find_nocase(rev, n, "+maria~") != NULL) {
		sw->upstream = true;
		sw->family = VERS_FAMILY_NONE;
		sw->distro[0] = '\0';
		sw->revision[0] = '\0';
		return true;
	}
	if (!revision_ok(rev, n))
		return false;
	if (find_nocase(rev, n, "ubuntu") != NULL) {
		sw->family = VERS_FAMILY_UBUNTU;
		memcpy(sw->distro, "ubuntu", sizeof("ubuntu"));
	} else if (find_nocase(rev, n, "deb") != NULL) {
		sw->family = VERS_FAMILY_DEBIAN;
		memcpy(sw->distro, "debian", sizeof("debian"));
	} else {
		return false;
	}
	memcpy(sw->revision, rev, n + 1);	/* n < VERS_MAX: revision_ok */
	return true;
}

bool
vers_from_text(const char *version, struct vers_sw *sw)
{
	sw_clear(sw);
	if (version == NULL || vers_normalize(version, strlen(version),
	    sw->version, sizeof(sw->version)) == 0)
		return false;
	vers_distro_marker(version, sw);
	return true;
}
