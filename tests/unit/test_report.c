/*
 * test_report.c - report_write() in HTML, JSON and CSV over a store
 * built here through the store API, the message catalogs and the range
 * helpers (reports/report.c, fmt_*.c, messages*.c).
 *
 * The fixture: three scans of two establishments.  Scan 1 and 2 are
 * complete and differ by their findings; scan 3 is still running and
 * must not be what a report picks by default.  Hosts answer with hostile
 * banners and names, which must come out as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"
#include "vigie/registry.h"
#include "vigie/report.h"
#include "vigie/store.h"
#include "reports/report_internal.h"

#define EST_A		"750000010"
#define EST_B		"750000028"
#define HOSTILE_BANNER	"<script>alert(1)</script>"
#define HOSTILE_TITLE	"Accès FTP anonyme <img src=x onerror=alert(2)>"
#define HOSTILE_NAME	"EHPAD <b>Les Tilleuls</b>"
#define FORMULA		"=cmd|' /C calc'!A0"

struct fixture {
	char	dir[64];
	char	db[128];
};

struct fx_finding {
	int			 scan;		/* 1, 2 or 3 */
	const char		*est, *fid, *rule;
	enum fp_severity	 sev;
	const char		*theme, *ip;
	uint16_t		 port;
	const char		*service, *title_fr, *title_en, *evidence;
};

static const struct fx_finding	findings[] = {
	{ 1, EST_A, "00000000000000f1", "rdp-exposed", FP_SEV_HIGH,
	    "Exposition", "198.51.100.10", 3389, "rdp",
	    "Bureau à distance (RDP) accessible depuis Internet",
	    "Remote Desktop (RDP) reachable from the Internet",
	    "rdp.selected_protocol=hybrid" },
	{ 1, EST_A, "00000000000000f2", "ftp-cleartext", FP_SEV_MEDIUM,
	    "Chiffrement", "198.51.100.11", 21, "ftp",
	    "FTP sans chiffrement", "Cleartext FTP", "ftp.tls=no" },
	{ 1, EST_B, "00000000000000f3", "telnet-exposed", FP_SEV_HIGH,
	    "Exposition", "203.0.113.66", 23, "telnet",
	    "Telnet accessible depuis Internet", "Telnet reachable", "" },

	{ 2, EST_A, "00000000000000f1", "rdp-exposed", FP_SEV_HIGH,
	    "Exposition", "198.51.100.10", 3389, "rdp",
	    "Bureau à distance (RDP) accessible depuis Internet",
	    "Remote Desktop (RDP) reachable from the Internet",
	    "rdp.selected_protocol=hybrid" },
	{ 2, EST_A, "00000000000000f4", "rdp-no-nla", FP_SEV_CRITICAL,
	    "MFA", "198.51.100.10", 3389, "rdp",
	    "RDP accepte des connexions sans authentification préalable",
	    "RDP accepts connections without prior authentication",
	    "rdp.selected_protocol=standard_rdp" },
	{ 2, EST_A, "00000000000000f5", "ftp-anonymous", FP_SEV_HIGH,
	    "Comptes", "198.51.100.11", 21, "ftp", HOSTILE_TITLE,
	    "Anonymous FTP access", "ftp.banner=" HOSTILE_BANNER },
	{ 2, EST_A, "00000000000000f6", "tls-self-signed", FP_SEV_LOW,
	    "Chiffrement", "198.51.100.10", 443, "http",
	    "Certificat auto-signé", "Self-signed certificate",
	    "tls.issuer=CN=demo" },
	{ 2, EST_B, "00000000000000f3", "telnet-exposed", FP_SEV_HIGH,
	    "Exposition", "203.0.113.66", 23, "telnet",
	    "Telnet accessible depuis Internet", "Telnet reachable", "" },

	{ 3, EST_A, "00000000000000f7", "smb-exposed", FP_SEV_HIGH,
	    "Exposition", "198.51.100.10", 445, "smb",
	    "Partage de fichiers SMB exposé", "SMB exposed", "" },
};

#define NFINDINGS	(sizeof(findings) / sizeof(findings[0]))

