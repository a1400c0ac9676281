/*
 * rules.c - rule files to compiled rules.
 *
 * A rule file is one YAML document: a list of rules (see the comment at
 * the top of fingerprints/rules/remote_access.yaml for the format).  It
 * is read in two steps.  libyaml's event parser builds a small tree that
 * keeps each node's line, refusing anchors, aliases and tags (so a file
 * cannot expand itself) and bounding depth and size.  The schema is then
 * checked rule by rule while the compiled rule is built: unknown keys,
 * missing fields, bad values, PCRE2 compile errors and unknown checks all
 * stop the load with "file:line: reason", the line being libyaml's.
 */
#include "fingerprints_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "vigie/err.h"
#include "vigie/obs.h"

enum ytype {
	Y_SCALAR,
	Y_SEQ,
	Y_MAP,
};

/* A YAML node.  A mapping's kids alternate key, value. */
struct ynode {
	enum ytype	  type;
	unsigned long	  line;
	char		 *str;		/* scalar, NUL-terminated */
	struct ynode	**kids;
	size_t		  n, cap;
};

struct loader {
	struct fp_rules	*set;
	const char	*path;		/* as kept in set->files */
	struct vg_err	*err;
	size_t		 nodes;
	bool		 in_rule;	/* errors say "rule 'id': " */
	const char	*rule;		/* its id, borrowed from the tree */
};

/* The closed vocabularies of the schema. */
static const char *const rule_keys[] = {
	"id", "severity", "theme", "confidence", "when", "check", "evidence",
	"title", "advice", "references", "examples", NULL,
};
static const char *const when_keys[] = {
	"service", "port", "tls", "fields", NULL,
};
static const char *const lang_keys[] = { "fr", "en", NULL };
static const char *const example_keys[] = { "obs", "expect", NULL };
static const char *const themes[] = {
	"Exposition", "MFA", "Mises à jour", "Chiffrement", "Comptes",
	"Journaux", NULL,
};
static const char *const confidences[] = {
	"certain", "likely", "to-verify", NULL,
};

