/*
 * openvpn.h - the OpenVPN probe's pure parts, for tests and fuzzers: the
 * client's hard reset it sends, and the parser of the control packet that
 * answers it.
 *
 * Wire format (OpenVPN's ssl_pkt.h and reliable.c, the protocol of 2.x
 * without tls-auth or tls-crypt): one byte of opcode (high 5 bits) and
 * key id (low 3), the sender's 8-byte session id, an ack array (a count
 * byte, that many 4-byte packet ids and, when the count is not zero, the
 * 8-byte session id they acknowledge), then for every control opcode but
 * P_ACK_V1 the 4-byte packet id of this message and its payload.  Over
 * TCP each packet is preceded by its length in 2 bytes, network order.
 * With tls-auth an HMAC, a packet id and a timestamp sit between the
 * session id and the ack array; with tls-crypt all but the first 9 bytes
 * are encrypted: a server that uses either drops a bare reset unanswered.
 */
#ifndef VIGIE_PROBES_OPENVPN_H
#define VIGIE_PROBES_OPENVPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

#define OPENVPN_PORT		1194	/* IANA */
#define OPENVPN_SID_LEN		8	/* session id */
#define OPENVPN_ACK_MAX		8	/* reliable.h RELIABLE_ACK_SIZE */
#define OPENVPN_PACKET_MAX	2048	/* a control packet, framing aside */
#define OPENVPN_TCP_LEN		2	/* TCP's length prefix */

/* Opcodes (ssl_pkt.h). */
#define OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V1	1
#define OPENVPN_P_CONTROL_HARD_RESET_SERVER_V1	2
#define OPENVPN_P_CONTROL_SOFT_RESET_V1		3
#define OPENVPN_P_CONTROL_V1			4
#define OPENVPN_P_ACK_V1			5
#define OPENVPN_P_DATA_V1			6
#define OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V2	7
#define OPENVPN_P_CONTROL_HARD_RESET_SERVER_V2	8
#define OPENVPN_P_DATA_V2			9
#define OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V3	10
#define OPENVPN_P_CONTROL_WKC_V1		11

/* The session id of our reset: fixed, so that a recorded answer replays
 * (the server echoes it in its ack). */
extern const uint8_t	openvpn_client_sid[OPENVPN_SID_LEN];

/* One control packet. */
struct openvpn_packet {
	uint8_t		opcode;
	uint8_t		key_id;
	uint8_t		sid[OPENVPN_SID_LEN];		/* the sender's */
	size_t		nacks;
	uint32_t	acks[OPENVPN_ACK_MAX];
	uint8_t		remote_sid[OPENVPN_SID_LEN];	/* when nacks > 0 */
	bool		has_packet_id;			/* not for P_ACK_V1 */
	uint32_t	packet_id;
	struct span	payload;	/* the rest: TLS records, if any */
	size_t		used;		/* bytes, with the TCP length */
};

/*
 * Our P_CONTROL_HARD_RESET_CLIENT_V2: key id 0, session id
 * openvpn_client_sid, no ack, packet id 0, no payload; with the TCP
 * length prefix when `tcp`.  Returns its length, or 0 when `len` is too
 * small.
 */
size_t			openvpn_build_reset(uint8_t *out, size_t len, bool tcp);

/*
 * Parse one control packet of `len` bytes (a UDP datagram: the payload
 * is all that follows the header).  PARSE_MORE while the header is
 * incomplete; PARSE_BAD for a data opcode, an unknown one or an ack
 * count over OPENVPN_ACK_MAX.
 */
enum parse_result	openvpn_parse_packet(const uint8_t *, size_t,
			    struct openvpn_packet *);

/*
 * Parse one length-prefixed packet from a TCP stream.  PARSE_MORE until
 * the whole packet is there; PARSE_BAD when the length cannot be a
 * control packet's or the packet does not parse.
 */
enum parse_result	openvpn_parse_tcp(const uint8_t *, size_t,
			    struct openvpn_packet *);

/* The opcode's name ("P_CONTROL_HARD_RESET_SERVER_V2"), or NULL. */
const char		*openvpn_opcode_name(uint8_t);

#endif /* VIGIE_PROBES_OPENVPN_H */