static void
add_est(struct store *st, int64_t scan, const char *id, const char *name,
    const char *ranges, const char *hostname)
{
	struct establishment	 e;
	struct vg_cidr		 c[4];
	struct vg_err		 err;
	char			*copy, *tok, *save = NULL, *hn[1];

	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "%s", id);
	e.name = strdup(name);
	e.category = strdup("Centre hospitalier");
	e.region = strdup("Île-de-France");
	e.contact = strdup("rssi@example.org");
	copy = strdup(ranges);
	for (tok = strtok_r(copy, " ", &save); tok != NULL && e.nranges < 4;
	    tok = strtok_r(NULL, " ", &save))
		assert_int_equal(cidr_parse(tok, false, &c[e.nranges++]), 0);
	e.ranges = c;
	if (hostname != NULL) {
		hn[0] = strdup(hostname);
		e.hostnames = hn;
		e.nhostnames = 1;
	}
	assert_int_equal(store_add_establishment(st, scan, &e, &err), 0);
	free(copy);
	free(e.name);
	free(e.category);
	free(e.region);
	free(e.contact);
	if (hostname != NULL)
		free(hn[0]);
}

static void
add_host(struct store *st, int64_t scan, const char *ip, const char *state)
{
	struct vg_addr	a;
	struct vg_err	err;

	assert_int_equal(addr_parse(ip, &a), 0);
	assert_int_equal(store_add_host(st, scan, &a, state,
	    strcmp(state, "up") == 0 ? 1 : 0, strcmp(state, "closed") == 0 ?
	    1000 : 0, strcmp(state, "silent") == 0 ? 1000 : 999, &err), 0);
}

static void
add_service(struct store *st, int64_t scan, const char *ip, uint16_t port,
    const char *service, const char *product, const char *version,
    const char *banner)
{
	struct vg_addr	a;
	struct vg_err	err;
	struct obs	o;

	assert_int_equal(addr_parse(ip, &a), 0);
	assert_int_equal(store_add_port(st, scan, &a, port, "tcp", "open",
	    &err), 0);
	obs_init(&o);
	obs_set_service(&o, service);
	snprintf(o.probe, sizeof(o.probe), "%s", service);
	obs_set(&o, "product", product);
	obs_set(&o, "version", version);
	if (banner != NULL)
		obs_set(&o, "ftp.banner", banner);
	assert_int_equal(store_add_service(st, scan, &a, port, "tcp", &o,
	    &err), 0);
	obs_fini(&o);
}

static void
add_findings(struct store *st, int scan_ix, int64_t scan)
{
	const struct fx_finding	*x;
	struct finding		 f;
	struct vg_err		 err;
	size_t			 i;

	for (i = 0; i < NFINDINGS; i++) {
		x = &findings[i];
		if (x->scan != scan_ix)
			continue;
		memset(&f, 0, sizeof(f));
		f.rule = x->rule;
		f.severity = x->sev;
		f.confidence = "certain";
		f.theme = x->theme;
		f.title_fr = x->title_fr;
		f.title_en = x->title_en;
		f.advice_fr = "Fermer l'accès depuis Internet ; passer par un "
		    "VPN avec MFA.";
		f.advice_en = "Close Internet access; use a VPN with MFA.";
		f.references = "https://cyber.gouv.fr/ CVE-2019-0708";
		f.evidence = x->evidence;
		f.proto = "tcp";
		f.service = x->service;
		f.port = x->port;
		assert_int_equal(addr_parse(x->ip, &f.addr), 0);
		snprintf(f.fid, sizeof(f.fid), "%s", x->fid);
		assert_int_equal(store_add_finding(st, scan, x->est, &f, &err),
		    1);
	}
}

static int64_t
begin(struct store *st)
{
	struct scan_meta	meta = {
		.mode		= "connect",
		.ports		= "21,22,23,443,445,3389",
		.targets	= "etabs.csv",
		.source		= "203.0.113.250",
		.rules_version	= "r-test-1",
		.argv		= "vigie scan --registry etabs.csv",
	};
	struct vg_err		err;
	int64_t			id;

	id = store_scan_begin(st, &meta, &err);
	assert_true(id > 0);
	return id;
}

