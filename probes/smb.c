/*
 * smb.c - SMB probes (ports 445 and 139).  Two connections, two modules:
 *
 * probe_smb sends an SMB1 NEGOTIATE offering "NT LM 0.12", "SMB 2.002"
 * and "SMB 2.???" (MS-SMB2 3.2.4.2.2.1).  A server that only speaks SMB1
 * picks "NT LM 0.12"; one that speaks SMB2 answers an SMB2 NEGOTIATE
 * response, and for the wildcard we then send an SMB2 NEGOTIATE listing
 * every dialect up to 3.1.1 on the same connection.  Recorded: the
 * dialect chosen, whether signing is required, the server GUID and a
 * Samba hint.  Then an SMB2 SESSION_SETUP carrying an NTLM NEGOTIATE
 * (first leg, no credentials) brings the server's NTLM CHALLENGE: its
 * NetBIOS and DNS names, and the Windows build.
 *
 * Whether SMB1 is still accepted cannot be asked of a server that
 * prefers SMB2 on that connection, so probe_smb1 follows on a new one
 * (struct probe's `then`): an SMB1 NEGOTIATE offering "NT LM 0.12"
 * alone.  A response choosing it means SMB1 is on; "no dialect", an
 * error, or the connection closed means it is off.  When it is on, an
 * SMB1 SESSION_SETUP_ANDX with the same NTLM NEGOTIATE brings the
 * server's NativeOS and NativeLanMan strings ("Samba 4.17.12-Debian").
 *
 * On port 139 each connection first opens a NetBIOS session (RFC 1002
 * 4.3.2).  Nothing goes beyond the first leg of the session setup: no
 * session is established and no credential, not even an empty one, is
 * sent (MS-NLMP's AUTHENTICATE message is never built).
 */
#include "probes/smb.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/ntlm.h"
#include "probes/probe_internal.h"

#define NBSS_LENGTH_MASK	0x01	/* RFC 1002: 17-bit length */
#define NBSS_NAME_LEN		34	/* length byte, 32 half-bytes, 0 */
#define NETBIOS_NAME_LEN	16	/* 15 characters and a suffix */
#define NETBIOS_SUFFIX_SERVER	0x20	/* file server service */
#define NETBIOS_SUFFIX_WORKSTATION 0x00
#define NBSS_PORT		139

/* SMB1 header, MS-CIFS 2.2.3.1. */
#define SMB1_HEADER_LEN		32
#define SMB1_COM_NEGOTIATE	0x72
#define SMB1_COM_SESSION_SETUP	0x73
#define SMB1_FLAGS		0x18	/* case-insensitive, canonical */
#define SMB1_FLAGS2		0xc801	/* Unicode, NT status, extended
					   security, long names */
#define SMB1_FLAGS2_UNICODE	0x8000
#define SMB1_SETUP_WORDS	12	/* extended security request form */
#define SMB1_SETUP_RSP_WORDS	4	/* MS-SMB 2.2.4.6.2 */
#define SMB1_ANDX_NONE		0xff
#define SMB1_MAX_BUFFER		4356
#define SMB1_MAX_MPX		50
#define SMB1_CLIENT_CAPS	0x800000d4u	/* extended security, level
					   II oplocks, NT status, NT SMBs,
					   Unicode */
#define SMB1_PID		0xfeff
#define SMB1_NT_WORDS		17	/* the NT LM 0.12 response */
#define SMB1_CAP_EXTENDED_SECURITY 0x80000000u
#define SMB1_SIGNING_ENABLED	0x04	/* SecurityMode, 2.2.4.52.2 */
#define SMB1_SIGNING_REQUIRED	0x08
#define SMB1_DIALECT_FORMAT	0x02	/* buffer format of a dialect */

/* SMB2 header and NEGOTIATE, MS-SMB2 2.2.1, 2.2.3, 2.2.4. */
#define SMB2_HEADER_LEN		64
#define SMB2_COM_NEGOTIATE	0x0000
#define SMB2_COM_SESSION_SETUP	0x0001
#define SMB2_SETUP_REQ_LEN	25	/* StructureSize, 2.2.5 */
#define SMB2_SETUP_RSP_LEN	9	/* StructureSize, 2.2.6 */
#define SMB2_SETUP_BUF_OFF	(SMB2_HEADER_LEN + 24)
#define SMB2_NEG_REQ_LEN	36	/* StructureSize of the request */
#define SMB2_NEG_RSP_LEN	65	/* StructureSize of the response */
#define SMB2_NEG_RSP_MIN	(SMB2_HEADER_LEN + 64)
#define SMB2_SIGNING_ENABLED	0x0001
#define SMB2_SIGNING_REQUIRED	0x0002
#define SMB2_CREDITS		1
#define SMB2_PID		0xfeff
#define SMB2_CTX_PREAUTH	0x0001	/* 2.2.3.1.1 */
#define SMB2_CTX_ENCRYPTION	0x0002	/* 2.2.3.1.2 */
#define SMB2_HASH_SHA512	0x0001
#define SMB2_SALT_LEN		32
#define SMB2_AES_128_CCM	0x0001
#define SMB2_AES_128_GCM	0x0002
#define SMB2_CTX_OFFSET		112	/* after the dialects, 8-aligned */

