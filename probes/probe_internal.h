/*
 * probe_internal.h - private to probes/: every probe module's extern
 * declaration, the session structure, and the runtime's entry points.
 *
 * To add a probe: write probes/<name>.c exporting `const struct probe
 * probe_<name>`, declare it below, list it in probes/registry.c, and add
 * tests/unit/test_<name>.c (plus a fuzz target for its parser).
 */
#ifndef VIGIE_PROBE_INTERNAL_H
#define VIGIE_PROBE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/addr.h"
#include "vigie/obs.h"
#include "vigie/probe.h"

struct bufferevent;
struct event;
struct evbuffer;
struct prober;
struct probe_job;
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

extern const struct probe probe_banner;
extern const struct probe probe_ssh;
extern const struct probe probe_ftp;
extern const struct probe probe_smtp;
/* Follow-ups of probe_smtp: TLS measured through STARTTLS (tls.h). */
extern const struct probe probe_smtp_tls_legacy;
extern const struct probe probe_smtp_tls_weak;
extern const struct probe probe_smtp_tls_v1;
extern const struct probe probe_smtp_tls_v12;
extern const struct probe probe_smtp_tls_ssl3;
extern const struct probe probe_telnet;
extern const struct probe probe_http;
extern const struct probe probe_https;
extern const struct probe probe_tls;
extern const struct probe probe_rdp;
extern const struct probe probe_rdp_std;	/* follow-ups of probe_rdp */
extern const struct probe probe_rdp_tls;
extern const struct probe probe_redis;
extern const struct probe probe_snmp;
extern const struct probe probe_smb;
extern const struct probe probe_smb1;
extern const struct probe probe_mysql;
extern const struct probe probe_pgsql;
extern const struct probe probe_vnc;
extern const struct probe probe_mssql;
extern const struct probe probe_dicom;
extern const struct probe probe_hl7;
extern const struct probe probe_openvpn;
extern const struct probe probe_openvpn_udp;	/* UDP */
extern const struct probe probe_ike;		/* UDP */

/*
 * One conversation with one service.  Created by the runtime (or by the
 * unit-test harness with probe_session_fake_new()), freed by it.
 */
struct probe_session {
	const struct probe	*mod;
	struct prober		*prober;	/* NULL in the test harness */
	struct probe_job	*job;
	struct vg_addr		 addr;
	uint16_t		 port;
	char			 peer[ENDPOINT_STRLEN];
	char			 host[256];	/* SNI / Host header */
	const char		*user_agent;
	void			*state;		/* mod->state_size, zeroed */
	struct obs		 obs;
	struct bufferevent	*bev;		/* NULL in the test harness */
	struct evbuffer		*out;		/* harness: what was written */
	struct event		*deadline;
	size_t			 nread;		/* bytes received */
	bool			 connected;
	bool			 finished;
	bool			 starttls;	/* upgrade under way */
};

/* The generic sequence (probes/registry.c), in the order it is tried. */
size_t			 probe_generic_count(void);
const struct probe	*probe_generic_at(size_t);

/* A session with no socket: probe_write() appends to s->out.  For the
 * unit-test harness and the fuzzers.  Free with probe_session_fake_free(). */
struct probe_session	*probe_session_fake_new(const struct probe *,
			    const char *ip, uint16_t port);
void			 probe_session_fake_free(struct probe_session *);

/* TLS (probes/tls.c).  The client context offers TLS 1.0 to 1.3 and
 * legacy ciphers (SECLEVEL=0), verifies nothing itself, and records. */
SSL_CTX	*tls_client_ctx_new(void);
/* After a handshake: version, cipher, certificate facts into obs. */
void	 tls_record(struct obs *, SSL *);
/* Certificate facts from DER bytes (fuzzable): 0 or -1. */
int	 tls_record_cert_der(struct obs *, const uint8_t *, size_t);

#endif /* VIGIE_PROBE_INTERNAL_H */
