/*
 * ssh.c - SSH probe.  Reads the server's identification string
 * (RFC 4253, section 4.2) and records protocol and software versions, and
 * the distribution package revision when the comments carry one.  The
 * server speaks first; we send nothing.  The RFC allows other lines
 * before the identification string; we skip a bounded number of them.
 */
#include "probes/ssh.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

#define SSH_PREFIX	"SSH-"		/* RFC 4253 4.2 */
#define SSH_PREFIX_LEN	4

/* Software names as servers spell them, and how we record them. */
static const struct {
	const char	*banner;
	const char	*name;
} ssh_products[] = {
	{ .banner = "OpenSSH",		   .name = "OpenSSH" },
	{ .banner = "OpenSSH_for_Windows", .name = "OpenSSH for Windows" },
	{ .banner = "dropbear",		   .name = "Dropbear" },
	{ .banner = "libssh",		   .name = "libssh" },
	{ .banner = "Cisco",		   .name = "Cisco SSH" },
	{ .banner = "ROSSSH",		   .name = "MikroTik RouterOS sshd" },
	{ .banner = "RomSShell",	   .name = "Allegro RomSShell" },
	{ .banner = "mod_sftp",		   .name = "ProFTPD mod_sftp" },
};

/* Comment prefixes naming the distribution that built the package:
 * "Debian-2+deb12u3", "Ubuntu-3ubuntu0.10", "FreeBSD-20240701". */