static void
build_store(const char *db)
{
	struct store	*st;
	struct vg_err	 err;
	int64_t		 s1, s2, s3;

	st = store_open(db, false, &err);
	assert_non_null(st);

	s1 = begin(st);
	add_est(st, s1, EST_A, "CHU de Démo", "198.51.100.0/28",
	    "www.chu-demo.example");
	add_est(st, s1, EST_B, HOSTILE_NAME, "203.0.113.64/29", NULL);
	add_host(st, s1, "198.51.100.10", "up");
	add_host(st, s1, "198.51.100.11", "up");
	add_host(st, s1, "203.0.113.66", "up");
	add_service(st, s1, "198.51.100.10", 3389, "rdp", "Microsoft "
	    "Terminal Services", NULL, NULL);
	add_service(st, s1, "198.51.100.11", 21, "ftp", "vsftpd", "3.0.3",
	    HOSTILE_BANNER);
	add_service(st, s1, "203.0.113.66", 23, "telnet", NULL, NULL, NULL);
	add_findings(st, 1, s1);
	assert_int_equal(store_scan_end(st, s1, "complete", &err), 0);

	s2 = begin(st);
	add_est(st, s2, EST_A, "CHU de Démo", "198.51.100.0/28",
	    "www.chu-demo.example");
	add_est(st, s2, EST_B, HOSTILE_NAME, "203.0.113.64/29", NULL);
	add_host(st, s2, "198.51.100.10", "up");
	add_host(st, s2, "198.51.100.11", "up");
	add_host(st, s2, "198.51.100.12", "silent");
	add_host(st, s2, "198.51.100.13", "closed");
	add_host(st, s2, "203.0.113.66", "up");
	add_host(st, s2, "198.18.0.5", "up");	/* nobody's */
	add_service(st, s2, "198.51.100.10", 3389, "rdp", "Microsoft "
	    "Terminal Services", NULL, NULL);
	add_service(st, s2, "198.51.100.10", 443, "http", FORMULA, "1.0",
	    NULL);
	add_service(st, s2, "198.51.100.11", 21, "ftp", "vsftpd", "3.0.3",
	    HOSTILE_BANNER);
	add_service(st, s2, "203.0.113.66", 23, "telnet", NULL, NULL, NULL);
	add_service(st, s2, "198.18.0.5", 22, "ssh", "OpenSSH-outside", NULL,
	    NULL);
	add_findings(st, 2, s2);
	assert_int_equal(store_scan_end(st, s2, "complete", &err), 0);

	s3 = begin(st);
	add_est(st, s3, EST_A, "CHU de Démo", "198.51.100.0/28", NULL);
	add_host(st, s3, "198.51.100.10", "up");
	add_findings(st, 3, s3);
	assert_int_equal(store_flush(st, &err), 0);
	store_close(st);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
group_setup(void **state)
{
	struct fixture	*fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vigie-report-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->db, sizeof(fx->db), "%s/vigie.db", fx->dir);
	build_store(fx->db);
	*state = fx;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture	*fx = *state;

	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static char *
slurp(const char *path)
{
	FILE	*fp;
	char	*s;
	long	 n;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	return s;
}

static char *
slurp2(const char *dir, const char *name)
{
	char	path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path);
}