static int	fail(struct loader *, unsigned long, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
fail(struct loader *ld, unsigned long line, const char *fmt, ...)
{
	char	where[sizeof(ld->err->where)];
	char	msg[sizeof(ld->err->msg)];
	va_list	ap;

	snprintf(where, sizeof(where), "%s:%lu", ld->path, line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->in_rule && ld->rule != NULL)
		vg_err_set(ld->err, where, "rule '%.64s': %s", ld->rule, msg);
	else if (ld->in_rule)
		vg_err_set(ld->err, where, "rule: %s", msg);
	else
		vg_err_set(ld->err, where, "%s", msg);
	return -1;
}

/* Grow *arr to hold one more element of `size` bytes; -1 when full. */
static int
grow(void *arrp, size_t *cap, size_t n, size_t size, size_t max)
{
	void	**arr = arrp;
	void	 *p;
	size_t	  ncap;

	if (n < *cap)
		return 0;
	if (n >= max)
		return -1;
	ncap = *cap != 0 ? *cap * 2 : 4;
	if (ncap > max)
		ncap = max;
	if ((p = realloc(*arr, ncap * size)) == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static void
ynode_free(struct ynode *y)
{
	size_t	i;

	if (y == NULL)
		return;
	for (i = 0; i < y->n; i++)
		ynode_free(y->kids[i]);	/* depth <= RULES_DEPTH_MAX */
	free(y->kids);
	free(y->str);
	free(y);
}

static struct ynode *
ynode_new(struct loader *ld, enum ytype type, unsigned long line)
{
	struct ynode	*y;

	if (++ld->nodes > RULES_NODES_MAX) {
		fail(ld, line, "more than %d YAML nodes", RULES_NODES_MAX);
		return NULL;
	}
	if ((y = calloc(1, sizeof(*y))) == NULL) {
		fail(ld, line, "out of memory");
		return NULL;
	}
	y->type = type;
	y->line = line;
	return y;
}

static int
ynode_add(struct loader *ld, struct ynode *parent, struct ynode *kid)
{
	if (grow(&parent->kids, &parent->cap, parent->n, sizeof(kid),
	    RULES_NODES_MAX) == -1)
		return fail(ld, kid->line, "out of memory");
	parent->kids[parent->n++] = kid;
	return 0;
}

/* The event's anchor and tag, refused: the schema needs neither. */
static int
check_props(struct loader *ld, unsigned long line, const yaml_char_t *anchor,
    const yaml_char_t *tag)
{
	if (anchor != NULL)
		return fail(ld, line, "YAML anchors and aliases are not "
		    "supported");
	if (tag != NULL)
		return fail(ld, line, "YAML tags are not supported (quote a "
		    "\"!field\" key)");
	return 0;
}

static int
parse_error(struct loader *ld, const yaml_parser_t *p)
{
	const char	*problem = p->problem != NULL ? p->problem :
			    "cannot parse";

	if (p->error == YAML_MEMORY_ERROR)
		return fail(ld, p->problem_mark.line + 1, "out of memory");
	if (p->context != NULL)
		return fail(ld, p->problem_mark.line + 1, "YAML: %s %s "
		    "(line %lu)", problem, p->context,
		    (unsigned long)p->context_mark.line + 1);
	return fail(ld, p->problem_mark.line + 1, "YAML: %s", problem);
}

/*
 * Build the tree of one YAML document.  *rootp is NULL for an empty file.
 * 0 or -1.
 */
static int
yaml_tree(struct loader *ld, const void *data, size_t len,
    struct ynode **rootp)
{
	yaml_parser_t	  parser;
	yaml_event_t	  ev;
	struct ynode	 *stack[RULES_DEPTH_MAX];
	struct ynode	 *root = NULL, *y;
	size_t		  depth = 0;
	unsigned long	  line;
	int		  done = 0, ndocs = 0, rc = -1;
	enum ytype	  type;

	*rootp = NULL;
	if (!yaml_parser_initialize(&parser))
		return fail(ld, 1, "out of memory");
	yaml_parser_set_input_string(&parser, data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			parse_error(ld, &parser);
			goto out;
		}
		line = (unsigned long)ev.start_mark.line + 1;
		y = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				fail(ld, line, "one YAML document per file");
				goto bad;
			}
			break;
		case YAML_ALIAS_EVENT:
			fail(ld, line, "YAML anchors and aliases are not "
			    "supported");
			goto bad;
		case YAML_SCALAR_EVENT:
			if (check_props(ld, line, ev.data.scalar.anchor,
			    ev.data.scalar.tag) == -1)
				goto bad;
			if (memchr(ev.data.scalar.value, '\0',
			    ev.data.scalar.length) != NULL) {
				fail(ld, line, "NUL byte in a string");
				goto bad;
			}
			if ((y = ynode_new(ld, Y_SCALAR, line)) == NULL)
				goto bad;
			if ((y->str = strdup((const char *)
			    ev.data.scalar.value)) == NULL) {
				ynode_free(y);
				fail(ld, line, "out of memory");
				goto bad;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (ev.type == YAML_SEQUENCE_START_EVENT) {
				type = Y_SEQ;
				if (check_props(ld, line,
				    ev.data.sequence_start.anchor,
				    ev.data.sequence_start.tag) == -1)
					goto bad;
			} else {
				type = Y_MAP;
				if (check_props(ld, line,
				    ev.data.mapping_start.anchor,
				    ev.data.mapping_start.tag) == -1)
					goto bad;
			}
			if (depth == RULES_DEPTH_MAX) {
				fail(ld, line, "YAML nested more than %d deep",
				    RULES_DEPTH_MAX);
				goto bad;
			}
			if ((y = ynode_new(ld, type, line)) == NULL)
				goto bad;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)		/* libyaml balances them */
				depth--;
			break;
		default:
			break;
		}
		/* Attach the new node, then descend into a collection. */
		if (y != NULL) {
			if (depth == 0) {
				ynode_free(root);	/* NULL: one document */
				root = y;
			} else if (ynode_add(ld, stack[depth - 1], y) == -1) {
				ynode_free(y);
				goto bad;
			}
			if (y->type != Y_SCALAR)
				stack[depth++] = y;
		}
		yaml_event_delete(&ev);
	}
	*rootp = root;
	root = NULL;
	rc = 0;
	goto out;
bad:
	yaml_event_delete(&ev);
out:
	ynode_free(root);
	yaml_parser_delete(&parser);
	return rc;
}