/* NT status of the first session setup leg (MS-ERREF 2.3.1). */
#define STATUS_MORE_PROCESSING_REQUIRED	0xc0000016u

static const uint8_t	smb1_magic[4] = { 0xff, 'S', 'M', 'B' };
static const uint8_t	smb2_magic[4] = { 0xfe, 'S', 'M', 'B' };

static const char *const smb1_dialects[] = {
	"NT LM 0.12", "SMB 2.002", "SMB 2.???",
};

static const uint16_t	smb2_dialects[] = {
	SMB2_DIALECT_202, SMB2_DIALECT_210, SMB2_DIALECT_300,
	SMB2_DIALECT_302, SMB2_DIALECT_311,
};

/* Our client GUID: a constant, so that requests are reproducible. */
static const uint8_t	smb2_client_guid[16] = {
	'V', 'i', 'g', 'i', 'e', '-', 'a', 'u',
	'd', 'i', 't', '-', 's', 'm', 'b', '2',
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

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

static void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void
put_nbss(uint8_t *p, uint8_t type, size_t len)
{
	p[0] = type;
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
}

enum parse_result
nbss_parse(const uint8_t *p, size_t len, struct nbss_frame *f)
{
	size_t	plen;

	memset(f, 0, sizeof(*f));
	if (len == 0)
		return PARSE_MORE;
	switch (p[0]) {
	case NBSS_MESSAGE:
	case NBSS_POSITIVE:
	case NBSS_NEGATIVE:
	case NBSS_RETARGET:
	case NBSS_KEEPALIVE:
		break;
	default:
		return PARSE_BAD;
	}
	if (len > 1 && (p[1] & ~NBSS_LENGTH_MASK) != 0)
		return PARSE_BAD;
	if (len < NBSS_HEADER_LEN)
		return PARSE_MORE;
	plen = (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
	if (plen > SMB_MSG_MAX)
		return PARSE_BAD;
	if (len < NBSS_HEADER_LEN + plen)
		return PARSE_MORE;
	f->type = p[0];
	f->payload = span_of(p + NBSS_HEADER_LEN, plen);
	f->used = NBSS_HEADER_LEN + plen;
	return PARSE_OK;
}

/* RFC 1001 14.1: each half-byte of the padded name becomes 'A' + it. */
static void
nbss_encode_name(uint8_t *out, const char *name, uint8_t suffix)
{
	uint8_t	raw[NETBIOS_NAME_LEN];
	size_t	i, n = strlen(name);

	memset(raw, ' ', sizeof(raw));
	memcpy(raw, name, n < NETBIOS_NAME_LEN - 1 ? n : NETBIOS_NAME_LEN - 1);
	raw[NETBIOS_NAME_LEN - 1] = suffix;
	out[0] = 2 * NETBIOS_NAME_LEN;
	for (i = 0; i < NETBIOS_NAME_LEN; i++) {
		out[1 + 2 * i] = (uint8_t)('A' + (raw[i] >> 4));
		out[2 + 2 * i] = (uint8_t)('A' + (raw[i] & 0x0f));
	}
	out[NBSS_NAME_LEN - 1] = 0;
}

size_t
nbss_build_request(uint8_t *out, size_t outlen)
{
	size_t	n = NBSS_HEADER_LEN + 2 * NBSS_NAME_LEN;

	if (outlen < n)
		return 0;
	put_nbss(out, NBSS_REQUEST, 2 * NBSS_NAME_LEN);
	/* "*SMBSERVER" is the name every SMB server answers to. */
	nbss_encode_name(out + NBSS_HEADER_LEN, "*SMBSERVER",
	    NETBIOS_SUFFIX_SERVER);
	nbss_encode_name(out + NBSS_HEADER_LEN + NBSS_NAME_LEN, "VIGIE",
	    NETBIOS_SUFFIX_WORKSTATION);
	return n;
}

size_t
smb1_build_negotiate(uint8_t *out, size_t outlen, bool smb2)
{
	size_t	i, n, o, nd = smb2 ? NELEM(smb1_dialects) : 1;

	o = NBSS_HEADER_LEN + SMB1_HEADER_LEN + 3;
	for (i = 0, n = 0; i < nd; i++)
		n += 2 + strlen(smb1_dialects[i]);
	if (outlen < o + n)
		return 0;
	memset(out, 0, o);
	memcpy(out + NBSS_HEADER_LEN, smb1_magic, sizeof(smb1_magic));
	out[NBSS_HEADER_LEN + 4] = SMB1_COM_NEGOTIATE;
	out[NBSS_HEADER_LEN + 9] = SMB1_FLAGS;
	put_le16(out + NBSS_HEADER_LEN + 10, SMB1_FLAGS2);
	put_le16(out + NBSS_HEADER_LEN + 26, SMB1_PID);
	/* WordCount 0, then ByteCount and the dialect strings. */
	put_le16(out + NBSS_HEADER_LEN + SMB1_HEADER_LEN + 1, (uint16_t)n);
	for (i = 0; i < nd; i++) {
		out[o++] = SMB1_DIALECT_FORMAT;
		memcpy(out + o, smb1_dialects[i], strlen(smb1_dialects[i]) +
		    1);
		o += strlen(smb1_dialects[i]) + 1;
	}
	put_nbss(out, NBSS_MESSAGE, o - NBSS_HEADER_LEN);
	return o;
}

size_t
smb2_build_negotiate(uint8_t *out, size_t outlen, uint64_t message_id)
{
	uint8_t	*h = out + NBSS_HEADER_LEN, *b = h + SMB2_HEADER_LEN;
	size_t	 i, o, len;

	/* Two contexts: preauth integrity (8 + 38 bytes, padded to 48) and
	 * encryption (8 + 6). */
	len = SMB2_CTX_OFFSET + 48 + 14;
	if (outlen < NBSS_HEADER_LEN + len)
		return 0;
	memset(out, 0, NBSS_HEADER_LEN + len);
	put_nbss(out, NBSS_MESSAGE, len);
	memcpy(h, smb2_magic, sizeof(smb2_magic));
	put_le16(h + 4, SMB2_HEADER_LEN);
	put_le16(h + 12, SMB2_COM_NEGOTIATE);
	put_le16(h + 14, SMB2_CREDITS);
	put_le32(h + 24, (uint32_t)message_id);
	put_le32(h + 28, (uint32_t)(message_id >> 32));
	put_le32(h + 32, SMB2_PID);

	put_le16(b, SMB2_NEG_REQ_LEN);
	put_le16(b + 2, NELEM(smb2_dialects));
	put_le16(b + 4, SMB2_SIGNING_ENABLED);
	memcpy(b + 12, smb2_client_guid, sizeof(smb2_client_guid));
	put_le32(b + 28, SMB2_CTX_OFFSET);
	put_le16(b + 32, 2);
	for (i = 0; i < NELEM(smb2_dialects); i++)
		put_le16(b + SMB2_NEG_REQ_LEN + 2 * i, smb2_dialects[i]);

	o = SMB2_CTX_OFFSET;
	put_le16(h + o, SMB2_CTX_PREAUTH);
	put_le16(h + o + 2, 6 + SMB2_SALT_LEN);
	put_le16(h + o + 8, 1);			/* HashAlgorithmCount */
	put_le16(h + o + 10, SMB2_SALT_LEN);
	put_le16(h + o + 12, SMB2_HASH_SHA512);
	for (i = 0; i < SMB2_SALT_LEN; i++)	/* a fixed salt */
		h[o + 14 + i] = (uint8_t)i;
	o += 48;
	put_le16(h + o, SMB2_CTX_ENCRYPTION);
	put_le16(h + o + 2, 6);
	put_le16(h + o + 8, 2);			/* CipherCount */
	put_le16(h + o + 10, SMB2_AES_128_GCM);
	put_le16(h + o + 12, SMB2_AES_128_CCM);
	return NBSS_HEADER_LEN + len;
}

size_t
smb1_build_session_setup(uint8_t *out, size_t outlen)
{
	uint8_t	*h = out + NBSS_HEADER_LEN, *w, *b;
	size_t	 nbytes, len;

	/* The blob, a pad byte to align the Unicode strings, and the empty
	 * NativeOS and NativeLanMan strings. */
	nbytes = NTLM_NEGOTIATE_LEN + 1 + 2 + 2;
	len = SMB1_HEADER_LEN + 1 + 2 * SMB1_SETUP_WORDS + 2 + nbytes;
	if (outlen < NBSS_HEADER_LEN + len)
		return 0;
	memset(out, 0, NBSS_HEADER_LEN + len);
	put_nbss(out, NBSS_MESSAGE, len);
	memcpy(h, smb1_magic, sizeof(smb1_magic));
	h[4] = SMB1_COM_SESSION_SETUP;
	h[9] = SMB1_FLAGS;
	put_le16(h + 10, SMB1_FLAGS2);
	put_le16(h + 26, SMB1_PID);
	put_le16(h + 30, 1);			/* MID */
	h[SMB1_HEADER_LEN] = SMB1_SETUP_WORDS;
	w = h + SMB1_HEADER_LEN + 1;
	w[0] = SMB1_ANDX_NONE;
	put_le16(w + 4, SMB1_MAX_BUFFER);
	put_le16(w + 6, SMB1_MAX_MPX);
	put_le16(w + 14, NTLM_NEGOTIATE_LEN);
	put_le32(w + 20, SMB1_CLIENT_CAPS);
	put_le16(w + 2 * SMB1_SETUP_WORDS, (uint16_t)nbytes);
	b = w + 2 * SMB1_SETUP_WORDS + 2;
	ntlm_build_negotiate(b, NTLM_NEGOTIATE_LEN);
	return NBSS_HEADER_LEN + len;
}

size_t
smb2_build_session_setup(uint8_t *out, size_t outlen, uint64_t message_id)
{
	uint8_t	*h = out + NBSS_HEADER_LEN, *b = h + SMB2_HEADER_LEN;
	size_t	 len = SMB2_SETUP_BUF_OFF + NTLM_NEGOTIATE_LEN;

	if (outlen < NBSS_HEADER_LEN + len)
		return 0;
	memset(out, 0, NBSS_HEADER_LEN + len);
	put_nbss(out, NBSS_MESSAGE, len);
	memcpy(h, smb2_magic, sizeof(smb2_magic));
	put_le16(h + 4, SMB2_HEADER_LEN);
	put_le16(h + 12, SMB2_COM_SESSION_SETUP);
	put_le16(h + 14, SMB2_CREDITS);
	put_le32(h + 24, (uint32_t)message_id);
	put_le32(h + 28, (uint32_t)(message_id >> 32));
	put_le32(h + 32, SMB2_PID);
	put_le16(b, SMB2_SETUP_REQ_LEN);
	b[3] = SMB2_SIGNING_ENABLED;		/* SecurityMode */
	put_le16(b + 12, SMB2_SETUP_BUF_OFF);
	put_le16(b + 14, NTLM_NEGOTIATE_LEN);
	ntlm_build_negotiate(h + SMB2_SETUP_BUF_OFF, NTLM_NEGOTIATE_LEN);
	return NBSS_HEADER_LEN + len;
}

/* A UTF-16LE string ending at a NUL character, or at the end. */
static struct span
utf16_string(const uint8_t *p, size_t len, size_t *used)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		if (p[i] == 0 && p[i + 1] == 0) {
			*used = i + 2;
			return span_of(p, i);
		}
	*used = len;
	return span_of(p, len & ~(size_t)1);
}

static enum parse_result
smb1_parse_negotiate(struct span m, struct smb_negotiate *n)
{
	const uint8_t	*p = m.p, *w, *bytes;
	size_t		 nbytes, used, clen;

	if (m.len < SMB1_HEADER_LEN + 1 || p[4] != SMB1_COM_NEGOTIATE)
		return PARSE_BAD;
	n->version = 1;
	n->status = get_le32(p + 5);
	n->word_count = p[SMB1_HEADER_LEN];
	w = p + SMB1_HEADER_LEN + 1;
	if (m.len < SMB1_HEADER_LEN + 1 + 2 * (size_t)n->word_count + 2)
		return n->status != 0 ? PARSE_OK : PARSE_BAD;
	n->dialect_index = n->word_count >= 1 ? get_le16(w) : SMB1_NO_DIALECT;
	if (n->word_count < SMB1_NT_WORDS)
		return PARSE_OK;
	n->security_mode = w[2];
	n->capabilities = get_le32(w + 19);
	clen = w[33];
	nbytes = get_le16(w + 2 * n->word_count);
	bytes = w + 2 * n->word_count + 2;
	if (nbytes > (size_t)(p + m.len - bytes))
		nbytes = (size_t)(p + m.len - bytes);
	if ((n->capabilities & SMB1_CAP_EXTENDED_SECURITY) != 0) {
		if (nbytes >= sizeof(n->guid)) {
			memcpy(n->guid, bytes, sizeof(n->guid));
			n->have_guid = true;
		}
		return PARSE_OK;
	}
	/* The challenge, then the domain and server names, in Unicode
	 * when the response's Flags2 says so. */
	if (clen > nbytes || !(get_le16(p + 10) & SMB1_FLAGS2_UNICODE))
		return PARSE_OK;
	bytes += clen;
	nbytes -= clen;
	n->domain = utf16_string(bytes, nbytes, &used);
	n->server = utf16_string(bytes + used, nbytes - used, &used);
	return PARSE_OK;
}

static enum parse_result
smb2_parse_negotiate(struct span m, struct smb_negotiate *n)
{
	const uint8_t	*p = m.p, *b = m.p + SMB2_HEADER_LEN;

	if (m.len < SMB2_HEADER_LEN || get_le16(p + 4) != SMB2_HEADER_LEN ||
	    get_le16(p + 12) != SMB2_COM_NEGOTIATE)
		return PARSE_BAD;
	n->version = 2;
	n->status = get_le32(p + 8);
	if (n->status != 0)
		return PARSE_OK;
	if (m.len < SMB2_NEG_RSP_MIN || get_le16(b) != SMB2_NEG_RSP_LEN)
		return PARSE_BAD;
	n->security_mode2 = get_le16(b + 2);
	n->dialect = get_le16(b + 4);
	memcpy(n->guid, b + 8, sizeof(n->guid));
	n->have_guid = true;
	n->capabilities2 = get_le32(b + 24);
	return PARSE_OK;
}

enum parse_result
smb_parse_negotiate(struct span m, struct smb_negotiate *n)
{
	memset(n, 0, sizeof(*n));
	if (m.len < sizeof(smb1_magic))
		return PARSE_BAD;
	if (memcmp(m.p, smb1_magic, sizeof(smb1_magic)) == 0)
		return smb1_parse_negotiate(m, n);
	if (memcmp(m.p, smb2_magic, sizeof(smb2_magic)) == 0)
		return smb2_parse_negotiate(m, n);
	return PARSE_BAD;
}

static enum parse_result
smb1_parse_session_setup(struct span m, struct smb_session *ss)
{
	const uint8_t	*p = m.p, *w, *b;
	size_t		 nbytes, blen, o, used;

	if (m.len < SMB1_HEADER_LEN + 1 || p[4] != SMB1_COM_SESSION_SETUP)
		return PARSE_BAD;
	ss->status = get_le32(p + 5);
	if (p[SMB1_HEADER_LEN] != SMB1_SETUP_RSP_WORDS)
		return PARSE_OK;		/* an error: no words */
	w = p + SMB1_HEADER_LEN + 1;
	if (m.len < SMB1_HEADER_LEN + 1 + 2 * SMB1_SETUP_RSP_WORDS + 2)
		return PARSE_BAD;
	blen = get_le16(w + 6);
	nbytes = get_le16(w + 2 * SMB1_SETUP_RSP_WORDS);
	b = w + 2 * SMB1_SETUP_RSP_WORDS + 2;
	if (nbytes > (size_t)(p + m.len - b))
		nbytes = (size_t)(p + m.len - b);
	if (blen > nbytes)
		return PARSE_BAD;
	ss->blob = span_of(b, blen);
	/* The strings are Unicode, aligned on two bytes from the header. */
	o = blen;
	if (((size_t)(b - p) + o) % 2 != 0 && o < nbytes)
		o++;
	ss->native_os = utf16_string(b + o, nbytes - o, &used);
	o += used;
	ss->native_lanman = utf16_string(b + o, nbytes - o, &used);
	o += used;
	ss->domain = utf16_string(b + o, nbytes - o, &used);
	return PARSE_OK;
}

static enum parse_result
smb2_parse_session_setup(struct span m, struct smb_session *ss)
{
	const uint8_t	*p = m.p, *b = m.p + SMB2_HEADER_LEN;
	size_t		 off, len;

	if (m.len < SMB2_HEADER_LEN || get_le16(p + 4) != SMB2_HEADER_LEN ||
	    get_le16(p + 12) != SMB2_COM_SESSION_SETUP)
		return PARSE_BAD;
	ss->status = get_le32(p + 8);
	if (m.len < SMB2_HEADER_LEN + 8 ||
	    get_le16(b) != SMB2_SETUP_RSP_LEN)
		return PARSE_OK;		/* an error response */
	off = get_le16(b + 4);
	len = get_le16(b + 6);
	if (off > m.len || len > m.len - off)
		return PARSE_BAD;
	ss->blob = span_of(p + off, len);
	return PARSE_OK;
}

enum parse_result
smb_parse_session_setup(struct span m, struct smb_session *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (m.len < sizeof(smb1_magic))
		return PARSE_BAD;
	if (memcmp(m.p, smb1_magic, sizeof(smb1_magic)) == 0)
		return smb1_parse_session_setup(m, ss);
	if (memcmp(m.p, smb2_magic, sizeof(smb2_magic)) == 0)
		return smb2_parse_session_setup(m, ss);
	return PARSE_BAD;
}

const char *
smb2_dialect_name(uint16_t d)
{
	switch (d) {
	case SMB2_DIALECT_202:
		return "2.0.2";
	case SMB2_DIALECT_210:
		return "2.1";
	case SMB2_DIALECT_300:
		return "3.0";
	case SMB2_DIALECT_302:
		return "3.0.2";
	case SMB2_DIALECT_311:
		return "3.1.1";
	case SMB2_DIALECT_WILDCARD:
		return "2.???";
	default:
		return NULL;
	}
}

const char *
smb_signing(const struct smb_negotiate *n)
{
	if (n->version == 2) {
		if (n->security_mode2 & SMB2_SIGNING_REQUIRED)
			return "required";
		return (n->security_mode2 & SMB2_SIGNING_ENABLED) ?
		    "enabled" : "disabled";
	}
	if (n->security_mode & SMB1_SIGNING_REQUIRED)
		return "required";
	return (n->security_mode & SMB1_SIGNING_ENABLED) ? "enabled" :
	    "disabled";
}

bool
smb_guid_is_samba(const struct smb_negotiate *n)
{
	size_t	i = 0;

	if (!n->have_guid)
		return false;
	while (i < sizeof(n->guid) && n->guid[i] >= 0x21 &&
	    n->guid[i] <= 0x7e && !(n->guid[i] >= 'A' && n->guid[i] <= 'Z'))
		i++;
	if (i == 0)
		return false;
	for (; i < sizeof(n->guid); i++)
		if (n->guid[i] != 0)
			return false;
	return true;
}

size_t
smb_name_ascii(struct span s, char *out, size_t outlen)
{
	return ntlm_ascii(s, out, outlen);
}

static void
smb_record_guid(struct obs *obs, const struct smb_negotiate *n)
{
	const uint8_t	*g = n->guid;

	if (!n->have_guid)
		return;
	/* MS-DTYP 2.3.4.2: the first three fields are little-endian. */
	obs_setf(obs, "smb.server_guid", "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0],
	    g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13],
	    g[14], g[15]);
	if (smb_guid_is_samba(n))
		obs_set(obs, "product", "Samba");
}