static bool
exists(const char *dir, const char *name)
{
	char	path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* Run report_write on the fixture into <dir>/<sub>. */
static int
run(struct fixture *fx, const char *sub, const char *format,
    const char *lang, int64_t scan, const char *est, char *outdir,
    struct vg_err *err)
{
	struct report_opts	 o = {
		.scan		= scan,
		.establishment	= est,
		.format		= format,
		.lang		= lang,
		.outdir		= outdir,
	};
	struct store		*st;
	int			 n;

	snprintf(outdir, 200, "%s/%s", fx->dir, sub);
	st = store_open(fx->db, true, err);
	assert_non_null(st);
	n = report_write(st, &o, err);
	store_close(st);
	return n;
}

static size_t
count_substr(const char *s, const char *sub)
{
	size_t	n = 0;

	while ((s = strstr(s, sub)) != NULL) {
		n++;
		s += strlen(sub);
	}
	return n;
}

static void
test_catalogs_are_complete(void **state)
{
	const struct msg_catalog	*cat;
	size_t				 i, id;

	(void)state;
	assert_true(msg_catalog_count() >= 2);
	for (i = 0; i < msg_catalog_count(); i++) {
		cat = msg_catalog_at(i);
		for (id = 0; id < MSG__COUNT; id++) {
			if (cat->text[id] == NULL || cat->text[id][0] == '\0')
				fail_msg("catalog %s: message %zu missing",
				    cat->lang, id);
		}
	}
	cat = msg_catalog_find("fr");
	assert_ptr_equal(cat, msg_catalog_at(0));
	assert_ptr_equal(msg_catalog_find(NULL), cat);
	assert_null(msg_catalog_find("de"));
	/* Proper French, accents included. */
	assert_string_equal(msg_level(cat, FP_SEV_HIGH), "Élevé");
	assert_string_equal(msg_level(cat, FP_SEV_MEDIUM), "Modéré");
	assert_string_equal(msg_level(cat, -1), "Aucun");
	assert_string_equal(msg_theme(cat, "Mises à jour"), "Mises à jour");
	assert_string_equal(msg_theme(msg_catalog_find("en"), "Chiffrement"),
	    "Encryption");
	assert_string_equal(msg_get(cat, MSG_METHOD_H),
	    "Comment ce scan a été réalisé");
}

static void
test_msg_fmt_fills_placeholders(void **state)
{
	const char	*args[] = { "un", "deux" };
	char		*s, d[96];

	(void)state;
	s = msg_fmt("{2} puis {1}, {3}{", args, 2);
	assert_string_equal(s, "deux puis un, {");
	free(s);
	msg_date(msg_catalog_find("fr"), "2024-08-05T07:04:09Z", d, sizeof(d));
	assert_string_equal(d, "5 août 2024 à 07:04 UTC");
	msg_date(msg_catalog_find("en"), "2024-08-05T07:04:09Z", d, sizeof(d));
	assert_string_equal(d, "August 5, 2024 at 07:04 UTC");
	msg_date(msg_catalog_find("en"), "yesterday", d, sizeof(d));
	assert_string_equal(d, "yesterday");
}

static void
test_ranges_contain(void **state)
{
	struct vg_cidr	*v;
	struct vg_addr	 a;
	size_t		 n;

	(void)state;
	assert_int_equal(rep_ranges_parse("198.51.100.0/28  2001:db8::/32 "
	    "bogus 203.0.113.7", &v, &n), 0);
	assert_int_equal(n, 3);
	addr_parse("198.51.100.15", &a);
	assert_true(rep_ranges_contain(v, n, &a));
	addr_parse("198.51.100.16", &a);
	assert_false(rep_ranges_contain(v, n, &a));
	addr_parse("2001:db8::42", &a);
	assert_true(rep_ranges_contain(v, n, &a));
	addr_parse("203.0.113.7", &a);
	assert_true(rep_ranges_contain(v, n, &a));
	addr_parse("203.0.113.8", &a);
	assert_false(rep_ranges_contain(v, n, &a));
	free(v);
	assert_int_equal(rep_ranges_parse(NULL, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
}

static void
test_html_report(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		 out[200], *a, *b, *idx, *pa, *pb;

	assert_int_equal(run(fx, "html", "html", NULL, 0, NULL, out, &err),
	    3);
	assert_true(exists(out, EST_A ".html"));
	assert_true(exists(out, EST_B ".html"));
	assert_true(exists(out, "index.html"));
	assert_false(exists(out, EST_A ".html.tmp"));
	a = slurp2(out, EST_A ".html");
	b = slurp2(out, EST_B ".html");
	idx = slurp2(out, "index.html");

	assert_non_null(strstr(a, "<html lang=\"fr\">"));
	assert_non_null(strstr(a, "<title>Rapport d&#39;exposition Internet "
	    "— CHU de Démo (FINESS 750000010)</title>"));
	/* Hostile bytes are text, never markup. */
	assert_non_null(strstr(a, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(a, "&lt;img src=x onerror=alert(2)&gt;"));
	assert_null(strcasestr(a, "<script"));
	assert_null(strcasestr(a, "<img"));
	assert_non_null(strstr(b, "EHPAD &lt;b&gt;Les Tilleuls&lt;/b&gt;"));
	assert_null(strstr(b, "<b>Les"));
	assert_null(strstr(idx, "<b>Les"));
	assert_non_null(strstr(a, "Content-Security-Policy\" content=\""
	    "default-src 'none'"));

	/* Scan 2, the last complete one: not the running scan 3. */
	assert_non_null(strstr(a, "Scan n° 2 du "));
	assert_null(strstr(a, "smb-exposed"));
	/* Summary: level and counts (1 critical, 2 high, 1 low). */
	assert_non_null(strstr(a, "<b>Critique</b>"));
	assert_non_null(strstr(a, "<tr class=\"total\"><td>Total</td>"
	    "<td class=\"num\">4</td>"));
	assert_non_null(strstr(a, "<code>198.51.100.0/28</code>"));
	assert_non_null(strstr(a, "<svg class=\"chart\""));
	/* Changes since scan 1. */
	assert_non_null(strstr(a, "Ce qui a changé depuis le dernier scan"));
	assert_non_null(strstr(a, "3 nouveau(x), 1 corrigé(s), "
	    "1 persistant(s)."));
	assert_non_null(strstr(a, "FTP sans chiffrement"));
	/* The action plan, the critical theme first. */
	pa = strstr(a, "<h3>Authentification forte (MFA)</h3>");
	pb = strstr(a, "<h3>Exposition</h3>");
	assert_non_null(pa);
	assert_non_null(pb);
	assert_true(pa < pb);
	assert_non_null(strstr(a, "Fermer l&#39;accès depuis Internet"));
	assert_non_null(strstr(a, "<li>198.51.100.10:3389</li>"));
	/* Details: host states from the hosts table, nobody else's host. */
	assert_non_null(strstr(a, "<b>Silencieuses (aucune réponse)\u00a0: "
	    "</b><span class=\"mono\">198.51.100.12</span>"));
	assert_non_null(strstr(a, "<b>Fermées (tous les ports ont refusé la "
	    "connexion)\u00a0: </b><span class=\"mono\">198.51.100.13</span>"));
	assert_non_null(strstr(a, "4 adresse(s) examinée(s), dont 2 "
	    "joignable(s)\u00a0; 3 port(s) ouvert(s), 3 service(s) "
	    "identifié(s)."));
	assert_non_null(strstr(a, "rdp.selected_protocol=standard_rdp"));
	assert_null(strstr(a, "198.18.0.5"));
	assert_null(strstr(a, "OpenSSH-outside"));
	/* How, and whom to call. */
	assert_non_null(strstr(a, "Comment ce scan a été réalisé"));
	assert_non_null(strstr(a, "203.0.113.250"));
	assert_non_null(strstr(a, "r-test-1"));
	assert_non_null(strstr(a, "21,22,23,443,445,3389"));
	assert_non_null(strstr(a, "href=\"https://signalement.social-sante."
	    "gouv.fr\""));
	/* Nothing external. */
	assert_null(strstr(a, "src=\"http"));
	assert_null(strstr(a, "<link"));

	/* The index: most exposed first, links to each file. */
	pa = strstr(idx, "href=\"" EST_A ".html\"");
	pb = strstr(idx, "href=\"" EST_B ".html\"");
	assert_non_null(pa);
	assert_non_null(pb);
	assert_true(pa < pb);
	assert_non_null(strstr(idx, "2 établissement(s), 5 constat(s)."));
	free(a);
	free(b);
	free(idx);
}

static void
test_html_report_in_english(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		 out[200], *a;

	assert_int_equal(run(fx, "html-en", "html", "en", 0, EST_A, out,
	    &err), 2);
	a = slurp2(out, EST_A ".html");
	assert_non_null(strstr(a, "<html lang=\"en\">"));
	assert_non_null(strstr(a, "Internet exposure report — CHU de Démo "
	    "(FINESS 750000010)"));
	assert_non_null(strstr(a, "What changed since the last scan"));
	assert_non_null(strstr(a, "RDP accepts connections without prior "
	    "authentication"));
	assert_non_null(strstr(a, "Close Internet access; use a VPN"));
	assert_null(strstr(a, "Comment ce scan"));
	free(a);
}

static json_t *
load_json(const char *dir, const char *name)
{
	char		path[256];
	json_error_t	jerr;
	json_t		*j;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	j = json_load_file(path, 0, &jerr);
	if (j == NULL)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	return j;
}

static json_t *
find_by(json_t *array, const char *key, const char *val)
{
	size_t	 i;
	json_t	*v;

	json_array_foreach(array, i, v)
		if (json_is_string(json_object_get(v, key)) &&
		    strcmp(json_string_value(json_object_get(v, key)),
		    val) == 0)
			return v;
	return NULL;
}

static void
test_json_report(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		 out[200];
	json_t		*a, *idx, *f, *s, *ch, *v;

	assert_int_equal(run(fx, "json", "json", NULL, 0, NULL, out, &err),
	    3);
	a = load_json(out, EST_A ".json");
	assert_string_equal(json_string_value(json_object_get(a, "schema")),
	    "vigie-report/1");
	v = json_object_get(a, "establishment");
	assert_string_equal(json_string_value(json_object_get(v, "id")),
	    EST_A);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(v, "ranges"), 0)), "198.51.100.0/28");
	v = json_object_get(a, "scan");
	assert_int_equal(json_integer_value(json_object_get(v, "id")), 2);
	assert_true(json_is_true(json_object_get(v, "complete")));
	assert_null(json_object_get(v, "targets"));
	assert_string_equal(json_string_value(json_object_get(v, "source")),
	    "203.0.113.250");
	v = json_object_get(a, "exposure");
	assert_string_equal(json_string_value(json_object_get(v, "level")),
	    "critical");

	f = json_object_get(a, "findings");
	assert_int_equal(json_array_size(f), 4);
	assert_non_null(find_by(f, "fid", "00000000000000f1"));
	assert_non_null(find_by(f, "fid", "00000000000000f4"));
	assert_non_null(find_by(f, "fid", "00000000000000f6"));
	v = find_by(f, "fid", "00000000000000f5");
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(v, "evidence")),
	    "ftp.banner=" HOSTILE_BANNER);
	assert_string_equal(json_string_value(json_object_get(v, "title_fr")),
	    HOSTILE_TITLE);
	assert_string_equal(json_string_value(json_object_get(v, "theme")),
	    "Comptes");
	assert_null(find_by(f, "fid", "00000000000000f7"));

	/* Services, their fields parsed back from the store's JSON. */
	s = json_object_get(a, "services");
	assert_int_equal(json_array_size(s), 3);
	v = find_by(s, "service", "ftp");
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(v, "fields"), "ftp.banner")), HOSTILE_BANNER);
	assert_null(find_by(s, "service", "ssh"));
	v = find_by(json_object_get(a, "hosts"), "ip", "198.51.100.12");
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(v, "state")),
	    "silent");

	ch = json_object_get(a, "changes");
	assert_int_equal(json_integer_value(json_object_get(ch,
	    "previous_scan")), 1);
	assert_int_equal(json_array_size(json_object_get(ch, "new")), 3);
	assert_int_equal(json_array_size(json_object_get(ch, "fixed")), 1);
	assert_non_null(find_by(json_object_get(ch, "fixed"), "fid",
	    "00000000000000f2"));
	assert_int_equal(json_integer_value(json_object_get(ch,
	    "persisting")), 1);
	json_decref(a);

	idx = load_json(out, "index.json");
	v = json_object_get(idx, "establishments");
	assert_int_equal(json_array_size(v), 2);
	v = find_by(v, "id", EST_B);
	assert_string_equal(json_string_value(json_object_get(v, "name")),
	    HOSTILE_NAME);
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(v, "counts"), "high")), 1);
	json_decref(idx);
}

