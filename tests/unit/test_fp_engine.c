/*
 * test_fp_engine.c - the fingerprint engine: the shipped rules and their
 * examples, evaluation of hand-built observations, the bad rule sets of
 * tests/data/rules/bad-* (each with the error it must give in EXPECT),
 * finding identities and evidence bounds.
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprints/fingerprints_internal.h"
#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

#define RULES_DIR	"../../fingerprints/rules"
#define DATA_DIR	"../data/rules"
#define MAX_FOUND	16

/* What fp_eval emitted, copied. */
struct found {
	size_t	n;
	char	rule[MAX_FOUND][RULES_ID_MAX];
	char	evidence[MAX_FOUND][FP_EVIDENCE_MAX];
	char	fid[MAX_FOUND][17];
	struct finding	f[MAX_FOUND];	/* strings borrowed: rules only */
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < MAX_FOUND);
	snprintf(fd->rule[fd->n], sizeof(fd->rule[0]), "%s", f->rule);
	snprintf(fd->evidence[fd->n], sizeof(fd->evidence[0]), "%s",
	    f->evidence);
	memcpy(fd->fid[fd->n], f->fid, sizeof(fd->fid[0]));
	fd->f[fd->n] = *f;
	fd->f[fd->n].evidence = NULL;	/* does not outlive emit */
	fd->n++;
}

/* Index of the finding of `rule`, or -1. */
static int
found_index(const struct found *fd, const char *rule)
{
	size_t	i;

	for (i = 0; i < fd->n; i++)
		if (strcmp(fd->rule[i], rule) == 0)
			return (int)i;
	return -1;
}

static int
setup_rules(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;

	vg_err_clear(&err);
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL) {
		fprintf(stderr, "%s\n", vg_err_str(&err));
		return -1;
	}
	*state = rules;
	return 0;
}

static int
teardown_rules(void **state)
{
	fp_rules_free(*state);
	return 0;
}

static void
eval(const struct fp_rules *rules, const struct obs *obs, uint16_t port,
    struct found *fd)
{
	struct vg_addr	a;

	memset(fd, 0, sizeof(*fd));
	assert_int_equal(addr_parse("198.51.100.7", &a), 0);
	fp_eval(rules, obs, &a, port, "tcp", "750000001", collect, fd);
}

static void
test_shipped_rules_pass_their_examples(void **state)
{
	const struct fp_rules	*rules = *state;

	assert_true(fp_rules_count(rules) >= 13);
	assert_int_equal(strlen(fp_rules_version(rules)), 12);
	assert_int_equal(fp_rules_selftest(rules, stderr), 0);
}

static void
test_shipped_rules_cover_the_first_ids(void **state)
{
	static const char *const	ids[] = {
		"ssh-exposed", "rdp-exposed", "telnet-exposed", "vnc-exposed",
		"ftp-cleartext", "ftp-anonymous", "tls-self-signed",
		"tls-expired", "tls-untrusted", "http-cleartext",
		"database-exposed", "redis-no-auth", "smtp-exposed",
		"smb-exposed", "smbv1-enabled", "smb-signing-not-required",
		"vnc-no-auth", "admin-panel-exposed",
	};
	const struct fp_rules	*rules = *state;
	const struct fp_rule	*r;
	size_t			 i, j;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (j = 0; j < rules->n; j++)
			if (strcmp(rules->rules[j].id, ids[i]) == 0)
				break;
		if (j == rules->n)
			fail_msg("rule %s missing", ids[i]);
		r = &rules->rules[j];
		/* French first, and something to do about it. */
		assert_true(strlen(r->title_fr) > 0);
		assert_true(strlen(r->advice_fr) > 0);
		assert_true(strlen(r->advice_en) > 0);
		assert_true(strcmp(r->title_en, r->title_fr) != 0);
	}
}