/* The domain and server names of an SMB1 response without extended
 * security. */
static void
smb_record_names(struct obs *obs, const struct smb_negotiate *n)
{
	char	name[SMB_NAME_MAX + 1];

	if (smb_name_ascii(n->domain, name, sizeof(name)) > 0)
		obs_set(obs, "smb.domain", name);
	if (smb_name_ascii(n->server, name, sizeof(name)) > 0)
		obs_set(obs, "smb.server_name", name);
}

/* What a NEGOTIATE response tells, for the first probe. */
static void
smb_record(struct obs *obs, const struct smb_negotiate *n)
{
	const char	*d;

	obs_set_service(obs, "smb");
	if (n->status != 0) {
		obs_setf(obs, "smb.status", "0x%08x", n->status);
		return;
	}
	if (n->version == 1) {
		if (n->dialect_index != 0)
			return;		/* no dialect we offered */
		obs_set(obs, "smb.dialect", smb1_dialects[0]);
		obs_set(obs, "smb.smb1", "yes");
		obs_set(obs, "smb.signing", smb_signing(n));
		smb_record_names(obs, n);
		smb_record_guid(obs, n);
		return;
	}
	if ((d = smb2_dialect_name(n->dialect)) != NULL)
		obs_set(obs, "smb.dialect", d);
	else
		obs_setf(obs, "smb.dialect", "0x%04x", n->dialect);
	obs_set(obs, "smb.signing", smb_signing(n));
	smb_record_guid(obs, n);
}

