/*
 * ytree.c - a YAML document as a small tree that keeps each node's line,
 * and the schema helpers the rule loader (rules.c) and the version data
 * loader (versions_load.c) share.
 *
 * libyaml's event parser builds the tree, refusing anchors, aliases and
 * tags (so a file cannot expand itself) and bounding depth and size.
 * Every helper that checks a node fails with "file:line: reason", the
 * line being libyaml's, and names the item being read ("rule 'id': ").
 */
#include "fingerprints_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "vigie/err.h"
#include "vigie/obs.h"

static const char *const lang_keys[] = { "fr", "en", NULL };


int
y_fail(struct loader *ld, unsigned long line, const char *fmt, ...)
{
	char	where[sizeof(ld->err->where)];
	char	msg[sizeof(ld->err->msg)];
	va_list	ap;

	snprintf(where, sizeof(where), "%s:%lu", ld->path, line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->in_item && ld->item != NULL)
		vg_err_set(ld->err, where, "%s '%.64s': %s", ld->kind, ld->item,
		    msg);
	else if (ld->in_item)
		vg_err_set(ld->err, where, "%s: %s", ld->kind, msg);
	else
		vg_err_set(ld->err, where, "%s", msg);
	return -1;
}

/* Grow *arr to hold one more element of `size` bytes; -1 when full. */
int
y_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t max)
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

void
y_free(struct ynode *y)
{
	size_t	i;

	if (y == NULL)
		return;
	for (i = 0; i < y->n; i++)
		y_free(y->kids[i]);	/* depth <= RULES_DEPTH_MAX */
	free(y->kids);
	free(y->str);
	free(y);
}

static struct ynode *
y_new(struct loader *ld, enum ytype type, unsigned long line)
{
	struct ynode	*y;

	if (++ld->nodes > RULES_NODES_MAX) {
		y_fail(ld, line, "more than %d YAML nodes", RULES_NODES_MAX);
		return NULL;
	}
	if ((y = calloc(1, sizeof(*y))) == NULL) {
		y_fail(ld, line, "out of memory");
		return NULL;
	}
	y->type = type;
	y->line = line;
	return y;
}

static int
y_add(struct loader *ld, struct ynode *parent, struct ynode *kid)
{
	if (y_grow(&parent->kids, &parent->cap, parent->n, sizeof(kid),
	    RULES_NODES_MAX) == -1)
		return y_fail(ld, kid->line, "out of memory");
	parent->kids[parent->n++] = kid;
	return 0;
}

/* The event's anchor and tag, refused: the schema needs neither. */
static int
y_check_props(struct loader *ld, unsigned long line,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor != NULL)
		return y_fail(ld, line, "YAML anchors and aliases are not "
		    "supported");
	if (tag != NULL)
		return y_fail(ld, line, "YAML tags are not supported (quote a "
		    "\"!field\" key)");
	return 0;
}

static int
y_parse_error(struct loader *ld, const yaml_parser_t *p)
{
	const char	*problem = p->problem != NULL ? p->problem :
			    "cannot parse";

	if (p->error == YAML_MEMORY_ERROR)
		return y_fail(ld, p->problem_mark.line + 1, "out of memory");
	if (p->context != NULL)
		return y_fail(ld, p->problem_mark.line + 1, "YAML: %s %s "
		    "(line %lu)", problem, p->context,
		    (unsigned long)p->context_mark.line + 1);
	return y_fail(ld, p->problem_mark.line + 1, "YAML: %s", problem);
}

/*
 * Build the tree of one YAML document.  *rootp is NULL for an empty file.
 * 0 or -1.
 */