static void
test_ssh_finding_is_filled(void **state)
{
	const struct fp_rules	*rules = *state;
	struct found		 fd;
	struct obs		 o;
	struct vg_addr		 a;
	char			 fid[17];
	int			 i;

	obs_init(&o);
	obs_set_service(&o, "ssh");
	obs_set(&o, "ssh.software", "OpenSSH_9.2p1");
	obs_set(&o, "ssh.comments", "Debian-2+deb12u3");
	eval(rules, &o, 22, &fd);
	assert_int_equal(fd.n, 1);
	assert_int_equal((i = found_index(&fd, "ssh-exposed")), 0);
	assert_int_equal(fd.f[i].severity, FP_SEV_MEDIUM);
	assert_string_equal(fd.f[i].theme, "Exposition");
	assert_string_equal(fd.f[i].confidence, "certain");
	assert_string_equal(fd.f[i].title_fr, "Accès SSH exposé sur Internet");
	assert_string_equal(fd.f[i].proto, "tcp");
	assert_string_equal(fd.f[i].service, "ssh");
	assert_int_equal(fd.f[i].port, 22);
	assert_int_equal(fd.f[i].addr.family, 4);
	assert_non_null(strstr(fd.f[i].references, "https://"));
	assert_string_equal(fd.evidence[i],
	    "ssh.software=OpenSSH_9.2p1; ssh.comments=Debian-2+deb12u3");
	assert_int_equal(addr_parse("198.51.100.7", &a), 0);
	finding_identity("750000001", &a, 22, "ssh-exposed", fd.evidence[i],
	    fid);
	assert_string_equal(fd.fid[i], fid);
	obs_fini(&o);
}

static void
test_redis_without_auth_gives_two_findings(void **state)
{
	const struct fp_rules	*rules = *state;
	struct found		 fd;
	struct obs		 o;
	int			 i;

	obs_init(&o);
	obs_set_service(&o, "redis");
	obs_set(&o, "redis.auth", "none");
	obs_set(&o, "version", "7.0.15");
	eval(rules, &o, 6379, &fd);
	assert_int_equal(fd.n, 2);
	assert_true(found_index(&fd, "database-exposed") >= 0);
	assert_true((i = found_index(&fd, "redis-no-auth")) >= 0);
	assert_int_equal(fd.f[i].severity, FP_SEV_CRITICAL);
	assert_string_equal(fd.f[i].theme, "Comptes");
	assert_string_equal(fd.evidence[i], "redis.auth=none; version=7.0.15");

	obs_set(&o, "redis.auth", "required");
	eval(rules, &o, 6379, &fd);
	assert_int_equal(fd.n, 1);
	assert_int_equal(found_index(&fd, "database-exposed"), 0);
	obs_fini(&o);
}

static void
test_https_self_signed_is_not_cleartext(void **state)
{
	const struct fp_rules	*rules = *state;
	struct found		 fd;
	struct obs		 o;
	int			 i;

	obs_init(&o);
	obs_set_service(&o, "http");
	o.tls = true;
	obs_set(&o, "http.status", "200");
	obs_set(&o, "tls.self_signed", "yes");
	obs_set(&o, "tls.expired", "no");
	obs_set(&o, "tls.verify", "self-signed certificate");
	obs_set(&o, "tls.subject", "CN=intranet");
	obs_set(&o, "tls.issuer", "CN=intranet");
	eval(rules, &o, 443, &fd);
	assert_int_equal(fd.n, 1);
	assert_true((i = found_index(&fd, "tls-self-signed")) >= 0);
	assert_string_equal(fd.evidence[i],
	    "tls.subject=CN=intranet; tls.issuer=CN=intranet");

	/* The same site over plain HTTP. */
	obs_reset(&o);
	obs_set_service(&o, "http");
	obs_set(&o, "http.status", "200");
	eval(rules, &o, 80, &fd);
	assert_int_equal(fd.n, 1);
	assert_int_equal(found_index(&fd, "http-cleartext"), 0);
	assert_int_equal(fd.f[0].severity, FP_SEV_LOW);

	/* A redirection is what port 80 should answer. */
	obs_set(&o, "http.status", "301");
	eval(rules, &o, 80, &fd);
	assert_int_equal(fd.n, 0);
	obs_fini(&o);
}

static void
test_unknown_service_gives_nothing(void **state)
{
	const struct fp_rules	*rules = *state;
	struct found		 fd;
	struct obs		 o;

	obs_init(&o);
	eval(rules, &o, 12345, &fd);
	assert_int_equal(fd.n, 0);
	obs_set_service(&o, "ftp");
	o.tls = true;
	obs_set(&o, "ftp.anonymous", "no");
	eval(rules, &o, 990, &fd);
	assert_int_equal(fd.n, 0);
	obs_fini(&o);
}

