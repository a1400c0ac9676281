/*
 * obs.c - bounded, sanitised observations.
 */
#include "vigie/obs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
obs_init(struct obs *o)
{
	memset(o, 0, sizeof(*o));
}

void
obs_fini(struct obs *o)
{
	size_t	i;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++)
		free(o->f[i].val);
	o->n = 0;
}

void
obs_reset(struct obs *o)
{
	obs_fini(o);
	obs_init(o);
}

size_t
obs_sanitize(char *out, size_t outlen, const void *in, size_t inlen)
{
	static const char	hex[] = "0123456789abcdef";
	const uint8_t		*p = in;
	size_t			 i = 0, o = 0, n;

	if (outlen == 0)
		return 0;
	while (i < inlen) {
		n = utf8_seq_len(p + i, inlen - i);
		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\'))
			n = 0;
		if (n == 0) {
			if (o + 4 >= outlen)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 0xf];
			i++;
			continue;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return o;
}

static struct obs_field *
obs_slot(struct obs *o, const char *key)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->f[i].key, key) == 0)
			return &o->f[i];
	if (o->n == OBS_MAX_FIELDS)
		return NULL;
	snprintf(o->f[o->n].key, OBS_KEY_MAX, "%s", key);
	o->f[o->n].val = NULL;
	return &o->f[o->n++];
}

void
obs_set_bytes(struct obs *o, const char *key, const void *p, size_t len)
{
	struct obs_field	*f;
	char			 tmp[OBS_VAL_MAX];
	char			*v;
	size_t			 n;

	if (len == 0 || p == NULL)
		return;
	n = obs_sanitize(tmp, sizeof(tmp), p, len);
	if ((v = malloc(n + 1)) == NULL)
		return;
	memcpy(v, tmp, n + 1);
	if ((f = obs_slot(o, key)) == NULL) {
		free(v);
		return;
	}
	free(f->val);
	f->val = v;
}

void
obs_set(struct obs *o, const char *key, const char *val)
{
	if (val != NULL)
		obs_set_bytes(o, key, val, strlen(val));
}

void
obs_set_span(struct obs *o, const char *key, struct span s)
{
	obs_set_bytes(o, key, s.p, s.len);
}

void
obs_setf(struct obs *o, const char *key, const char *fmt, ...)
{
	char	tmp[OBS_VAL_MAX];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		obs_set_bytes(o, key, tmp, strlen(tmp));
}

void
obs_set_service(struct obs *o, const char *service)
{
	snprintf(o->service, sizeof(o->service), "%s", service);
}

const char *
obs_get(const struct obs *o, const char *key)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->f[i].key, key) == 0)
			return o->f[i].val;
	return NULL;
}

void
obs_merge(struct obs *to, const struct obs *from)
{
	size_t	i;

	for (i = 0; i < from->n; i++)
		obs_set(to, from->f[i].key, from->f[i].val);
}

static const char *const	status_names[] = {
	[OBS_OK] = "ok",
	[OBS_PARTIAL] = "partial",
	[OBS_NO_ANSWER] = "no-answer",
	[OBS_TIMEOUT] = "timeout",
	[OBS_RESET] = "reset",
	[OBS_REFUSED] = "refused",
	[OBS_TLS_FAILED] = "tls-failed",
	[OBS_MISMATCH] = "mismatch",
	[OBS_ERROR] = "error",
};

const char *
obs_status_str(enum obs_status s)
{
	if ((size_t)s >= sizeof(status_names) / sizeof(status_names[0]))
		return "error";
	return status_names[s];
}

int
obs_status_parse(const char *s, enum obs_status *out)
{
	size_t	i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum obs_status)i;
			return 0;
		}
	return -1;
}