static void
test_csv_report(void **state)
{
	static const char	header[] = "\"timestamp\",\"ip\",\"protocol\","
	    "\"port\",\"hostname\",\"tag\",\"asn\",\"geo\",\"severity\","
	    "\"establishment\",\"establishment_name\",\"service\","
	    "\"product\",\"version\",\"title\",\"evidence\",\"as_name\","
	    "\"first_seen\"\n";
	struct fixture		*fx = *state;
	struct vg_err	 err;
	char		 out[200], *csv;

	assert_int_equal(run(fx, "csv", "csv", NULL, 0, NULL, out, &err), 1);
	assert_false(exists(out, EST_A ".csv"));
	csv = slurp2(out, "findings.csv");
	assert_true(strncmp(csv, header, strlen(header)) == 0);
	/* A header and one line per finding of scan 2. */
	assert_int_equal(count_substr(csv, "\n"), 1 + 5);
	assert_non_null(strstr(csv, ",\"198.51.100.10\",\"tcp\",\"3389\",\"\","
	    "\"rdp-no-nla\",\"\",\"\",\"critical\",\"750000010\","
	    "\"CHU de Démo\","));
	/* The product at 198.51.100.10:443 is a formula: guarded. */
	assert_non_null(strstr(csv, ",\"'" FORMULA "\","));
	assert_null(strstr(csv, ",\"="));
	assert_null(strstr(csv, ",\"+"));
	assert_null(strstr(csv, ",\"@"));
	assert_non_null(strstr(csv, "\"ftp.banner=" HOSTILE_BANNER "\","));
	free(csv);
}