/* "Samba 4.17.12-Debian": product Samba, version 4.17.12. */
static bool
smb_record_lanman(struct obs *obs, const char *lanman)
{
	static const char	samba[] = "Samba ";
	size_t			i, n = sizeof(samba) - 1;

	if (strncmp(lanman, samba, n) != 0)
		return false;
	for (i = n; (lanman[i] >= '0' && lanman[i] <= '9') ||
	    lanman[i] == '.'; i++)
		continue;
	while (i > n && lanman[i - 1] == '.')
		i--;
	obs_set(obs, "product", "Samba");
	obs_set_bytes(obs, "version", lanman + n, i - n);
	return true;
}

/*
 * What a SESSION_SETUP response tells: the NTLM CHALLENGE's names and
 * version, and for SMB1 NativeOS and NativeLanMan.  The operating system
 * is recorded from NativeOS, or from the NTLM version, unless the server
 * is Samba (which says "Windows 6.1" whatever it runs on).
 */
static void
smb_record_session(struct obs *obs, const struct smb_session *ss,
    bool samba)
{
	struct ntlm_challenge	c;
	char			os[NTLM_NAME_MAX + 1];
	char			lanman[NTLM_NAME_MAX + 1];
	char			domain[NTLM_NAME_MAX + 1];
	bool			have_c;

	if (ss->status != STATUS_MORE_PROCESSING_REQUIRED) {
		obs_setf(obs, "smb.session_status", "0x%08x", ss->status);
		return;
	}
	if ((have_c = ntlm_find_challenge(ss->blob, &c) == PARSE_OK))
		ntlm_record(obs, "smb", &c);
	ntlm_ascii(ss->native_os, os, sizeof(os));
	ntlm_ascii(ss->native_lanman, lanman, sizeof(lanman));
	obs_set(obs, "smb.native_os", os);
	obs_set(obs, "smb.native_lanman", lanman);
	if (ntlm_ascii(ss->domain, domain, sizeof(domain)) > 0)
		obs_set(obs, "smb.domain", domain);
	if (smb_record_lanman(obs, lanman) || samba)
		return;
	if (os[0] != '\0')
		obs_set(obs, "os", os);
	else if (have_c && c.have_version)
		obs_setf(obs, "os", "Windows %u.%u build %u", c.major,
		    c.minor, c.build);
}

