/*
 * ntlm.c - NTLM NEGOTIATE and CHALLENGE (MS-NLMP 2.2.1.1, 2.2.1.2), for
 * the SMB session setup and RDP's CredSSP.  Only the first two messages
 * of the exchange: no AUTHENTICATE message is ever built, so no
 * credential, not even an empty one, is sent.
 */
#include "probes/ntlm.h"

#include <stdio.h>
#include <string.h>

#include "vigie/obs.h"

#define NTLM_SIGNATURE		"NTLMSSP"	/* and a NUL: 8 bytes */
#define NTLM_SIGNATURE_LEN	8
#define NTLM_NEGOTIATE		1		/* MessageType */
#define NTLM_CHALLENGE		2
#define NTLM_CHALLENGE_MIN	48		/* without the version */
#define NTLM_VERSION_OFF	48
#define NTLM_VERSION_LEN	8

/* NegotiateFlags, MS-NLMP 2.2.2.5: Unicode, OEM, request target, sign,
 * LM key, NTLM, always sign, extended session security, version, 128,
 * key exchange, 56 (the flags Windows clients send). */
#define NTLM_FLAGS_CLIENT	0xe2088297u
#define NTLM_NEGOTIATE_VERSION	0x02000000u

/* AV_PAIR identifiers, MS-NLMP 2.2.2.1. */
#define MSV_AV_EOL		0
#define MSV_AV_NB_COMPUTER	1
#define MSV_AV_NB_DOMAIN	2
#define MSV_AV_DNS_COMPUTER	3
#define MSV_AV_DNS_DOMAIN	4
#define MSV_AV_DNS_TREE		5
#define NTLM_AV_PAIRS_MAX	64	/* pairs read before giving up */

static uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

size_t
ntlm_build_negotiate(uint8_t *out, size_t outlen)
{
	if (outlen < NTLM_NEGOTIATE_LEN)
		return 0;
	memset(out, 0, NTLM_NEGOTIATE_LEN);
	memcpy(out, NTLM_SIGNATURE, NTLM_SIGNATURE_LEN);
	out[8] = NTLM_NEGOTIATE;
	out[12] = (uint8_t)NTLM_FLAGS_CLIENT;
	out[13] = (uint8_t)(NTLM_FLAGS_CLIENT >> 8);
	out[14] = (uint8_t)(NTLM_FLAGS_CLIENT >> 16);
	out[15] = (uint8_t)(NTLM_FLAGS_CLIENT >> 24);
	/* Domain and workstation fields empty, version zero. */
	return NTLM_NEGOTIATE_LEN;
}

/* A (length, maximum, offset) field: false when it leaves the message. */
static bool
ntlm_field(const uint8_t *m, size_t len, size_t at, struct span *s)
{
	size_t	flen = get_le16(m + at), off = get_le32(m + at + 4);

	*s = span_of(NULL, 0);
	if (flen == 0)
		return true;
	if (off > len || flen > len - off)
		return false;
	*s = span_of(m + off, flen);
	return true;
}

static void
ntlm_av_pairs(struct span info, struct ntlm_challenge *c)
{
	const uint8_t	*p = info.p;
	size_t		 o = 0, n, i;
	uint16_t	 id;

	for (i = 0; i < NTLM_AV_PAIRS_MAX && o + 4 <= info.len; i++) {
		id = get_le16(p + o);
		n = get_le16(p + o + 2);
		if (id == MSV_AV_EOL || n > info.len - o - 4)
			return;
		switch (id) {
		case MSV_AV_NB_COMPUTER:
			c->nb_computer = span_of(p + o + 4, n);
			break;
		case MSV_AV_NB_DOMAIN:
			c->nb_domain = span_of(p + o + 4, n);
			break;
		case MSV_AV_DNS_COMPUTER:
			c->dns_computer = span_of(p + o + 4, n);
			break;
		case MSV_AV_DNS_DOMAIN:
			c->dns_domain = span_of(p + o + 4, n);
			break;
		case MSV_AV_DNS_TREE:
			c->dns_tree = span_of(p + o + 4, n);
			break;
		default:
			break;		/* timestamp, flags, ... */
		}
		o += 4 + n;
	}
}

enum parse_result
ntlm_find_challenge(struct span blob, struct ntlm_challenge *c)
{
	const uint8_t	*m = NULL;
	struct span	 info;
	size_t		 i, len;

	memset(c, 0, sizeof(*c));
	for (i = 0; i + NTLM_CHALLENGE_MIN <= blob.len; i++)
		if (memcmp(blob.p + i, NTLM_SIGNATURE, NTLM_SIGNATURE_LEN) ==
		    0 && get_le32(blob.p + i + 8) == NTLM_CHALLENGE) {
			m = blob.p + i;
			break;
		}
	if (m == NULL)
		return PARSE_BAD;
	len = blob.len - i;
	c->flags = get_le32(m + 20);
	if (!ntlm_field(m, len, 12, &c->target_name) ||
	    !ntlm_field(m, len, 40, &info))
		return PARSE_BAD;
	ntlm_av_pairs(info, c);
	if ((c->flags & NTLM_NEGOTIATE_VERSION) &&
	    len >= NTLM_VERSION_OFF + NTLM_VERSION_LEN) {
		c->have_version = true;
		c->major = m[NTLM_VERSION_OFF];
		c->minor = m[NTLM_VERSION_OFF + 1];
		c->build = get_le16(m + NTLM_VERSION_OFF + 2);
	}
	return PARSE_OK;
}

size_t
ntlm_ascii(struct span s, char *out, size_t outlen)
{
	size_t	i, o = 0;

	if (outlen == 0)
		return 0;
	for (i = 0; i + 1 < s.len && o + 1 < outlen && o < NTLM_NAME_MAX;
	    i += 2) {
		if (s.p[i + 1] == 0 && s.p[i] >= 0x20 && s.p[i] < 0x7f)
			out[o++] = (char)s.p[i];
		else
			out[o++] = '?';
	}
	out[o] = '\0';
	return o;
}

static void
ntlm_record_name(struct obs *obs, const char *prefix, const char *field,
    struct span s)
{
	char	key[OBS_KEY_MAX], name[NTLM_NAME_MAX + 1];

	if (ntlm_ascii(s, name, sizeof(name)) == 0)
		return;
	snprintf(key, sizeof(key), "%s.%s", prefix, field);
	obs_set(obs, key, name);
}

void
ntlm_record_names(struct obs *obs, const char *prefix,
    const struct ntlm_challenge *c)
{
	ntlm_record_name(obs, prefix, "netbios_computer", c->nb_computer);
	ntlm_record_name(obs, prefix, "netbios_domain", c->nb_domain);
	ntlm_record_name(obs, prefix, "dns_computer", c->dns_computer);
	ntlm_record_name(obs, prefix, "dns_domain", c->dns_domain);
	ntlm_record_name(obs, prefix, "dns_tree", c->dns_tree);
}

void
ntlm_record(struct obs *obs, const char *prefix,
    const struct ntlm_challenge *c)
{
	char	key[OBS_KEY_MAX];

	ntlm_record_names(obs, prefix, c);
	if (c->have_version) {
		snprintf(key, sizeof(key), "%s.ntlm_version", prefix);
		obs_setf(obs, key, "%u.%u.%u", c->major, c->minor, c->build);
	}
}