int
y_tree(struct loader *ld, const void *data, size_t len,
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
		return y_fail(ld, 1, "out of memory");
	yaml_parser_set_input_string(&parser, data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			/* Every node made so far hangs from root, freed at
			 * out: (the analyzer loses track of y_add's). */
			y_parse_error(ld, &parser); /* NOLINT */
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
				y_fail(ld, line, "one YAML document per file");
				goto bad;
			}
			break;
		case YAML_ALIAS_EVENT:
			y_fail(ld, line, "YAML anchors and aliases are not "
			    "supported");
			goto bad;
		case YAML_SCALAR_EVENT:
			if (y_check_props(ld, line, ev.data.scalar.anchor,
			    ev.data.scalar.tag) == -1)
				goto bad;
			if (memchr(ev.data.scalar.value, '\0',
			    ev.data.scalar.length) != NULL) {
				y_fail(ld, line, "NUL byte in a string");
				goto bad;
			}
			if ((y = y_new(ld, Y_SCALAR, line)) == NULL)
				goto bad;
			if ((y->str = strdup((const char *)
			    ev.data.scalar.value)) == NULL) {
				y_free(y);
				y_fail(ld, line, "out of memory");
				goto bad;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (ev.type == YAML_SEQUENCE_START_EVENT) {
				type = Y_SEQ;
				if (y_check_props(ld, line,
				    ev.data.sequence_start.anchor,
				    ev.data.sequence_start.tag) == -1)
					goto bad;
			} else {
				type = Y_MAP;
				if (y_check_props(ld, line,
				    ev.data.mapping_start.anchor,
				    ev.data.mapping_start.tag) == -1)
					goto bad;
			}
			if (depth == RULES_DEPTH_MAX) {
				y_fail(ld, line, "YAML nested more than %d "
				    "deep", RULES_DEPTH_MAX);
				goto bad;
			}
			if ((y = y_new(ld, type, line)) == NULL)
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
				y_free(root);	/* NULL: one document */
				root = y;
			} else if (y_add(ld, stack[depth - 1], y) == -1) {
				y_free(y);
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
	y_free(root);
	yaml_parser_delete(&parser);
	return rc;
}

const char *
y_type_str(enum ytype t)
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

int
y_expect(struct loader *ld, const struct ynode *y, enum ytype t,
    const char *what)
{
	if (y->type != t)
		return y_fail(ld, y->line, "%s: expected %s, found %s", what,
		    y_type_str(t), y_type_str(y->type));
	return 0;
}

/* Index of s in a NULL-terminated table, or -1. */
int
y_lookup(const char *const *table, const char *s)
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
int
y_check_map(struct loader *ld, const struct ynode *y,
    const char *const *allowed, size_t max, const char *what)
{
	const char	*sep = what[0] != '\0' ? ": " : "";
	const char	*key;
	uint64_t	 seen = 0;
	size_t		 i, j;
	int		 k;

	if (y->type != Y_MAP)
		return y_fail(ld, y->line, "%s%sexpected a mapping, found %s",
		    what, sep, y_type_str(y->type));
	if (allowed == NULL && y->n / 2 > max)
		return y_fail(ld, y->line, "%s%smore than %zu keys", what, sep,
		    max);
	for (i = 0; i < y->n; i += 2) {
		if (y->kids[i]->type != Y_SCALAR)
			return y_fail(ld, y->kids[i]->line, "%s%sa key must be "
			    "a string", what, sep);
		key = y->kids[i]->str;
		if (allowed != NULL) {
			if ((k = y_lookup(allowed, key)) == -1)
				return y_fail(ld, y->kids[i]->line,
				    "%s%sunknown key '%s'", what, sep, key);
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
	return y_fail(ld, y->kids[i]->line, "%s%sduplicate key '%s'", what, sep,
	    y->kids[i]->str);
}

/* The value of `key` in a checked mapping, or NULL. */
const struct ynode *
y_get(const struct ynode *y, const char *key)
{
	size_t	i;

	for (i = 0; i + 1 < y->n; i += 2)
		if (strcmp(y->kids[i]->str, key) == 0)
			return y->kids[i + 1];
	return NULL;
}

int
y_str(struct loader *ld, const struct ynode *y, const char *what,
    size_t max, char **out)
{
	size_t	len;

	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	len = strlen(y->str);
	if (len == 0)
		return y_fail(ld, y->line, "%s: empty", what);
	if (len > max)
		return y_fail(ld, y->line, "%s: longer than %zu bytes", what,
		    max);
	if ((*out = strdup(y->str)) == NULL)
		return y_fail(ld, y->line, "out of memory");
	return 0;
}

/*
 * A string, or a list of them: a one-or-many value.  Returns the number
 * of items, read with y_item_at(), or -1.
 */
long
y_items(struct loader *ld, const struct ynode *y, const char *what)
{
	size_t	i;

	if (y->type == Y_SCALAR)
		return 1;
	if (y->type != Y_SEQ)
		return y_fail(ld, y->line, "%s: expected a string or a list",
		    what);
	if (y->n == 0)
		return y_fail(ld, y->line, "%s: empty list", what);
	if (y->n > RULES_LIST_MAX)
		return y_fail(ld, y->line, "%s: more than %d items", what,
		    RULES_LIST_MAX);
	for (i = 0; i < y->n; i++)
		if (y->kids[i]->type != Y_SCALAR)
			return y_fail(ld, y->kids[i]->line, "%s: expected a "
			    "string, found %s", what,
			    y_type_str(y->kids[i]->type));
	return (long)y->n;
}

const struct ynode *
y_item_at(const struct ynode *y, size_t i)
{
	return y->type == Y_SCALAR ? y : y->kids[i];
}

/* [a-z0-9] plus the characters of `extra`, 1 to max-1 bytes. */
bool
y_name_ok(const char *s, const char *extra, size_t max)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    strchr(extra, s[i]) != NULL))
			return false;
	return i > 0 && i < max;
}