enum smb_step {
	SMB_WANT_SESSION,		/* port 139: SESSION REQUEST sent */
	SMB_WANT_NEG1,			/* SMB1 NEGOTIATE sent */
	SMB_WANT_NEG2,			/* SMB2 NEGOTIATE sent */
	SMB_WANT_SETUP,			/* SESSION_SETUP sent */
};

struct smb_state {
	enum smb_step	step;
	bool		answered;	/* a NEGOTIATE response came */
	bool		samba;		/* its GUID says so */
	uint64_t	message_id;	/* the next SMB2 MessageId */
};

/* SMB1 NEGOTIATE, offering SMB2 too (probe_smb) or not (probe_smb1). */
static int
smb_send_neg1(struct probe_session *s, bool smb2)
{
	struct smb_state	*st = probe_state(s);
	uint8_t			 req[SMB_REQUEST_MAX];
	size_t			 n;

	st->step = SMB_WANT_NEG1;
	if ((n = smb1_build_negotiate(req, sizeof(req), smb2)) == 0)
		return -1;
	return probe_write(s, req, n);
}

static int
smb_start_common(struct probe_session *s, bool smb2)
{
	struct smb_state	*st = probe_state(s);
	uint8_t			 req[SMB_REQUEST_MAX];
	size_t			 n;

	/* MS-SMB2 3.2.4.2.2.1: after a multi-protocol negotiate the next
	 * SMB2 request is MessageId 1. */
	st->message_id = 1;
	if (probe_port(s) != NBSS_PORT)
		return smb_send_neg1(s, smb2);
	st->step = SMB_WANT_SESSION;
	if ((n = nbss_build_request(req, sizeof(req))) == 0)
		return -1;
	return probe_write(s, req, n);
}