static const struct {
	const char	*prefix;
	const char	*distro;
} ssh_distros[] = {
	{ .prefix = "Debian",		   .distro = "debian" },
	{ .prefix = "Ubuntu",		   .distro = "ubuntu" },
	{ .prefix = "Raspbian",		   .distro = "raspbian" },
	{ .prefix = "FreeBSD",		   .distro = "freebsd" },
	{ .prefix = "NetBSD_Secure_Shell", .distro = "netbsd" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static bool
span_eq_nocase(struct span s, const char *str)
{
	size_t	n = strlen(str);

	return s.len == n && strncasecmp((const char *)s.p, str, n) == 0;
}

void
ssh_split_software(struct ssh_ident *id)
{
	const uint8_t	*s = id->software.p, *c = id->comments.p;
	size_t		 i, n = id->software.len, tok;

	id->product = id->software;
	id->version = span_of(NULL, 0);
	id->product_name = NULL;
	id->distro = NULL;
	id->distro_rev = span_of(NULL, 0);

	/* The version starts after the first '_' or '-' before a digit:
	 * "OpenSSH_9.2p1", "dropbear_2022.83", "OpenSSH_for_Windows_8.1". */
	for (i = 0; i + 1 < n; i++) {
		if ((s[i] == '_' || s[i] == '-') && isdigit(s[i + 1])) {
			id->product = span_of(s, i);
			id->version = span_of(s + i + 1, n - i - 1);
			break;
		}
	}
	for (i = 0; i < NELEM(ssh_products); i++)
		if (span_eq_nocase(id->product, ssh_products[i].banner)) {
			id->product_name = ssh_products[i].name;
			break;
		}

	/* The distribution, from the first word of the comments. */
	if (id->comments.len == 0)
		return;
	for (tok = 0; tok < id->comments.len && c[tok] != ' '; tok++)
		continue;
	for (i = 0; i < NELEM(ssh_distros); i++) {
		size_t	plen = strlen(ssh_distros[i].prefix);

		if (tok > plen + 1 && c[plen] == '-' &&
		    strncasecmp((const char *)c, ssh_distros[i].prefix,
		    plen) == 0) {
			id->distro = ssh_distros[i].distro;
			id->distro_rev = span_of(c + plen + 1, tok - plen - 1);
			break;
		}
	}
}

enum parse_result
ssh_parse_ident(const char *line, size_t len, struct ssh_ident *id)
{
	const char	*p, *end, *dash, *sp;

	memset(id, 0, sizeof(*id));
	if (len < SSH_PREFIX_LEN || len > SSH_IDENT_MAX ||
	    memcmp(line, SSH_PREFIX, SSH_PREFIX_LEN) != 0)
		return PARSE_BAD;
	end = line + len;
	for (p = line; p < end; p++)
		if (*p < 0x20 || *p > 0x7e)	/* printable US-ASCII only */
			return PARSE_BAD;

	p = line + SSH_PREFIX_LEN;
	dash = memchr(p, '-', (size_t)(end - p));
	if (dash == NULL || dash == p)
		return PARSE_BAD;
	id->proto = span_of(p, (size_t)(dash - p));

	p = dash + 1;
	sp = memchr(p, ' ', (size_t)(end - p));
	id->software = span_of(p, (size_t)((sp != NULL ? sp : end) - p));
	if (id->software.len == 0)
		return PARSE_BAD;
	if (sp != NULL)
		id->comments = span_of(sp + 1, (size_t)(end - sp - 1));
	ssh_split_software(id);
	return PARSE_OK;
}

enum parse_result
ssh_find_ident(const uint8_t *p, size_t len, struct ssh_ident *id,
    size_t *used)
{
	const uint8_t		*nl;
	size_t			 pos = 0, n, linelen, lines = 0;
	enum parse_result	 r;

	memset(id, 0, sizeof(*id));
	*used = 0;
	while (pos < len) {
		if ((nl = memchr(p + pos, '\n', len - pos)) == NULL) {
			n = len - pos;
			if (memchr(p + pos, '\0', n) != NULL ||
			    n > SSH_LINE_MAX)
				return PARSE_BAD;
			if (n > SSH_IDENT_MAX + 1 && n >= SSH_PREFIX_LEN &&
			    memcmp(p + pos, SSH_PREFIX, SSH_PREFIX_LEN) == 0)
				return PARSE_BAD;
			return PARSE_MORE;
		}
		n = (size_t)(nl - (p + pos));
		linelen = n;
		if (linelen > 0 && p[pos + linelen - 1] == '\r')
			linelen--;
		if (memchr(p + pos, '\0', n) != NULL)
			return PARSE_BAD;
		if (linelen >= SSH_PREFIX_LEN &&
		    memcmp(p + pos, SSH_PREFIX, SSH_PREFIX_LEN) == 0) {
			r = ssh_parse_ident((const char *)p + pos, linelen, id);
			if (r == PARSE_OK)
				*used = pos + n + 1;
			return r;
		}
		if (n > SSH_LINE_MAX || ++lines > SSH_PREAMBLE_LINES_MAX)
			return PARSE_BAD;
		pos += n + 1;
	}
	return PARSE_MORE;
}

void
ssh_record(struct obs *obs, const struct ssh_ident *id)
{
	obs_set_service(obs, "ssh");
	obs_set_span(obs, "ssh.proto", id->proto);
	obs_set_span(obs, "ssh.software", id->software);
	obs_set_span(obs, "ssh.comments", id->comments);
	if (id->product_name != NULL)
		obs_set(obs, "product", id->product_name);
	else
		obs_set_span(obs, "product", id->product);
	obs_set_span(obs, "version", id->version);
	if (id->distro != NULL) {
		obs_set(obs, "ssh.distro", id->distro);
		obs_set_span(obs, "ssh.distro_rev", id->distro_rev);
	}
}

static enum probe_status
ssh_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct ssh_ident	 id;
	const uint8_t		*p;
	size_t			 len, used;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (ssh_find_ident(p, len, &id, &used)) {
	case PARSE_OK:
		ssh_record(probe_obs(s), &id);
		evbuffer_drain(in, used);
		return PROBE_DONE;
	case PARSE_MORE:
		return PROBE_MORE;	/* the runtime enforces read_max */
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
}

/* The connection ended before a line ending: an identification cut
 * short is still worth recording. */
static void
ssh_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct ssh_ident	 id;
	const uint8_t		*p, *nl;
	size_t			 len, used, start = 0;

	if ((len = evbuffer_get_length(in)) == 0 ||
	    (p = evbuffer_pullup(in, -1)) == NULL)
		return;
	if (ssh_find_ident(p, len, &id, &used) != PARSE_MORE)
		return;
	if ((nl = memrchr(p, '\n', len)) != NULL)
		start = (size_t)(nl - p) + 1;
	len -= start;
	if (len > 0 && p[start + len - 1] == '\r')
		len--;
	if (ssh_parse_ident((const char *)p + start, len, &id) == PARSE_OK)
		ssh_record(probe_obs(s), &id);
}

static const uint16_t ssh_ports[] = { 22, 2222, 0 };

const struct probe probe_ssh = {
	.name		= "ssh",
	.service	= "ssh",
	.ports		= ssh_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= 0,
	.read_max	= 4096,
	.on_read	= ssh_on_read,
	.on_eof		= ssh_on_eof,
};