bool
y_field_ok(const char *s)
{
	return y_name_ok(s, "._-", OBS_KEY_MAX);
}

int
y_names(struct loader *ld, const struct ynode *y, const char *what,
    bool (*ok)(const char *), char ***out, size_t *nout)
{
	const struct ynode	*it;
	size_t			 i;
	long			 n;

	if ((n = y_items(ld, y, what)) == -1)
		return -1;
	if ((*out = calloc((size_t)n, sizeof(**out))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i < (size_t)n; i++) {
		it = y_item_at(y, i);
		if (!ok(it->str))
			return y_fail(ld, it->line, "%s: bad name '%s'", what,
			    it->str);
		if (((*out)[i] = strdup(it->str)) == NULL)
			return y_fail(ld, it->line, "out of memory");
		*nout = i + 1;
	}
	return 0;
}

bool
y_service_ok(const char *s)
{
	return y_name_ok(s, "_-", sizeof(((struct obs *)NULL)->service));
}

int
y_port(struct loader *ld, const struct ynode *y, const char *what,
    uint16_t *port)
{
	unsigned long	v = 0;
	const char	*p;

	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	for (p = y->str; *p >= '0' && *p <= '9' && v <= 65535; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == y->str || *p != '\0' || v == 0 || v > 65535)
		return y_fail(ld, y->line, "%s: '%s' is not a port (1-65535)",
		    what, y->str);
	*port = (uint16_t)v;
	return 0;
}

int
y_bool(struct loader *ld, const struct ynode *y, const char *what,
    bool *b)
{
	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	if (strcmp(y->str, "true") == 0 || strcmp(y->str, "yes") == 0)
		*b = true;
	else if (strcmp(y->str, "false") == 0 || strcmp(y->str, "no") == 0)
		*b = false;
	else
		return y_fail(ld, y->line, "%s: expected true or false, found "
		    "'%s'", what, y->str);
	return 0;
}

/* A choice from a closed table; *out points into the table. */
int
y_choice(struct loader *ld, const struct ynode *y, const char *what,
    const char *const *table, const char **out)
{
	char	list[256];
	size_t	len = 0;
	int	i;

	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	if ((i = y_lookup(table, y->str)) != -1) {
		*out = table[i];
		return 0;
	}
	list[0] = '\0';
	for (i = 0; table[i] != NULL && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
		    "%s%s", i > 0 ? ", " : "", table[i]);
	return y_fail(ld, y->line, "%s: '%s' is not one of %s", what, y->str,
	    list);
}

/* title: or advice: a mapping of fr (required when `need_fr`) and en. */
int
y_texts(struct loader *ld, const struct ynode *y, const char *what,
    bool need_fr, char **fr, char **en)
{
	const struct ynode	*v;
	char			 w[64];

	if (y_check_map(ld, y, lang_keys, 0, what) == -1)
		return -1;
	if ((v = y_get(y, "fr")) == NULL) {
		if (need_fr)
			return y_fail(ld, y->line, "%s: missing 'fr'", what);
	} else {
		snprintf(w, sizeof(w), "%s.fr", what);
		if (y_str(ld, v, w, RULES_TEXT_MAX, fr) == -1)
			return -1;
	}
	if ((v = y_get(y, "en")) != NULL) {
		snprintf(w, sizeof(w), "%s.en", what);
		if (y_str(ld, v, w, RULES_TEXT_MAX, en) == -1)
			return -1;
	}
	return 0;
}

int
y_references(struct loader *ld, const struct ynode *y, char **out)
{
	size_t		 i, len = 0;
	long		 n;
	const char	*s;

	if ((n = y_items(ld, y, "references")) == -1)
		return -1;
	for (i = 0; i < (size_t)n; i++) {
		s = y_item_at(y, i)->str;
		if ((strncmp(s, "https://", 8) != 0 &&
		    strncmp(s, "http://", 7) != 0) ||
		    strpbrk(s, " \t\r\n") != NULL)
			return y_fail(ld, y_item_at(y, i)->line, "references: "
			    "'%s' is not a URL", s);
		len += strlen(s) + 1;
	}
	if ((*out = malloc(len + 1)) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0, len = 0; i < (size_t)n; i++) {
		s = y_item_at(y, i)->str;
		if (i > 0)
			(*out)[len++] = ' ';
		memcpy(*out + len, s, strlen(s));
		len += strlen(s);
	}
	(*out)[len] = '\0';
	return 0;
}

/*
 * An example's observation: a mapping where "service", "port", "tls" and
 * "status" set the observation itself and other keys its fields.  The
 * port, when given, goes to *port.  Returns a new observation (free with
 * obs_fini() and free()), or NULL.
 */
struct obs *
y_obs(struct loader *ld, const struct ynode *o, uint16_t *port)
{
	const struct ynode	*k, *v;
	struct obs		*obs;
	size_t			 i;
	bool			 b = false;

	if (y_check_map(ld, o, NULL, OBS_MAX_FIELDS, "example.obs") == -1)
		return NULL;
	if ((obs = malloc(sizeof(*obs))) == NULL) {
		y_fail(ld, o->line, "out of memory");
		return NULL;
	}
	obs_init(obs);
	for (i = 0; i < o->n; i += 2) {
		k = o->kids[i];
		v = o->kids[i + 1];
		if (y_expect(ld, v, Y_SCALAR, k->str) == -1)
			goto bad;
		if (strcmp(k->str, "service") == 0) {
			if (!y_service_ok(v->str)) {
				y_fail(ld, v->line, "example.obs: bad service "
				    "'%s'", v->str);
				goto bad;
			}
			obs_set_service(obs, v->str);
		} else if (strcmp(k->str, "port") == 0) {
			if (y_port(ld, v, "example.obs.port", port) == -1)
				goto bad;
		} else if (strcmp(k->str, "tls") == 0) {
			if (y_bool(ld, v, "example.obs.tls", &b) == -1)
				goto bad;
			obs->tls = b;
		} else if (strcmp(k->str, "status") == 0) {
			if (obs_status_parse(v->str, &obs->status) == -1) {
				y_fail(ld, v->line, "example.obs: bad status "
				    "'%s'", v->str);
				goto bad;
			}
		} else if (!y_field_ok(k->str)) {
			y_fail(ld, k->line, "example.obs: bad field name '%s'",
			    k->str);
			goto bad;
		} else {
			obs_set(obs, k->str, v->str);
		}
	}
	return obs;
bad:
	obs_fini(obs);
	free(obs);
	return NULL;
}