static int
smb_start(struct probe_session *s)
{
	return smb_start_common(s, true);
}

static int
smb1_start(struct probe_session *s)
{
	return smb_start_common(s, false);
}

/*
 * The next NetBIOS packet that is not a keepalive: PARSE_OK with *f set
 * (the caller drains f->used), PARSE_MORE, or PARSE_BAD.
 */
static enum parse_result
smb_next_frame(struct evbuffer *in, struct nbss_frame *f)
{
	const uint8_t		*p;
	size_t			 len;
	enum parse_result	 r;

	for (;;) {
		if ((len = evbuffer_get_length(in)) == 0)
			return PARSE_MORE;
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return PARSE_BAD;
		if ((r = nbss_parse(p, len, f)) != PARSE_OK)
			return r;
		if (f->type != NBSS_KEEPALIVE)
			return PARSE_OK;
		evbuffer_drain(in, f->used);
	}
}

/* The NetBIOS session on port 139: PROBE_MORE once it is open. */
static enum probe_status
smb_session(struct probe_session *s, const struct nbss_frame *f, bool smb2)
{
	struct obs	*obs = probe_obs(s);

	switch (f->type) {
	case NBSS_POSITIVE:
		return smb_send_neg1(s, smb2) == -1 ? PROBE_DONE : PROBE_MORE;
	case NBSS_NEGATIVE:
		/* A NetBIOS session service that refuses "*SMBSERVER". */
		if (smb2) {
			obs_set_service(obs, "netbios-ssn");
			if (f->payload.len > 0)
				obs_setf(obs, "smb.netbios_error", "0x%02x",
				    f->payload.p[0]);
		}
		return PROBE_DONE;
	default:
		return PROBE_MISMATCH;
	}
}