static const char *
ytype_str(enum ytype t)
{
	switch (t) {
	case Y_SCALAR:
		return "a string";
	case Y_SEQ:
		return "a list";
	case Y_MAP:
		return "a mapping";
	default:
		return "?";
	}
}

static int
expect_type(struct loader *ld, const struct ynode *y, enum ytype t,
    const char *what)
{
	if (y->type != t)
		return fail(ld, y->line, "%s: expected %s, found %s", what,
		    ytype_str(t), ytype_str(y->type));
	return 0;
}

/* Index of s in a NULL-terminated table, or -1. */
static int
lookup(const char *const *table, const char *s)
{
	int	i;

	for (i = 0; table[i] != NULL; i++)
		if (strcmp(table[i], s) == 0)
			return i;
	return -1;
}

/*
 * A mapping whose keys are strings, each once: from `allowed` (fewer
 * than 64) when not NULL, else any but at most `max` of them.  `what`
 * prefixes the messages; "" for the rule itself.  Linear in the keys for
 * a closed vocabulary, and bounded otherwise.
 */
static int
check_map(struct loader *ld, const struct ynode *y, const char *const *allowed,
    size_t max, const char *what)
{
	const char	*sep = what[0] != '\0' ? ": " : "";
	const char	*key;
	uint64_t	 seen = 0;
	size_t		 i, j;
	int		 k;

	if (y->type != Y_MAP)
		return fail(ld, y->line, "%s%sexpected a mapping, found %s",
		    what, sep, ytype_str(y->type));
	if (allowed == NULL && y->n / 2 > max)
		return fail(ld, y->line, "%s%smore than %zu keys", what, sep,
		    max);
	for (i = 0; i < y->n; i += 2) {
		if (y->kids[i]->type != Y_SCALAR)
			return fail(ld, y->kids[i]->line, "%s%sa key must be "
			    "a string", what, sep);
		key = y->kids[i]->str;
		if (allowed != NULL) {
			if ((k = lookup(allowed, key)) == -1)
				return fail(ld, y->kids[i]->line, "%s%sunknown "
				    "key '%s'", what, sep, key);
			if ((seen & (uint64_t)1 << k) != 0)
				goto dup;
			seen |= (uint64_t)1 << k;
			continue;
		}
		for (j = 0; j < i; j += 2)
			if (strcmp(y->kids[j]->str, key) == 0)
				goto dup;
	}
	return 0;
dup:
	return fail(ld, y->kids[i]->line, "%s%sduplicate key '%s'", what, sep,
	    y->kids[i]->str);
}

/* The value of `key` in a checked mapping, or NULL. */
static const struct ynode *
map_get(const struct ynode *y, const char *key)
{
	size_t	i;

	for (i = 0; i + 1 < y->n; i += 2)
		if (strcmp(y->kids[i]->str, key) == 0)
			return y->kids[i + 1];
	return NULL;
}

static int
get_str(struct loader *ld, const struct ynode *y, const char *what,
    size_t max, char **out)
{
	size_t	len;

	if (expect_type(ld, y, Y_SCALAR, what) == -1)
		return -1;
	len = strlen(y->str);
	if (len == 0)
		return fail(ld, y->line, "%s: empty", what);
	if (len > max)
		return fail(ld, y->line, "%s: longer than %zu bytes", what,
		    max);
	if ((*out = strdup(y->str)) == NULL)
		return fail(ld, y->line, "out of memory");
	return 0;
}

/*
 * A string, or a list of them: a one-or-many value.  Returns the number
 * of items, read with item_at(), or -1.
 */
static long
get_items(struct loader *ld, const struct ynode *y, const char *what)
{
	size_t	i;

	if (y->type == Y_SCALAR)
		return 1;
	if (y->type != Y_SEQ)
		return fail(ld, y->line, "%s: expected a string or a list",
		    what);
	if (y->n == 0)
		return fail(ld, y->line, "%s: empty list", what);
	if (y->n > RULES_LIST_MAX)
		return fail(ld, y->line, "%s: more than %d items", what,
		    RULES_LIST_MAX);
	for (i = 0; i < y->n; i++)
		if (y->kids[i]->type != Y_SCALAR)
			return fail(ld, y->kids[i]->line, "%s: expected a "
			    "string, found %s", what,
			    ytype_str(y->kids[i]->type));
	return (long)y->n;
}