static char *
read_expect(const char *dir)
{
	char	 path[512], *line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s/EXPECT", DATA_DIR, dir);
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("%s: cannot open", path);
	if ((n = getline(&line, &cap, fp)) <= 0)
		fail_msg("%s: empty", path);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fclose(fp);
	return line;
}

static void
test_bad_rule_sets_name_file_and_line(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;
	struct dirent	*de;
	DIR		*d;
	char		 path[512], want[1024], *expect;
	const char	*got;
	int		 nsets = 0;

	(void)state;
	assert_non_null(d = opendir(DATA_DIR));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "bad-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", DATA_DIR, de->d_name);
		expect = read_expect(de->d_name);
		vg_err_clear(&err);
		rules = fp_rules_load(path, &err);
		if (rules != NULL)
			fail_msg("%s: loaded, expected %s", path, expect);
		got = vg_err_str(&err);
		/* The error starts with the file's path: "<dir>/a.yaml:5: ". */
		snprintf(want, sizeof(want), "%s/%s", path, expect);
		if (strncmp(got, want, strlen(want)) != 0)
			fail_msg("%s:\n got  %s\n want %s", de->d_name, got,
			    want);
		free(expect);
		nsets++;
	}
	closedir(d);
	assert_true(nsets >= 20);
}

static void
test_missing_or_empty_folder_fails(void **state)
{
	struct vg_err	err;

	(void)state;
	vg_err_clear(&err);
	assert_null(fp_rules_load(DATA_DIR "/no-such-dir", &err));
	assert_non_null(strstr(vg_err_str(&err), "no-such-dir: cannot open"));
	assert_null(fp_rules_load(DATA_DIR "/empty", &err));
	assert_non_null(strstr(vg_err_str(&err), "empty: no *.yaml"));
}

static void
test_selftest_reports_each_failure(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*out;

	(void)state;
	assert_non_null(rules = fp_rules_load(DATA_DIR "/selftest-fail",
	    &err));
	assert_non_null(out = open_memstream(&text, &len));
	assert_int_equal(fp_rules_selftest(rules, out), 3);
	fclose(out);
	assert_non_null(strstr(text, "selftest-fail/a.yaml:9: rule "
	    "wrong-examples example 2: expected match, got no-match\n"));
	assert_non_null(strstr(text, "selftest-fail/a.yaml:11: rule "
	    "wrong-examples example 3: expected no-match, got match\n"));
	assert_non_null(strstr(text, "selftest-fail/a.yaml:14: rule "
	    "no-examples: needs a match and a no-match example\n"));
	free(text);
	assert_int_equal(fp_rules_selftest(rules, NULL), 3);
	fp_rules_free(rules);
}

static const char	mem_rules[] =
    "- id: banner-re\n"
    "  severity: high\n"
    "  theme: Mises à jour\n"
    "  confidence: likely\n"
    "  when:\n"
    "    service: [ftp, smtp]\n"
    "    port: [21, 2121]\n"
    "    fields:\n"
    "      ftp.banner: \"^220 .*vsFTPd 2\\\\.\"\n"
    "      \"!ftp.tls\": \"\"\n"
    "  evidence: ftp.banner\n"
    "  title: { fr: \"Titre\", en: \"Title\" }\n"
    "  references: https://example.org/a\n"
    "- id: runaway\n"
    "  severity: info\n"
    "  theme: Journaux\n"
    "  when: { fields: { x.y: \"^(a+)+$\" } }\n"
    "  title: { fr: \"Emballement\" }\n";

