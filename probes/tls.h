/*
 * tls.h - the TLS measurements that follow an HTTPS answer: which
 * protocol versions and which weak cipher suites the server accepts.
 *
 * OpenSSL's handshake (probes/tls.c, run by the probe runtime) gives one
 * version and one cipher: the best both sides share.  What else the
 * server would accept takes more handshakes; each of these is the
 * shortest there is: one hand-built ClientHello (RFC 5246 7.4.1.2; SSL
 * 3.0, RFC 6101 5.6.1.2), one answer read (a ServerHello, or an alert),
 * then the connection is dropped.  No key exchange, nothing computed.
 *
 * The measurements are probe modules chained by `then` after probe_https,
 * each on a connection of its own, each skipped when what came before
 * already tells (its `wanted`).  probes/smtp.c chains the same five after
 * probe_smtp (smtp_tls_legacy...): each says the SMTP preamble up to
 * STARTTLS's 220, then hands over to tls_measure_write(), _read() and
 * _eof() below.
 *
 *   tls_legacy  TLS 1.1 at most: the best legacy protocol accepted
 *   tls_weak    TLS 1.2 at most, weak suites only (RC4, 3DES, DES,
 *               export, NULL, anonymous): one is accepted, or none
 *   tls_v1      TLS 1.0 at most, when TLS 1.1 was accepted
 *   tls_v12     TLS 1.2 at most, when the main handshake chose TLS 1.3
 *   tls_ssl3    SSL 3.0, when TLS 1.0 or 1.1 was accepted, and the
 *               runtime's PROBE_THEN_MAX leaves room
 *
 * Each records tls.ssl3, tls.tls1_0, tls.tls1_1, tls.tls1_2 ("yes" or
 * "no") for what its answer proves, and tls.legacy_cipher or
 * tls.weak_cipher; the main handshake records its own version's field.
 */
#ifndef VIGIE_PROBES_TLS_H
#define VIGIE_PROBES_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/parse.h"
#include "vigie/probe.h"

#define TLS_HELLO_MAX		1024	/* our ClientHello, record included */
#define TLS_RECORD_LEN_MAX	18432	/* 2^14 + 2048, RFC 5246 6.2.3 */
#define TLS_SERVER_HELLO_MAX	4096	/* a longer ServerHello is refused */
#define TLS_MEASURE_READ_MAX	32768	/* a measurement's read budget:
					 * the ServerHello comes first */

/* Protocol versions on the wire (RFC 6101, RFC 5246 A.1). */
#define TLS_V_SSL3	0x0300
#define TLS_V_1_0	0x0301
#define TLS_V_1_1	0x0302
#define TLS_V_1_2	0x0303
#define TLS_V_1_3	0x0304

/* What one measurement offers. */
enum tls_offer {
	TLS_OFFER_LEGACY,	/* TLS 1.1 and below, every suite we know */
	TLS_OFFER_WEAK,		/* TLS 1.2 and below, weak suites only */
	TLS_OFFER_TLS1,		/* TLS 1.0 and below */
	TLS_OFFER_SSL3,		/* SSL 3.0, no extension */
	TLS_OFFER_TLS12,	/* TLS 1.2 and below, without TLS 1.3 */
};

/* The server's first answer. */
struct tls_server_hello {
	bool		alert;		/* an alert instead of a ServerHello */
	uint8_t		alert_level;
	uint8_t		alert_desc;	/* RFC 5246 7.2: 40 handshake_failure,
					 * 70 protocol_version... */
	uint16_t	version;	/* server_version */
	uint16_t	cipher;		/* cipher_suite */
	uint8_t		compression;
};

/*
 * Build the ClientHello of an offer into out, with server_name when
 * `sni` is a host name (NULL or "" for none).  Returns its length, 0
 * when it does not fit.
 */
size_t		 tls_build_client_hello(uint8_t *out, size_t outlen,
		    enum tls_offer, const char *sni);

/*
 * The server's answer to a ClientHello: handshake records up to the end
 * of the ServerHello's fixed fields (which may span records), or an
 * alert record.  PARSE_MORE until then; PARSE_BAD when the bytes are not
 * TLS (an SSL 2.0 answer included) or break a bound.
 */
enum parse_result tls_parse_server_hello(const uint8_t *, size_t,
		    struct tls_server_hello *);

/* "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (OpenSSL's spelling),
 * or NULL. */
const char	*tls_version_name(uint16_t);
/* The observation key of a version ("tls.tls1_0"...), or NULL. */
const char	*tls_version_key(uint16_t);
/* OpenSSL's name of a cipher suite we offer, or NULL. */
const char	*tls_cipher_name(uint16_t);

/*
 * One measurement on a connection that is ready for a ClientHello (from
 * its first byte, or after an SMTP STARTTLS): the steps of a probe
 * module, with the offer said.  tls_measure_write() queues the offer's
 * ClientHello (0, or -1 when it cannot).  tls_measure_read() parses the
 * server's first answer in `in` (which it leaves there: PROBE_MORE until
 * it is whole) and records what it proves; PROBE_DONE after it, or after
 * bytes that are not TLS (nothing proven).  tls_measure_eof(): closed or
 * silent before any byte is a refusal, recorded as such.  What is
 * recorded: tls.ssl3, tls.tls1_0, tls.tls1_1, tls.tls1_2 ("yes"/"no"),
 * tls.legacy_cipher (TLS_OFFER_LEGACY), tls.weak_cipher (TLS_OFFER_WEAK:
 * a suite's name, or "none").
 */
int		 tls_measure_write(struct probe_session *, enum tls_offer);
enum probe_status tls_measure_read(struct probe_session *, struct evbuffer *,
		    enum tls_offer);
void		 tls_measure_eof(struct probe_session *, struct evbuffer *,
		    enum tls_offer);

/* The `wanted` of the later measurements: whether the fields so far
 * leave a gap that TLS 1.0 alone, TLS 1.2 alone or SSL 3.0 would fill
 * (TLS 1.1 accepted; TLS 1.3 chosen by the main handshake; TLS 1.0 or
 * 1.1 accepted). */
bool		 tls_want_tls1(const struct obs *so_far);
bool		 tls_want_tls12(const struct obs *so_far);
bool		 tls_want_ssl3(const struct obs *so_far);

extern const struct probe	probe_tls_legacy;
extern const struct probe	probe_tls_weak;
extern const struct probe	probe_tls_v1;
extern const struct probe	probe_tls_ssl3;
extern const struct probe	probe_tls_v12;

#endif /* VIGIE_PROBES_TLS_H */