static const struct ynode *
item_at(const struct ynode *y, size_t i)
{
	return y->type == Y_SCALAR ? y : y->kids[i];
}

/* [a-z0-9] plus the characters of `extra`, 1 to max-1 bytes. */
static bool
name_ok(const char *s, const char *extra, size_t max)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    strchr(extra, s[i]) != NULL))
			return false;
	return i > 0 && i < max;
}

static bool
field_ok(const char *s)
{
	return name_ok(s, "._-", OBS_KEY_MAX);
}

static int
get_names(struct loader *ld, const struct ynode *y, const char *what,
    bool (*ok)(const char *), char ***out, size_t *nout)
{
	const struct ynode	*it;
	size_t			 i;
	long			 n;

	if ((n = get_items(ld, y, what)) == -1)
		return -1;
	if ((*out = calloc((size_t)n, sizeof(**out))) == NULL)
		return fail(ld, y->line, "out of memory");
	for (i = 0; i < (size_t)n; i++) {
		it = item_at(y, i);
		if (!ok(it->str))
			return fail(ld, it->line, "%s: bad name '%s'", what,
			    it->str);
		if (((*out)[i] = strdup(it->str)) == NULL)
			return fail(ld, it->line, "out of memory");
		*nout = i + 1;
	}
	return 0;
}

static bool
service_ok(const char *s)
{
	return name_ok(s, "_-", sizeof(((struct obs *)NULL)->service));
}

static int
get_port(struct loader *ld, const struct ynode *y, const char *what,
    uint16_t *port)
{
	unsigned long	v = 0;
	const char	*p;

	if (expect_type(ld, y, Y_SCALAR, what) == -1)
		return -1;
	for (p = y->str; *p >= '0' && *p <= '9' && v <= 65535; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == y->str || *p != '\0' || v == 0 || v > 65535)
		return fail(ld, y->line, "%s: '%s' is not a port (1-65535)",
		    what, y->str);
	*port = (uint16_t)v;
	return 0;
}

static int
get_bool(struct loader *ld, const struct ynode *y, const char *what,
    bool *b)
{
	if (expect_type(ld, y, Y_SCALAR, what) == -1)
		return -1;
	if (strcmp(y->str, "true") == 0 || strcmp(y->str, "yes") == 0)
		*b = true;
	else if (strcmp(y->str, "false") == 0 || strcmp(y->str, "no") == 0)
		*b = false;
	else
		return fail(ld, y->line, "%s: expected true or false, found "
		    "'%s'", what, y->str);
	return 0;
}

/* A choice from a closed table; *out points into the table. */
static int
get_choice(struct loader *ld, const struct ynode *y, const char *what,
    const char *const *table, const char **out)
{
	char	list[256];
	size_t	len = 0;
	int	i;

	if (expect_type(ld, y, Y_SCALAR, what) == -1)
		return -1;
	if ((i = lookup(table, y->str)) != -1) {
		*out = table[i];
		return 0;
	}
	list[0] = '\0';
	for (i = 0; table[i] != NULL && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
		    "%s%s", i > 0 ? ", " : "", table[i]);
	return fail(ld, y->line, "%s: '%s' is not one of %s", what, y->str,
	    list);
}

/* title: or advice: a mapping of fr (required when `need_fr`) and en. */
static int
get_texts(struct loader *ld, const struct ynode *y, const char *what,
    bool need_fr, char **fr, char **en)
{
	const struct ynode	*v;
	char			 w[64];

	if (check_map(ld, y, lang_keys, 0, what) == -1)
		return -1;
	if ((v = map_get(y, "fr")) == NULL) {
		if (need_fr)
			return fail(ld, y->line, "%s: missing 'fr'", what);
	} else {
		snprintf(w, sizeof(w), "%s.fr", what);
		if (get_str(ld, v, w, RULES_TEXT_MAX, fr) == -1)
			return -1;
	}
	if ((v = map_get(y, "en")) != NULL) {
		snprintf(w, sizeof(w), "%s.en", what);
		if (get_str(ld, v, w, RULES_TEXT_MAX, en) == -1)
			return -1;
	}
	return 0;
}

