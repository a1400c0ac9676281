/*
 * test_check_host.c - the honeypot and firewall guard
 * (fingerprints/host.c): a normal host, a host answering every probed
 * port, a honeypot speaking every protocol, a tarpit giving one answer
 * everywhere; and fp_eval_host()'s downgraded findings, whose identity
 * does not change, also when judged once and evaluated in pieces
 * (fp_eval_judged()).
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

#define RULES_DIR	"../../fingerprints/rules"
#define NOBS		16

struct host {
	struct obs		o[NOBS];
	struct fp_host_obs	ho[NOBS];
	size_t			n;
};

static struct obs *
host_add(struct host *h, uint16_t port, const char *service)
{
	struct obs	*o;

	assert_true(h->n < NOBS);
	o = &h->o[h->n];
	obs_init(o);
	obs_set_service(o, service);
	h->ho[h->n].obs = o;
	h->ho[h->n].port = port;
	h->ho[h->n].proto = NULL;
	h->n++;
	return o;
}

static void
host_fini(struct host *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		obs_fini(&h->o[i]);
	h->n = 0;
}

/* A Debian server: SSH and a web site, out of 13 ports probed. */
static void
normal_host(struct host *h)
{
	struct obs	*o;

	memset(h, 0, sizeof(*h));
	o = host_add(h, 22, "ssh");
	obs_set(o, "ssh.software", "OpenSSH_9.2p1");
	obs_set(o, "ssh.comments", "Debian-2+deb12u10");
	o = host_add(h, 80, "http");
	obs_set(o, "http.status", "301");
	o = host_add(h, 443, "https");
	obs_set(o, "http.status", "200");
	o = host_add(h, 8080, "http");
	obs_set(o, "http.status", "200");
}

static void
test_normal_host(void **state)
{
	struct fp_host_verdict	v;
	struct host		h;

	(void)state;
	normal_host(&h);
	fp_host_judge(h.ho, h.n, 13, &v);
	assert_false(v.suspect);
	assert_string_equal(v.reason, "");
	assert_int_equal(v.nopen, 4);
	assert_int_equal(v.nservices, 3);
	/* Few ports probed: even all open means little. */
	fp_host_judge(h.ho, h.n, 4, &v);
	assert_false(v.suspect);
	fp_host_judge(h.ho, h.n, 0, &v);
	assert_false(v.suspect);
	host_fini(&h);
}

/* An ACKing firewall: every probed port "open", nothing identified. */
static void
test_every_port_open(void **state)
{
	struct fp_host_verdict	v;
	struct host		h;
	size_t			i;

	(void)state;
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 13; i++)
		host_add(&h, (uint16_t)(1000 + i), "");
	fp_host_judge(h.ho, h.n, 13, &v);
	assert_true(v.suspect);
	assert_string_equal(v.reason, "répond sur 13 des 13 ports sondés "
	    "(pare-feu, leurre ou pot de miel ?)");
	fp_host_judge(h.ho, 9, 13, &v);		/* 69 %: not yet */
	assert_false(v.suspect);
	fp_host_judge(h.ho, 10, 13, &v);	/* 77 % */
	assert_true(v.suspect);
	host_fini(&h);
}

/* A honeypot speaking every protocol on a few ports of many. */
static void
test_every_protocol(void **state)
{
	static const char *const	services[] = {
		"ssh", "telnet", "ftp", "smtp", "rdp", "vnc", "redis",
		"mysql", "smb",
	};
	struct fp_host_verdict		v;
	struct host			h;
	size_t				i;

	(void)state;
	memset(&h, 0, sizeof(h));
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		host_add(&h, (uint16_t)(100 + i), services[i]);
	fp_host_judge(h.ho, h.n, 1000, &v);
	assert_true(v.suspect);
	assert_int_equal(v.nservices, 8);	/* counted up to the limit */
	assert_non_null(strstr(v.reason, "services différents"));
	host_fini(&h);
}

/* A tarpit: the same banner on many ports; web ports do not count. */
static void
test_same_answer(void **state)
{
	struct fp_host_verdict	v;
	struct host		h;
	struct obs		*o;
	size_t			i;

	(void)state;
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 5; i++) {
		o = host_add(&h, (uint16_t)(2000 + i), "");
		obs_set(o, "banner.text", "220 ready");
	}
	fp_host_judge(h.ho, h.n, 1000, &v);
	assert_true(v.suspect);
	assert_int_equal(v.nsame, 5);
	assert_string_equal(v.reason, "la même réponse sur 5 ports (leurre "
	    "ou pot de miel ?)");
	obs_set(&h.o[4], "banner.text", "220 other");
	fp_host_judge(h.ho, h.n, 1000, &v);
	assert_false(v.suspect);
	host_fini(&h);

	/* One reverse proxy on many web ports is common. */
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 6; i++) {
		o = host_add(&h, (uint16_t)(8000 + i), "http");
		obs_set(o, "http.server", "nginx/1.22.1");
		obs_set(o, "banner.text", "same");
	}
	fp_host_judge(h.ho, h.n, 1000, &v);
	assert_false(v.suspect);
	assert_int_equal(v.nsame, 0);
	host_fini(&h);
}