static void
test_conditions_from_memory(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;
	struct found	 fd;
	struct obs	 o;
	char		 evil[1024];	/* within OBS_VAL_MAX */

	(void)state;
	rules = fp_rules_load_mem("mem.yaml", mem_rules,
	    sizeof(mem_rules) - 1, &err);
	if (rules == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(fp_rules_count(rules), 2);
	obs_init(&o);
	obs_set_service(&o, "ftp");
	obs_set(&o, "ftp.banner", "220 (vsFTPd 2.3.4)");
	eval(rules, &o, 21, &fd);
	assert_int_equal(fd.n, 1);
	assert_string_equal(fd.f[0].confidence, "likely");
	assert_string_equal(fd.f[0].theme, "Mises à jour");
	assert_string_equal(fd.f[0].title_en, "Title");
	assert_string_equal(fd.f[0].advice_fr, "");
	assert_string_equal(fd.f[0].advice_en, "");
	assert_string_equal(fd.f[0].references, "https://example.org/a");
	assert_string_equal(fd.evidence[0], "ftp.banner=220 (vsFTPd 2.3.4)");
	/* Wrong port, wrong version, a field that must be absent. */
	eval(rules, &o, 22, &fd);
	assert_int_equal(fd.n, 0);
	obs_set(&o, "ftp.banner", "220 (vsFTPd 3.0.3)");
	eval(rules, &o, 2121, &fd);
	assert_int_equal(fd.n, 0);
	obs_set(&o, "ftp.banner", "220 (vsFTPd 2.0.5)");
	obs_set(&o, "ftp.tls", "yes");
	eval(rules, &o, 2121, &fd);
	assert_int_equal(fd.n, 0);

	/* Catastrophic backtracking stops at the match limit: no finding. */
	obs_reset(&o);
	memset(evil, 'a', sizeof(evil) - 2);
	evil[sizeof(evil) - 2] = 'b';
	evil[sizeof(evil) - 1] = '\0';
	obs_set(&o, "x.y", evil);
	eval(rules, &o, 1, &fd);
	assert_int_equal(fd.n, 0);
	obs_set(&o, "x.y", "aaaa");
	eval(rules, &o, 1, &fd);
	assert_int_equal(fd.n, 1);
	assert_string_equal(fd.f[0].title_en, "Emballement");
	obs_fini(&o);
	fp_rules_free(rules);
}

/* The rule's own examples say it: a runaway regex is "unknown". */
static void
test_runaway_regex_is_unknown(void **state)
{
	static const char	head[] =
	    "- id: runaway\n"
	    "  severity: info\n"
	    "  theme: Journaux\n"
	    "  when: { fields: { x.y: \"^(a|aa)+$\" } }\n"
	    "  title: { fr: \"Emballement\" }\n"
	    "  examples:\n"
	    "    - { obs: { x.y: aaaa }, expect: match }\n"
	    "    - { obs: { x.y: aaab }, expect: no-match }\n"
	    "    - { obs: { x.y: ";
	static const char	tail[] = "b }, expect: unknown }\n";
	struct vg_err		 err;
	struct fp_rules		*rules;
	char			 text[sizeof(head) + 200 + sizeof(tail)];

	(void)state;
	memcpy(text, head, sizeof(head) - 1);
	memset(text + sizeof(head) - 1, 'a', 200);
	memcpy(text + sizeof(head) - 1 + 200, tail, sizeof(tail));
	rules = fp_rules_load_mem("runaway.yaml", text, strlen(text), &err);
	if (rules == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(fp_rules_selftest(rules, stderr), 0);
	fp_rules_free(rules);
}

/* when.any: one alternative at least, with the other conditions. */
static void
test_any_alternatives(void **state)
{
	static const char	text[] =
	    "- id: console\n"
	    "  severity: high\n"
	    "  theme: Exposition\n"
	    "  when:\n"
	    "    service: http\n"
	    "    fields: { http.status: \"^200$\" }\n"
	    "    any:\n"
	    "      http.title: \"Webmin\"\n"
	    "      http.server: \"^MiniServ/\"\n"
	    "      x.y: \"^(a|aa)+$\"\n"
	    "  evidence: [http.title, http.server]\n"
	    "  title: { fr: \"Console\" }\n"
	    "  examples:\n"
	    "    - { obs: { service: http, http.status: 200,\n"
	    "               http.title: Login to Webmin }, expect: match }\n"
	    "    - { obs: { service: http, http.status: 200,\n"
	    "               http.server: MiniServ/2.1 }, expect: match }\n"
	    "    - { obs: { service: http, http.status: 302,\n"
	    "               http.title: Webmin }, expect: no-match }\n"
	    "    - { obs: { service: http, http.status: 200 },\n"
	    "        expect: no-match }\n"
	    "    - { obs: { service: http, http.status: 200,\n"
	    "               http.title: Portail }, expect: no-match }\n";
	static const char	absent[] =
	    "- id: console\n"
	    "  severity: high\n"
	    "  theme: Exposition\n"
	    "  when:\n"
	    "    any:\n"
	    "      http.title: \"Webmin\"\n"
	    "      \"!http.server\": \"\"\n"
	    "  title: { fr: \"Console\" }\n";
	struct vg_err		 err;
	struct fp_rules		*rules;
	struct found		 fd;
	struct obs		 o;
	char			 evil[1024];

	(void)state;
	rules = fp_rules_load_mem("any.yaml", text, sizeof(text) - 1, &err);
	if (rules == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(fp_rules_selftest(rules, stderr), 0);

	/* The evidence quotes the alternatives present. */
	obs_init(&o);
	obs_set_service(&o, "http");
	obs_set(&o, "http.status", "200");
	obs_set(&o, "http.server", "MiniServ/2.105");
	obs_set(&o, "http.title", "Login to Webmin");
	eval(rules, &o, 10000, &fd);
	assert_int_equal(fd.n, 1);
	assert_string_equal(fd.evidence[0], "http.title=Login to Webmin; "
	    "http.server=MiniServ/2.105");

	/* An alternative that hits the PCRE2 limits: unknown, unless
	 * another one holds. */
	obs_reset(&o);
	obs_set_service(&o, "http");
	obs_set(&o, "http.status", "200");
	memset(evil, 'a', sizeof(evil) - 2);
	evil[sizeof(evil) - 2] = 'b';
	evil[sizeof(evil) - 1] = '\0';
	obs_set(&o, "x.y", evil);
	eval(rules, &o, 80, &fd);
	assert_int_equal(fd.n, 0);
	obs_set(&o, "http.title", "Webmin");
	eval(rules, &o, 80, &fd);
	assert_int_equal(fd.n, 1);
	obs_fini(&o);
	fp_rules_free(rules);

	/* "!field" means nothing as an alternative: refused, file:line. */
	rules = fp_rules_load_mem("absent.yaml", absent, sizeof(absent) - 1,
	    &err);
	assert_null(rules);
	assert_string_equal(vg_err_str(&err), "absent.yaml:7: rule "
	    "'console': any: '!http.server': an absent field cannot be an "
	    "alternative");
}

static void
test_version_follows_content(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*a, *b, *c;
	char		 other[sizeof(mem_rules)];

	(void)state;
	memcpy(other, mem_rules, sizeof(mem_rules));
	memcpy(other + strlen("- id: banner-re\n  severity: "), "low ", 4);
	a = fp_rules_load_mem("m.yaml", mem_rules, sizeof(mem_rules) - 1,
	    &err);
	b = fp_rules_load_mem("m.yaml", mem_rules, sizeof(mem_rules) - 1,
	    &err);
	c = fp_rules_load_mem("m.yaml", other, sizeof(other) - 1, &err);
	assert_non_null(a);
	assert_non_null(b);
	if (c == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_string_equal(fp_rules_version(a), fp_rules_version(b));
	assert_string_not_equal(fp_rules_version(a), fp_rules_version(c));
	fp_rules_free(a);
	fp_rules_free(b);
	fp_rules_free(c);
}

static void
test_empty_file_holds_no_rule(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;

	(void)state;
	assert_non_null(rules = fp_rules_load_mem("e.yaml", NULL, 0, &err));
	assert_int_equal(fp_rules_count(rules), 0);
	fp_rules_free(rules);
	assert_non_null(rules = fp_rules_load_mem("c.yaml", "# only\n", 7,
	    &err));
	assert_int_equal(fp_rules_count(rules), 0);
	fp_rules_free(rules);
	assert_null(fp_rules_load_mem("s.yaml", "just text", 9, &err));
	assert_string_equal(vg_err_str(&err),
	    "s.yaml:1: expected a list of rules, found a string");
}

static void
test_identity_is_stable_and_sensitive(void **state)
{
	struct vg_addr	a, a6, b;
	char		ref[17], x[17];

	(void)state;
	assert_int_equal(addr_parse("198.51.100.7", &a), 0);
	assert_int_equal(addr_parse("198.51.100.8", &b), 0);
	assert_int_equal(addr_parse("2001:db8::7", &a6), 0);
	finding_identity("750000001", &a, 22, "ssh-exposed", "k=v", ref);
	assert_int_equal(strlen(ref), 16);
	assert_int_equal(strspn(ref, "0123456789abcdef"), 16);
	finding_identity("750000001", &a, 22, "ssh-exposed", "k=v", x);
	assert_string_equal(ref, x);
	/* A golden value: the identity must not change between versions. */
	finding_identity("", NULL, 0, "", "", x);
	assert_string_equal(x, "d83a3c74c641a82d");

	finding_identity("750000002", &a, 22, "ssh-exposed", "k=v", x);
	assert_string_not_equal(ref, x);
	finding_identity("750000001", &b, 22, "ssh-exposed", "k=v", x);
	assert_string_not_equal(ref, x);
	finding_identity("750000001", &a6, 22, "ssh-exposed", "k=v", x);
	assert_string_not_equal(ref, x);
	finding_identity("750000001", &a, 2222, "ssh-exposed", "k=v", x);
	assert_string_not_equal(ref, x);
	finding_identity("750000001", &a, 22, "rdp-exposed", "k=v", x);
	assert_string_not_equal(ref, x);
	finding_identity("750000001", &a, 22, "ssh-exposed", "k=w", x);
	assert_string_not_equal(ref, x);
	/* Moving bytes from one field to the next changes it too. */
	finding_identity("75000000", &a, 22, "1ssh-exposed", "k=v", x);
	assert_string_not_equal(ref, x);
	finding_identity(NULL, &a, 22, "ssh-exposed", NULL, x);
	assert_string_not_equal(ref, x);
}

static void
test_evidence_is_bounded_and_deduplicated(void **state)
{
	struct fp_evidence	ev;
	char			big[2000];
	size_t			i;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	fp_evidence_add(&ev, "a", "1");
	fp_evidence_add(&ev, "ab", "2");
	fp_evidence_add(&ev, "a", "3");		/* already there */
	fp_evidence_add(&ev, "b", NULL);
	fp_evidence_add(&ev, NULL, "x");
	fp_evidence_add(&ev, "", "x");
	assert_string_equal(ev.text, "a=1; ab=2");
	assert_int_equal(ev.len, strlen(ev.text));

	/* A long value is cut, on a UTF-8 boundary, and marked. */
	for (i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xc3\xa9", 2);	/* é */
	big[i] = '\0';
	fp_evidence_add(&ev, "long", big);
	assert_true(ev.len <= FP_EVIDENCE_MAX - 1);
	assert_int_equal(ev.len, strlen(ev.text));
	assert_true(ev.len >= FP_EVIDENCE_MAX - 5);
	assert_memory_equal(ev.text + ev.len - 3, "...", 3);
	assert_true(((unsigned char)ev.text[ev.len - 4] & 0xc0) == 0x80);
	assert_true((unsigned char)ev.text[ev.len - 5] == 0xc3);
	/* Full: what follows is dropped. */
	fp_evidence_add(&ev, "c", "3");
	assert_null(strstr(ev.text, "c=3"));
	assert_int_equal(ev.len, strlen(ev.text));
}

static void
test_severity_names_round_trip(void **state)
{
	enum fp_severity	s, t;

	(void)state;
	for (s = FP_SEV_INFO; s <= FP_SEV_CRITICAL; s++) {
		assert_int_equal(fp_severity_parse(fp_severity_str(s), &t), 0);
		assert_int_equal(s, t);
	}
	assert_string_equal(fp_severity_str(FP_SEV_HIGH), "high");
	assert_int_equal(fp_severity_parse("High", &t), -1);
	assert_int_equal(fp_severity_parse("", &t), -1);
	assert_string_equal(fp_severity_str((enum fp_severity)42), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_shipped_rules_pass_their_examples,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(
		    test_shipped_rules_cover_the_first_ids,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(test_ssh_finding_is_filled,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(
		    test_redis_without_auth_gives_two_findings,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(
		    test_https_self_signed_is_not_cleartext,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(
		    test_unknown_service_gives_nothing,
		    setup_rules, teardown_rules),
		cmocka_unit_test(test_bad_rule_sets_name_file_and_line),
		cmocka_unit_test(test_missing_or_empty_folder_fails),
		cmocka_unit_test(test_selftest_reports_each_failure),
		cmocka_unit_test(test_conditions_from_memory),
		cmocka_unit_test(test_runaway_regex_is_unknown),
		cmocka_unit_test(test_any_alternatives),
		cmocka_unit_test(test_version_follows_content),
		cmocka_unit_test(test_empty_file_holds_no_rule),
		cmocka_unit_test(test_identity_is_stable_and_sensitive),
		cmocka_unit_test(test_evidence_is_bounded_and_deduplicated),
		cmocka_unit_test(test_severity_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