static int
get_references(struct loader *ld, const struct ynode *y, char **out)
{
	size_t		 i, len = 0;
	long		 n;
	const char	*s;

	if ((n = get_items(ld, y, "references")) == -1)
		return -1;
	for (i = 0; i < (size_t)n; i++) {
		s = item_at(y, i)->str;
		if ((strncmp(s, "https://", 8) != 0 &&
		    strncmp(s, "http://", 7) != 0) ||
		    strpbrk(s, " \t\r\n") != NULL)
			return fail(ld, item_at(y, i)->line, "references: "
			    "'%s' is not a URL", s);
		len += strlen(s) + 1;
	}
	if ((*out = malloc(len)) == NULL)
		return fail(ld, y->line, "out of memory");
	for (i = 0, len = 0; i < (size_t)n; i++) {
		s = item_at(y, i)->str;
		if (i > 0)
			(*out)[len++] = ' ';
		memcpy(*out + len, s, strlen(s));
		len += strlen(s);
	}
	(*out)[len] = '\0';
	return 0;
}

static int
compile_re(struct loader *ld, const struct ynode *y, const char *key,
    pcre2_code **re)
{
	PCRE2_UCHAR	msg[256];
	PCRE2_SIZE	off;
	int		code;

	if (expect_type(ld, y, Y_SCALAR, "fields") == -1)
		return -1;
	*re = pcre2_compile((PCRE2_SPTR)y->str, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
	    &code, &off, ld->set->cctx);
	if (*re != NULL)
		return 0;
	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", code);
	return fail(ld, y->line, "field '%s': bad regex at offset %zu: %s",
	    key, (size_t)off, (const char *)msg);
}

static int
get_fields(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	const struct ynode	*k;
	struct fp_cond		*c;
	size_t			 i;

	if (check_map(ld, y, NULL, RULES_LIST_MAX, "fields") == -1)
		return -1;
	if (y->n == 0)
		return fail(ld, y->line, "fields: empty mapping");
	if ((r->conds = calloc(y->n / 2, sizeof(*r->conds))) == NULL)
		return fail(ld, y->line, "out of memory");
	for (i = 0; i < y->n; i += 2) {
		k = y->kids[i];
		c = &r->conds[r->nconds++];
		c->absent = k->str[0] == '!';
		if (!field_ok(k->str + c->absent))
			return fail(ld, k->line, "fields: bad field name "
			    "'%s'", k->str);
		if ((c->key = strdup(k->str + c->absent)) == NULL)
			return fail(ld, k->line, "out of memory");
		/* The value of a "!field" key is not used. */
		if (c->absent)
			continue;
		if (compile_re(ld, y->kids[i + 1], c->key, &c->re) == -1)
			return -1;
	}
	return 0;
}

static int
get_when(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	const struct ynode	*v;
	size_t			 i;
	long			 n;
	bool			 b;

	if (check_map(ld, y, when_keys, 0, "when") == -1)
		return -1;
	if (y->n == 0)
		return fail(ld, y->line, "when: empty mapping");
	if ((v = map_get(y, "service")) != NULL &&
	    get_names(ld, v, "when.service", service_ok, &r->services,
	    &r->nservices) == -1)
		return -1;
	if ((v = map_get(y, "port")) != NULL) {
		if ((n = get_items(ld, v, "when.port")) == -1)
			return -1;
		if ((r->ports = calloc((size_t)n, sizeof(*r->ports))) == NULL)
			return fail(ld, v->line, "out of memory");
		for (i = 0; i < (size_t)n; i++) {
			if (get_port(ld, item_at(v, i), "when.port",
			    &r->ports[i]) == -1)
				return -1;
			r->nports++;
		}
	}
	if ((v = map_get(y, "tls")) != NULL) {
		if (get_bool(ld, v, "when.tls", &b) == -1)
			return -1;
		r->tls = b;
	}
	if ((v = map_get(y, "fields")) != NULL && get_fields(ld, v, r) == -1)
		return -1;
	return 0;
}