static void
test_establishment_filter_and_nested_outdir(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		 out[200];

	assert_int_equal(run(fx, "one/two/three", "html", "fr", 0, EST_B,
	    out, &err), 2);
	assert_true(exists(out, EST_B ".html"));
	assert_true(exists(out, "index.html"));
	assert_false(exists(out, EST_A ".html"));
}

static void
test_running_scan_says_so(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		 out[200], *a;

	assert_int_equal(run(fx, "scan3", "html", "fr", 3, NULL, out, &err),
	    2);
	a = slurp2(out, EST_A ".html");
	assert_non_null(strstr(a, "ne s&#39;est pas terminé normalement"));
	assert_non_null(strstr(a, "smb-exposed"));
	/* Compared with the last complete scan before it. */
	assert_non_null(strstr(a, "Comparaison avec le scan n° 2"));
	free(a);
}

static void
test_no_complete_scan_falls_back(void **state)
{
	struct fixture	*fx = *state;
	struct report_opts o = { .format = "html" };
	struct store	*st;
	struct vg_err	 err;
	char		 db[200], out[200], *a;
	int64_t		 s;

	snprintf(db, sizeof(db), "%s/running.db", fx->dir);
	snprintf(out, sizeof(out), "%s/running", fx->dir);
	st = store_open(db, false, &err);
	assert_non_null(st);
	s = begin(st);
	add_est(st, s, EST_A, "CHU de Démo", "198.51.100.0/28", NULL);
	add_findings(st, 3, s);
	store_close(st);

	o.outdir = out;
	st = store_open(db, true, &err);
	assert_non_null(st);
	assert_int_equal(report_write(st, &o, &err), 2);
	store_close(st);
	a = slurp2(out, EST_A ".html");
	assert_non_null(strstr(a, "Aucun scan terminé n&#39;est disponible"));
	assert_non_null(strstr(a, "smb-exposed"));
	/* Nothing to compare with, and the report says so. */
	assert_non_null(strstr(a, "Premier scan complet de "
	    "l&#39;établissement"));
	assert_null(strstr(a, "Comparaison avec le scan"));
	free(a);
}