/* The answer to the session setup ends either probe's conversation. */
static enum probe_status
smb_setup_answer(struct probe_session *s, const struct nbss_frame *f)
{
	struct smb_state	*st = probe_state(s);
	struct smb_session	 ss;

	if (f->type == NBSS_MESSAGE &&
	    smb_parse_session_setup(f->payload, &ss) == PARSE_OK)
		smb_record_session(probe_obs(s), &ss, st->samba);
	return PROBE_DONE;
}

/* After the last NEGOTIATE response: an SMB2 session setup's first leg.
 * PROBE_MORE when it was sent. */
static enum probe_status
smb2_setup(struct probe_session *s)
{
	struct smb_state	*st = probe_state(s);
	uint8_t			 req[SMB_REQUEST_MAX];
	size_t			 n;

	n = smb2_build_session_setup(req, sizeof(req), st->message_id++);
	if (n == 0 || probe_write(s, req, n) == -1)
		return PROBE_DONE;
	st->step = SMB_WANT_SETUP;
	return PROBE_MORE;
}

static enum probe_status
smb_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct smb_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct nbss_frame	 f;
	struct smb_negotiate	 n;
	uint8_t			 req[SMB_REQUEST_MAX];
	enum probe_status	 r;
	size_t			 len;

	for (;;) {
		switch (smb_next_frame(in, &f)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			return st->answered ? PROBE_DONE : PROBE_MISMATCH;
		}
		if (st->step == SMB_WANT_SESSION || st->step == SMB_WANT_SETUP) {
			r = st->step == SMB_WANT_SESSION ?
			    smb_session(s, &f, true) : smb_setup_answer(s, &f);
			evbuffer_drain(in, f.used);
			if (r != PROBE_MORE)
				return r;
			continue;
		}
		if (f.type != NBSS_MESSAGE ||
		    smb_parse_negotiate(f.payload, &n) != PARSE_OK)
			return st->answered ? PROBE_DONE : PROBE_MISMATCH;
		st->answered = true;
		if (st->step == SMB_WANT_NEG1 && n.version == 2 &&
		    n.status == 0 && n.dialect == SMB2_DIALECT_WILDCARD) {
			/* Go on in SMB2 (MS-SMB2 3.2.5.2). */
			evbuffer_drain(in, f.used);
			obs_set_service(obs, "smb");
			st->step = SMB_WANT_NEG2;
			len = smb2_build_negotiate(req, sizeof(req),
			    st->message_id++);
			if (len == 0 || probe_write(s, req, len) == -1)
				return PROBE_DONE;
			continue;
		}
		/* The spans of n point into the input: record, then drain. */
		smb_record(obs, &n);
		st->samba = smb_guid_is_samba(&n);
		evbuffer_drain(in, f.used);
		if (n.version != 2 || n.status != 0 ||
		    smb2_dialect_name(n.dialect) == NULL)
			return PROBE_DONE;
		if ((r = smb2_setup(s)) != PROBE_MORE)
			return r;
	}
}