static int
get_example(struct loader *ld, const struct ynode *y, struct fp_example *ex)
{
	const struct ynode	*o, *k, *v;
	size_t			 i;
	bool			 b;
	int			 e;
	static const char *const expects[] = {
		[FP_MATCH] = "match",
		[FP_NO_MATCH] = "no-match",
		[FP_UNKNOWN] = "unknown",
		NULL,
	};

	ex->line = y->line;
	if (check_map(ld, y, example_keys, 0, "example") == -1)
		return -1;
	if ((o = map_get(y, "obs")) == NULL)
		return fail(ld, y->line, "example: missing 'obs'");
	if ((v = map_get(y, "expect")) == NULL)
		return fail(ld, y->line, "example: missing 'expect'");
	if (expect_type(ld, v, Y_SCALAR, "example.expect") == -1)
		return -1;
	if ((e = lookup(expects, v->str)) == -1)
		return fail(ld, v->line, "example.expect: '%s' is not one of "
		    "match, no-match, unknown", v->str);
	ex->expect = (enum fp_verdict)e;
	if (check_map(ld, o, NULL, OBS_MAX_FIELDS, "example.obs") == -1)
		return -1;
	if ((ex->obs = malloc(sizeof(*ex->obs))) == NULL)
		return fail(ld, o->line, "out of memory");
	obs_init(ex->obs);
	for (i = 0; i < o->n; i += 2) {
		k = o->kids[i];
		v = o->kids[i + 1];
		if (expect_type(ld, v, Y_SCALAR, k->str) == -1)
			return -1;
		if (strcmp(k->str, "service") == 0) {
			if (!service_ok(v->str))
				return fail(ld, v->line, "example.obs: bad "
				    "service '%s'", v->str);
			obs_set_service(ex->obs, v->str);
		} else if (strcmp(k->str, "port") == 0) {
			if (get_port(ld, v, "example.obs.port",
			    &ex->port) == -1)
				return -1;
		} else if (strcmp(k->str, "tls") == 0) {
			if (get_bool(ld, v, "example.obs.tls", &b) == -1)
				return -1;
			ex->obs->tls = b;
		} else if (strcmp(k->str, "status") == 0) {
			if (obs_status_parse(v->str, &ex->obs->status) == -1)
				return fail(ld, v->line, "example.obs: bad "
				    "status '%s'", v->str);
		} else if (!field_ok(k->str)) {
			return fail(ld, k->line, "example.obs: bad field "
			    "name '%s'", k->str);
		} else {
			obs_set(ex->obs, k->str, v->str);
		}
	}
	return 0;
}

static int
get_examples(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	size_t	i;

	if (expect_type(ld, y, Y_SEQ, "examples") == -1)
		return -1;
	if (y->n > RULES_EXAMPLES_MAX)
		return fail(ld, y->line, "examples: more than %d",
		    RULES_EXAMPLES_MAX);
	if (y->n == 0)
		return 0;
	if ((r->examples = calloc(y->n, sizeof(*r->examples))) == NULL)
		return fail(ld, y->line, "out of memory");
	for (i = 0; i < y->n; i++) {
		r->nexamples++;
		if (get_example(ld, y->kids[i], &r->examples[i]) == -1)
			return -1;
	}
	return 0;
}

static void
rule_fini(struct fp_rule *r)
{
	size_t	i;

	free(r->id);
	free(r->title_fr);
	free(r->title_en);
	free(r->advice_fr);
	free(r->advice_en);
	free(r->references);
	for (i = 0; i < r->nservices; i++)
		free(r->services[i]);
	free(r->services);
	free(r->ports);
	for (i = 0; i < r->nconds; i++) {
		free(r->conds[i].key);
		pcre2_code_free(r->conds[i].re);
	}
	free(r->conds);
	for (i = 0; i < r->nevidence; i++)
		free(r->evidence[i]);
	free(r->evidence);
	for (i = 0; i < r->nexamples; i++) {
		if (r->examples[i].obs != NULL)
			obs_fini(r->examples[i].obs);
		free(r->examples[i].obs);
	}
	free(r->examples);
	memset(r, 0, sizeof(*r));
}

static bool
id_ok(const char *s)
{
	return name_ok(s, "-", RULES_ID_MAX);
}