/* A large silent range is summarised, within a ceiling. */
static void
test_quiet_hosts_are_summarised(void **state)
{
	struct fixture	*fx = *state;
	struct report_opts o = { .format = "html" };
	struct store	*st;
	struct vg_err	 err;
	char		 db[200], out[200], ip[32], *a;
	int64_t		 s;
	int		 i;

	snprintf(db, sizeof(db), "%s/quiet.db", fx->dir);
	snprintf(out, sizeof(out), "%s/quiet", fx->dir);
	st = store_open(db, false, &err);
	assert_non_null(st);
	s = begin(st);
	add_est(st, s, EST_A, "CHU de Démo", "198.18.0.0/24", NULL);
	for (i = 0; i < 200; i++) {
		snprintf(ip, sizeof(ip), "198.18.0.%d", i);
		add_host(st, s, ip, "silent");
	}
	assert_int_equal(store_scan_end(st, s, "complete", &err), 0);
	store_close(st);

	o.outdir = out;
	st = store_open(db, true, &err);
	assert_non_null(st);
	assert_int_equal(report_write(st, &o, &err), 2);
	store_close(st);
	a = slurp2(out, EST_A ".html");
	assert_non_null(strstr(a, "Aucune adresse du périmètre n&#39;a "
	    "répondu."));
	assert_non_null(strstr(a, "198.18.0.127</span> et 72 autre(s)</p>"));
	assert_null(strstr(a, "198.18.0.128"));
	assert_null(strstr(a, "<div class=\"host\">"));
	assert_non_null(strstr(a, "<b>Aucun</b>"));
	free(a);
}