/* The follow-up's NEGOTIATE response: SMB1 accepted or not.  PROBE_MORE
 * when a session setup was sent. */
static enum probe_status
smb1_negotiated(struct probe_session *s, const struct smb_negotiate *n)
{
	struct smb_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	uint8_t			 req[SMB_REQUEST_MAX];
	size_t			 len;
	bool			 yes;

	yes = n->version == 1 && n->status == 0 && n->dialect_index == 0;
	obs_set(obs, "smb.smb1", yes ? "yes" : "no");
	if (!yes)
		return PROBE_DONE;
	obs_set(obs, "smb.smb1_signing", smb_signing(n));
	smb_record_names(obs, n);
	st->samba = smb_guid_is_samba(n);
	if (!(n->capabilities & SMB1_CAP_EXTENDED_SECURITY))
		return PROBE_DONE;
	len = smb1_build_session_setup(req, sizeof(req));
	if (len == 0 || probe_write(s, req, len) == -1)
		return PROBE_DONE;
	st->step = SMB_WANT_SETUP;
	return PROBE_MORE;
}

/* The follow-up connection: is SMB1 accepted on its own? */
static enum probe_status
smb1_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct smb_state	*st = probe_state(s);
	struct nbss_frame	 f;
	struct smb_negotiate	 n;
	enum probe_status	 r;

	for (;;) {
		switch (smb_next_frame(in, &f)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			return st->answered ? PROBE_DONE : PROBE_MISMATCH;
		}
		if (st->step == SMB_WANT_SESSION || st->step == SMB_WANT_SETUP) {
			r = st->step == SMB_WANT_SESSION ?
			    smb_session(s, &f, false) : smb_setup_answer(s, &f);
			evbuffer_drain(in, f.used);
			if (r != PROBE_MORE)
				return r;
			continue;
		}
		if (f.type != NBSS_MESSAGE ||
		    smb_parse_negotiate(f.payload, &n) != PARSE_OK)
			return PROBE_MISMATCH;
		st->answered = true;
		/* The spans of n point into the input: record, then drain. */
		r = smb1_negotiated(s, &n);
		evbuffer_drain(in, f.used);
		if (r != PROBE_MORE)
			return r;
	}
}

/* Closed (or silent) before answering the SMB1 NEGOTIATE: Windows resets
 * the connection when SMB1 is removed. */
static void
smb1_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct smb_state	*st = probe_state(s);

	(void)in;
	if (!st->answered && st->step == SMB_WANT_NEG1)
		obs_set(probe_obs(s), "smb.smb1", "no");
}

static const uint16_t smb_ports[] = { 139, 445, 0 };
static const uint16_t smb1_ports[] = { 0 };

const struct probe probe_smb1 = {
	.name		= "smb1",
	.service	= "smb",
	.ports		= smb1_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= sizeof(struct smb_state),
	.read_max	= SMB_MSG_MAX + 2 * NBSS_HEADER_LEN,
	.start		= smb1_start,
	.on_read	= smb1_on_read,
	.on_eof		= smb1_on_eof,
};

const struct probe probe_smb = {
	.name		= "smb",
	.service	= "smb",
	.ports		= smb_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_GENERIC,
	.state_size	= sizeof(struct smb_state),
	.read_max	= 2 * (SMB_MSG_MAX + NBSS_HEADER_LEN),
	.start		= smb_start,
	.on_read	= smb_on_read,
	.then		= &probe_smb1,
};