/* Fill `r` from one rule mapping.  On error `r` holds what was built. */
static int
get_rule(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	const struct ynode	*v;
	size_t			 i;
	char			*s = NULL;
	int			 rc;

	r->tls = -1;
	r->file = ld->path;
	r->line = y->line;
	r->confidence = confidences[0];
	ld->in_rule = true;
	ld->rule = NULL;
	if (y->type != Y_MAP)
		return fail(ld, y->line, "expected a mapping, found %s",
		    ytype_str(y->type));
	/* Name the rule in errors from the start, even a bad key's. */
	for (i = 0; i + 1 < y->n; i += 2)
		if (y->kids[i]->type == Y_SCALAR &&
		    strcmp(y->kids[i]->str, "id") == 0 &&
		    y->kids[i + 1]->type == Y_SCALAR)
			ld->rule = y->kids[i + 1]->str;
	if (check_map(ld, y, rule_keys, 0, "") == -1)
		return -1;
	if ((v = map_get(y, "id")) == NULL)
		return fail(ld, y->line, "missing 'id'");
	if (get_str(ld, v, "id", RULES_ID_MAX, &r->id) == -1)
		return -1;
	if (!id_ok(r->id))
		return fail(ld, v->line, "id is not [a-z0-9-]+");
	for (i = 0; i < ld->set->n; i++)
		if (strcmp(ld->set->rules[i].id, r->id) == 0)
			return fail(ld, v->line, "duplicate id, first at "
			    "%s:%lu", ld->set->rules[i].file,
			    ld->set->rules[i].line);
	if ((v = map_get(y, "severity")) == NULL)
		return fail(ld, y->line, "missing 'severity'");
	if (expect_type(ld, v, Y_SCALAR, "severity") == -1)
		return -1;
	if (fp_severity_parse(v->str, &r->severity) == -1)
		return fail(ld, v->line, "severity: '%s' is not one of "
		    "critical, high, medium, low, info", v->str);
	if ((v = map_get(y, "theme")) == NULL)
		return fail(ld, y->line, "missing 'theme'");
	if (get_choice(ld, v, "theme", themes, &r->theme) == -1)
		return -1;
	if ((v = map_get(y, "confidence")) != NULL &&
	    get_choice(ld, v, "confidence", confidences, &r->confidence) ==
	    -1)
		return -1;
	if ((v = map_get(y, "title")) == NULL)
		return fail(ld, y->line, "missing 'title'");
	if (get_texts(ld, v, "title", true, &r->title_fr, &r->title_en) ==
	    -1)
		return -1;
	if ((v = map_get(y, "advice")) != NULL &&
	    get_texts(ld, v, "advice", false, &r->advice_fr,
	    &r->advice_en) == -1)
		return -1;
	if ((v = map_get(y, "references")) != NULL &&
	    get_references(ld, v, &r->references) == -1)
		return -1;
	if ((v = map_get(y, "when")) != NULL && get_when(ld, v, r) == -1)
		return -1;
	if ((v = map_get(y, "check")) != NULL) {
		if (get_str(ld, v, "check", 64, &s) == -1)
			return -1;
		r->check = fp_check_find(s);
		rc = r->check == NULL ? fail(ld, v->line, "unknown check '%s'",
		    s) : 0;
		free(s);
		if (rc == -1)
			return -1;
	}
	if (map_get(y, "when") == NULL && r->check == NULL)
		return fail(ld, y->line, "needs 'when' or 'check'");
	if ((v = map_get(y, "evidence")) != NULL &&
	    get_names(ld, v, "evidence", field_ok, &r->evidence,
	    &r->nevidence) == -1)
		return -1;
	if ((v = map_get(y, "examples")) != NULL &&
	    get_examples(ld, v, r) == -1)
		return -1;
	return 0;
}

/* What a rule lacks is "", never NULL; English falls back to French. */
static int
fill_defaults(struct loader *ld, struct fp_rule *r)
{
	if (r->title_en == NULL && (r->title_en = strdup(r->title_fr)) ==
	    NULL)
		return fail(ld, r->line, "out of memory");
	if (r->advice_fr == NULL && (r->advice_fr = strdup("")) == NULL)
		return fail(ld, r->line, "out of memory");
	if (r->advice_en == NULL && (r->advice_en = strdup(r->advice_fr)) ==
	    NULL)
		return fail(ld, r->line, "out of memory");
	if (r->references == NULL && (r->references = strdup("")) == NULL)
		return fail(ld, r->line, "out of memory");
	return 0;
}