static void
test_errors_name_their_place(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		 out[200], path[200];
	FILE		*fp;

	assert_int_equal(run(fx, "e1", "html", "de", 0, NULL, out, &err), -1);
	assert_string_equal(err.where, "--lang");
	assert_int_equal(run(fx, "e2", "docx", "fr", 0, NULL, out, &err), -1);
	assert_string_equal(err.where, "--format");
	assert_int_equal(run(fx, "e3", "html", "fr", 99, NULL, out, &err), -1);
	assert_string_equal(err.where, fx->db);
	assert_non_null(strstr(err.msg, "99"));
	assert_int_equal(run(fx, "e4", "html", "fr", 0, "999999999", out,
	    &err), -1);
	assert_string_equal(err.where, fx->db);
	assert_non_null(strstr(err.msg, "999999999"));

	/* An output directory that cannot be made is named. */
	snprintf(path, sizeof(path), "%s/afile", fx->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(run(fx, "afile/sub", "html", "fr", 0, NULL, out,
	    &err), -1);
	assert_non_null(strstr(err.where, "afile"));
}

static void
test_unsafe_id_is_refused(void **state)
{
	struct fixture	*fx = *state;
	struct report_opts o = { .format = "json" };
	struct store	*st;
	struct vg_err	 err;
	char		 db[200], out[200];
	int64_t		 s;

	snprintf(db, sizeof(db), "%s/unsafe.db", fx->dir);
	snprintf(out, sizeof(out), "%s/unsafe", fx->dir);
	st = store_open(db, false, &err);
	assert_non_null(st);
	s = begin(st);
	add_est(st, s, "../pwned", "Évasion", "198.51.100.0/28", NULL);
	assert_int_equal(store_scan_end(st, s, "complete", &err), 0);
	store_close(st);

	o.outdir = out;
	st = store_open(db, true, &err);
	assert_non_null(st);
	assert_int_equal(report_write(st, &o, &err), -1);
	store_close(st);
	assert_string_equal(err.where, db);
	assert_false(exists(fx->dir, "pwned.json"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogs_are_complete),
		cmocka_unit_test(test_msg_fmt_fills_placeholders),
		cmocka_unit_test(test_ranges_contain),
		cmocka_unit_test(test_html_report),
		cmocka_unit_test(test_html_report_in_english),
		cmocka_unit_test(test_json_report),
		cmocka_unit_test(test_csv_report),
		cmocka_unit_test(test_establishment_filter_and_nested_outdir),
		cmocka_unit_test(test_running_scan_says_so),
		cmocka_unit_test(test_no_complete_scan_falls_back),
		cmocka_unit_test(test_quiet_hosts_are_summarised),
		cmocka_unit_test(test_errors_name_their_place),
		cmocka_unit_test(test_unsafe_id_is_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