struct found {
	size_t	n;
	char	rule[NOBS][64];
	char	conf[NOBS][32];
	char	evidence[NOBS][FP_EVIDENCE_MAX];
	char	fid[NOBS][17];
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < NOBS);
	assert_true(strlen(f->evidence) < FP_EVIDENCE_MAX);
	snprintf(fd->rule[fd->n], sizeof(fd->rule[0]), "%s", f->rule);
	snprintf(fd->conf[fd->n], sizeof(fd->conf[0]), "%s", f->confidence);
	snprintf(fd->evidence[fd->n], sizeof(fd->evidence[0]), "%s",
	    f->evidence);
	memcpy(fd->fid[fd->n], f->fid, sizeof(fd->fid[0]));
	fd->n++;
}

/* The same findings, downgraded and explained, with the same identity. */
static void
test_eval_host(void **state)
{
	struct fp_host_verdict	 v;
	struct vg_err		 err;
	struct fp_rules		*rules;
	struct found		 plain, guarded;
	struct vg_addr		 a;
	struct host		 h;
	struct obs		*o;
	const char		*want = "host=répond sur 10 des 12 ports "
				    "sondés (pare-feu, leurre ou pot de miel "
				    "?)";
	size_t			 i;

	(void)state;
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(addr_parse("198.51.100.66", &a), 0);
	memset(&h, 0, sizeof(h));
	o = host_add(&h, 23, "telnet");
	obs_set(o, "telnet.banner", "login:");
	o = host_add(&h, 6379, "redis");
	obs_set(o, "redis.auth", "none");
	for (i = 0; i < 8; i++)
		host_add(&h, (uint16_t)(3000 + i), "");

	memset(&plain, 0, sizeof(plain));
	fp_eval_host(rules, &a, h.ho, h.n, 1000, "750000001", collect,
	    &plain, &v);
	assert_false(v.suspect);
	assert_int_equal(plain.n, 3);	/* telnet, database, redis-no-auth */
	for (i = 0; i < plain.n; i++)
		assert_null(strstr(plain.evidence[i], "host="));

	memset(&guarded, 0, sizeof(guarded));
	fp_eval_host(rules, &a, h.ho, h.n, 12, "750000001", collect,
	    &guarded, &v);
	assert_true(v.suspect);
	assert_int_equal(guarded.n, plain.n);
	for (i = 0; i < guarded.n; i++) {
		assert_string_equal(guarded.rule[i], plain.rule[i]);
		assert_string_equal(guarded.conf[i], "to-verify");
		assert_string_equal(guarded.fid[i], plain.fid[i]);
		assert_int_equal(strncmp(guarded.evidence[i], want,
		    strlen(want)), 0);
		assert_non_null(strstr(guarded.evidence[i],
		    plain.evidence[i]));
	}
	/* `out` is optional. */
	memset(&guarded, 0, sizeof(guarded));
	fp_eval_host(rules, &a, h.ho, h.n, 12, "750000001", collect,
	    &guarded, NULL);
	assert_int_equal(guarded.n, plain.n);
	host_fini(&h);
	fp_rules_free(rules);
}

/*
 * Judged once, evaluated in pieces (the scan does so past its ceiling of
 * held observations) or for several establishments: the same findings as
 * fp_eval_host(), and an establishment's own identities.
 */
static void
test_eval_judged_piecewise(void **state)
{
	struct fp_host_verdict	 v;
	struct vg_err		 err;
	struct fp_rules		*rules;
	struct found		 whole, pieces, other;
	struct vg_addr		 a;
	struct host		 h;
	struct obs		*o;
	size_t			 i;

	(void)state;
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(addr_parse("198.51.100.135", &a), 0);
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 12; i++) {
		o = host_add(&h, (uint16_t)(20 + i), "ssh");
		obs_set(o, "ssh.software", "OpenSSH_9.2p1");
		obs_set(o, "ssh.comments", "Debian-2+deb12u10");
	}
	memset(&whole, 0, sizeof(whole));
	fp_eval_host(rules, &a, h.ho, h.n, 12, "750000001", collect, &whole,
	    &v);
	assert_true(v.suspect);
	assert_int_equal(v.nsame, 12);
	assert_int_equal(whole.n, 12);	/* ssh-exposed on each port */

	memset(&pieces, 0, sizeof(pieces));
	fp_eval_judged(rules, &a, &v, h.ho, 5, "750000001", collect, &pieces);
	fp_eval_judged(rules, &a, &v, h.ho + 5, h.n - 5, "750000001",
	    collect, &pieces);
	assert_int_equal(pieces.n, whole.n);
	for (i = 0; i < whole.n; i++) {
		assert_string_equal(pieces.rule[i], whole.rule[i]);
		assert_string_equal(pieces.conf[i], "to-verify");
		assert_string_equal(pieces.evidence[i], whole.evidence[i]);
		assert_string_equal(pieces.fid[i], whole.fid[i]);
	}

	/* Another establishment sharing the address: its own identities. */
	memset(&other, 0, sizeof(other));
	fp_eval_judged(rules, &a, &v, h.ho, h.n, "750000002", collect,
	    &other);
	assert_int_equal(other.n, whole.n);
	for (i = 0; i < whole.n; i++) {
		assert_string_equal(other.evidence[i], whole.evidence[i]);
		assert_string_not_equal(other.fid[i], whole.fid[i]);
	}
	host_fini(&h);
	fp_rules_free(rules);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_host),
		cmocka_unit_test(test_every_port_open),
		cmocka_unit_test(test_every_protocol),
		cmocka_unit_test(test_same_answer),
		cmocka_unit_test(test_eval_host),
		cmocka_unit_test(test_eval_judged_piecewise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