struct fp_rules *
rules_new(struct vg_err *err)
{
	struct fp_rules	*set;

	if ((set = calloc(1, sizeof(*set))) == NULL)
		goto fail;
	set->hash = FNV1A_INIT;
	if ((set->cctx = pcre2_compile_context_create(NULL)) == NULL ||
	    (set->mctx = pcre2_match_context_create(NULL)) == NULL ||
	    (set->md = pcre2_match_data_create(1, NULL)) == NULL)
		goto fail;
	pcre2_set_max_pattern_length(set->cctx, RULES_TEXT_MAX);
	pcre2_set_parens_nest_limit(set->cctx, 64);
	pcre2_set_match_limit(set->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(set->mctx, RULES_DEPTH_LIMIT);
	pcre2_set_heap_limit(set->mctx, RULES_HEAP_LIMIT);
	return set;
fail:
	fp_rules_free(set);
	vg_err_set(err, "rules", "out of memory");
	return NULL;
}

void
fp_rules_free(struct fp_rules *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		rule_fini(&set->rules[i]);
	free(set->rules);
	for (i = 0; i < set->nfiles; i++)
		free(set->files[i]);
	free(set->files);
	pcre2_match_data_free(set->md);
	pcre2_match_context_free(set->mctx);
	pcre2_compile_context_free(set->cctx);
	free(set);
}

size_t
fp_rules_count(const struct fp_rules *set)
{
	return set->n;
}

const char *
fp_rules_version(const struct fp_rules *set)
{
	return set->version;
}

/* The version hashes each file's base name, length and bytes. */
static void
hash_file(struct fp_rules *set, const char *path, const void *data,
    size_t len)
{
	const char	*base = strrchr(path, '/');
	uint8_t		 n[8];
	size_t		 i;

	base = base != NULL ? base + 1 : path;
	set->hash = fp_fnv1a(set->hash, base, strlen(base) + 1);
	for (i = 0; i < sizeof(n); i++)
		n[i] = (uint8_t)((uint64_t)len >> (8 * i));
	set->hash = fp_fnv1a(set->hash, n, sizeof(n));
	set->hash = fp_fnv1a(set->hash, data, len);
}

int
rules_add_file(struct fp_rules *set, const char *path, const void *data,
    size_t len, struct vg_err *err)
{
	struct loader	 ld = { .set = set, .path = path, .err = err };
	struct ynode	*root = NULL;
	struct fp_rule	 r;
	size_t		 i;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	if (data == NULL)		/* an empty file, read as such */
		data = "";
	if (grow(&set->files, &set->filescap, set->nfiles,
	    sizeof(*set->files), RULES_FILES_MAX) == -1) {
		vg_err_set(err, path, "too many rule files (%d at most)",
		    RULES_FILES_MAX);
		return -1;
	}
	if ((set->files[set->nfiles] = strdup(path)) == NULL) {
		vg_err_set(err, path, "out of memory");
		return -1;
	}
	ld.path = set->files[set->nfiles++];
	hash_file(set, path, data, len);
	if (len > RULES_FILE_MAX) {
		vg_err_set(err, path, "larger than %d bytes", RULES_FILE_MAX);
		return -1;
	}
	if (yaml_tree(&ld, data, len, &root) == -1)
		goto out;
	if (root == NULL) {		/* an empty file holds no rule */
		rc = 0;
		goto out;
	}
	if (root->type != Y_SEQ) {
		fail(&ld, root->line, "expected a list of rules, found %s",
		    ytype_str(root->type));
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		if (get_rule(&ld, root->kids[i], &r) == -1 ||
		    fill_defaults(&ld, &r) == -1)
			goto out;
		ld.in_rule = false;
		if (grow(&set->rules, &set->cap, set->n, sizeof(r),
		    RULES_MAX) == -1) {
			fail(&ld, root->kids[i]->line, "more than %d rules, "
			    "or out of memory", RULES_MAX);
			goto out;
		}
		set->rules[set->n++] = r;
		memset(&r, 0, sizeof(r));
	}
	rc = 0;
out:
	rule_fini(&r);
	ynode_free(root);
	return rc;
}

void
rules_finish(struct fp_rules *set)
{
	snprintf(set->version, sizeof(set->version), "%012llx",
	    (unsigned long long)(set->hash >> 16));
}
