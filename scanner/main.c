/*
 * main.c - the command line: parse options, run one command, exit with
 * 0 (done), 1 (usage or input error) or 2 (runtime failure).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/engine.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/log.h"
#include "vigie/registry.h"
#include "vigie/report.h"
#include "vigie/store.h"

#include "scanner_internal.h"

static const char	usage_text[] =
"usage: vigie scan   (--registry FILE | --target CIDR[,CIDR...]) [--ports SPEC]\n"
"                    [--mode syn|connect] [--rate PPS] [--db FILE] [--out FILE.jsonl]\n"
"                    [--exclude FILE] [--allow CIDR[,CIDR...]] [--shard I/N]\n"
"                    [--max-inflight N] [--per-host N] [--timeout MS]\n"
"                    [--probe-timeout MS] [--retries N] [--seed N]\n"
"                    [--rules DIR] [--resolver IP] [--contact EMAIL]\n"
"                    [--probes NAME,...|none] [--cooldown MS] [--interface IF]\n"
"                    [--source-ip IP] [--gateway-mac MAC] [--tx auto|raw|packet|ring]\n"
"                    [--max-rate-per-host PPS]\n"
"                    [--max-rate-per-24 PPS] [--max-rate-per-establishment PPS]\n"
"                    [--user NAME] [--status-json FD] [--resume] [--quiet]\n"
"       vigie report --db FILE [--scan ID] [--establishment ID]\n"
"                    --format html|pdf|json|csv [--lang fr|en] --out DIR\n"
"                    [--mmdb FILE]... [--summary (html|csv only)]\n"
"       vigie diff   --db FILE [--from SCAN] [--to SCAN]\n"
"       vigie registry check FILE\n"
"       vigie rules  test [DIR] | check DIR\n"
"       vigie version\n";

static void	usage(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

/* Prints the message (if any) and the usage, and exits with status 1. */
static void
usage(const char *fmt, ...)
{
	va_list	ap;

	if (fmt != NULL) {
		fputs("vigie: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	exit(1);
}

static uint64_t
num_arg(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	unsigned long long	 v;
	char			*end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v < min ||
	    v > max) {
		fprintf(stderr, "vigie: %s: '%s' is not a number from %llu to "
		    "%llu\n", opt, s, (unsigned long long)min,
		    (unsigned long long)max);
		exit(1);
	}
	return v;
}

static char *
join_argv(int argc, char **argv)
{
	size_t	len = 1, off = 0;
	char	*s;
	int	 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < argc; i++)
		off += (size_t)snprintf(s + off, len - off, "%s%s",
		    i ? " " : "", argv[i]);
	return s;
}

enum {
	OPT_REGISTRY = 256, OPT_TARGET, OPT_PORTS, OPT_MODE, OPT_RATE, OPT_DB,
	OPT_OUT, OPT_EXCLUDE, OPT_ALLOW, OPT_SHARD, OPT_MAX_INFLIGHT,
	OPT_PER_HOST, OPT_TIMEOUT, OPT_PROBE_TIMEOUT, OPT_RETRIES, OPT_SEED,
	OPT_RULES, OPT_RESOLVER, OPT_CONTACT, OPT_PROBES, OPT_COOLDOWN,
	OPT_IFACE, OPT_SOURCE_IP, OPT_HOST_RATE, OPT_NET24_RATE, OPT_EST_RATE,
	OPT_USER, OPT_STATUS_JSON, OPT_RESUME, OPT_GATEWAY_MAC, OPT_TX,
	OPT_QUIET,	/* the last of `scan`'s */
	OPT_SCAN, OPT_ESTABLISHMENT, OPT_FORMAT, OPT_LANG, OPT_FROM, OPT_TO,
	OPT_SUMMARY, OPT_MMDB,
};

static const struct option	long_opts[] = {
	{ "registry", required_argument, NULL, OPT_REGISTRY },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "ports", required_argument, NULL, OPT_PORTS },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "db", required_argument, NULL, OPT_DB },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "max-inflight", required_argument, NULL, OPT_MAX_INFLIGHT },
	{ "per-host", required_argument, NULL, OPT_PER_HOST },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "probe-timeout", required_argument, NULL, OPT_PROBE_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "resolver", required_argument, NULL, OPT_RESOLVER },
	{ "contact", required_argument, NULL, OPT_CONTACT },
	{ "probes", required_argument, NULL, OPT_PROBES },
	{ "cooldown", required_argument, NULL, OPT_COOLDOWN },
	{ "interface", required_argument, NULL, OPT_IFACE },
	{ "source-ip", required_argument, NULL, OPT_SOURCE_IP },
	{ "gateway-mac", required_argument, NULL, OPT_GATEWAY_MAC },
	{ "tx", required_argument, NULL, OPT_TX },
	{ "max-rate-per-host", required_argument, NULL, OPT_HOST_RATE },
	{ "max-rate-per-24", required_argument, NULL, OPT_NET24_RATE },
	{ "max-rate-per-establishment", required_argument, NULL,
	    OPT_EST_RATE },
	{ "user", required_argument, NULL, OPT_USER },
	{ "status-json", required_argument, NULL, OPT_STATUS_JSON },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "scan", required_argument, NULL, OPT_SCAN },
	{ "establishment", required_argument, NULL, OPT_ESTABLISHMENT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "mmdb", required_argument, NULL, OPT_MMDB },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options each command accepts. */
static bool
allowed_for(const char *cmd, int opt)
{
	if (opt == 'h')
		return true;
	if (strcmp(cmd, "scan") == 0)
		return opt >= OPT_REGISTRY && opt <= OPT_QUIET;
	if (strcmp(cmd, "report") == 0)
		return opt == OPT_DB || opt == OPT_SCAN ||
		    opt == OPT_ESTABLISHMENT || opt == OPT_FORMAT ||
		    opt == OPT_LANG || opt == OPT_OUT ||
		    opt == OPT_SUMMARY || opt == OPT_MMDB;
	if (strcmp(cmd, "diff") == 0)
		return opt == OPT_DB || opt == OPT_FROM || opt == OPT_TO;
	return false;
}

static int
cmd_registry(int argc, char **argv)
{
	struct registry	reg;
	struct vg_err	err;
	size_t		i, nr = 0, nh = 0;

	if (argc != 3 || strcmp(argv[1], "check") != 0)
		usage("registry: expected 'registry check FILE'");
	registry_init(&reg);
	if (registry_load(&reg, argv[2], stderr, &err) == -1) {
		fprintf(stderr, "vigie: %s\n", vg_err_str(&err));
		registry_fini(&reg);
		return 1;
	}
	for (i = 0; i < reg.n; i++) {
		nr += reg.v[i].nranges;
		nh += reg.v[i].nhostnames;
	}
	printf("%s: %zu establishments, %zu ranges, %zu host names, "
	    "%zu warnings\n", argv[2], reg.n, nr, nh, reg.nwarn);
	registry_fini(&reg);
	return 0;
}

static int
cmd_rules(int argc, char **argv)
{
	struct fp_rules	*rules;
	struct vg_err	 err;
	const char	*dir;
	int		 fails;

	if (argc < 2 || argc > 3 || (strcmp(argv[1], "test") != 0 &&
	    strcmp(argv[1], "check") != 0) ||
	    (strcmp(argv[1], "check") == 0 && argc != 3))
		usage("rules: expected 'rules test [DIR]' or 'rules check "
		    "DIR'");
	dir = argc == 3 ? argv[2] : VIGIE_RULES_DIR;
	if ((rules = fp_rules_load(dir, &err)) == NULL) {
		fprintf(stderr, "vigie: %s\n", vg_err_str(&err));
		return 1;
	}
	if (strcmp(argv[1], "check") == 0) {
		printf("%s: %zu rules, version %s\n", dir,
		    fp_rules_count(rules), fp_rules_version(rules));
		fp_rules_free(rules);
		return 0;
	}
	fails = fp_rules_selftest(rules, stderr);
	printf("rules: %zu rules, %d example failures\n",
	    fp_rules_count(rules), fails);
	fp_rules_free(rules);
	return fails == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct scan_config	 cfg;
	struct report_opts	 ro;
	struct vg_err		 err;
	struct store		*st;
	const char		*cmd, *p;
	int64_t			 from = 0, to = 0;
	int			 c, rc;

	if (argc < 2)
		usage(NULL);
	cmd = argv[1];
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("vigie %s\n", VIGIE_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "registry") == 0)
		return cmd_registry(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") != 0 && strcmp(cmd, "report") != 0 &&
	    strcmp(cmd, "diff") != 0)
		usage("unknown command '%s'", cmd);

	memset(&cfg, 0, sizeof(cfg));
	cfg.mode = NULL;
	/* Politeness defaults for fragile hospital equipment: a few probes
	 * a second to one address, a modest share for one establishment. */
	cfg.host_rate = 50;
	cfg.net24_rate = 1000;
	cfg.est_rate = 2000;
	cfg.cooldown_ms = 2000;
	cfg.status_fd = -1;
	/* As root, the scan drops to this user once its raw socket and
	 * capture handle are open (--user root keeps root). */
	cfg.user = "nobody";
	cfg.rate = 1000;
	cfg.max_inflight = 256;
	cfg.per_host = 16;
	cfg.timeout_ms = 1500;
	cfg.probe_timeout_ms = 4000;
	cfg.retries = UINT32_MAX;	/* per engine, below */
	cfg.seed = 0x56494749;
	cfg.nshards = 1;
	cfg.db = "vigie.db";
	memset(&ro, 0, sizeof(ro));
	ro.lang = "fr";

	optind = 2;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == '?')
			usage(NULL);
		if (!allowed_for(cmd, c))
			usage("this option does not apply to '%s'", cmd);
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case OPT_REGISTRY:
			cfg.registry = optarg;
			break;
		case OPT_TARGET:
			cfg.targets = optarg;
			break;
		case OPT_PORTS:
			cfg.ports = optarg;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "connect") != 0 &&
			    strcmp(optarg, "syn") != 0)
				usage("--mode: '%s' is not syn or connect",
				    optarg);
			cfg.mode = optarg;
			break;
		case OPT_COOLDOWN:
			cfg.cooldown_ms = (uint32_t)num_arg("--cooldown",
			    optarg, 0, 600000);
			break;
		case OPT_IFACE:
			cfg.iface = optarg;
			break;
		case OPT_SOURCE_IP:
			cfg.source_ip = optarg;
			break;
		case OPT_GATEWAY_MAC:
			cfg.gateway_mac = optarg;
			break;
		case OPT_TX:
			if (strcmp(optarg, "auto") != 0 &&
			    strcmp(optarg, "raw") != 0 &&
			    strcmp(optarg, "packet") != 0 &&
			    strcmp(optarg, "ring") != 0)
				usage("--tx: '%s' is not auto, raw, packet or "
				    "ring", optarg);
			cfg.tx = optarg;
			break;
		case OPT_HOST_RATE:
			cfg.host_rate = (uint32_t)num_arg("--max-rate-per-host",
			    optarg, 0, 10000000);
			break;
		case OPT_NET24_RATE:
			cfg.net24_rate = (uint32_t)num_arg("--max-rate-per-24",
			    optarg, 0, 10000000);
			break;
		case OPT_EST_RATE:
			cfg.est_rate = (uint32_t)num_arg(
			    "--max-rate-per-establishment", optarg, 0,
			    10000000);
			break;
		case OPT_USER:
			cfg.user = strcmp(optarg, "root") == 0 ? NULL : optarg;
			break;
		case OPT_STATUS_JSON:
			cfg.status_fd = (int)num_arg("--status-json", optarg,
			    0, 1024);
			if (fcntl(cfg.status_fd, F_GETFD) == -1)
				usage("--status-json: %s is not an open file "
				    "descriptor", optarg);
			break;
		case OPT_RESUME:
			cfg.resume = true;
			break;
		case OPT_RATE:
			cfg.rate = (uint32_t)num_arg("--rate", optarg, 1,
			    10000000);
			break;
		case OPT_DB:
			cfg.db = optarg;
			break;
		case OPT_OUT:
			cfg.out = optarg;
			ro.outdir = optarg;
			break;
		case OPT_EXCLUDE:
			cfg.exclude = optarg;
			break;
		case OPT_ALLOW:
			cfg.allow = optarg;
			break;
		case OPT_SHARD:
			if ((p = strchr(optarg, '/')) == NULL)
				usage("--shard: expected I/N, e.g. 1/4");
			{
				char	i[32];

				snprintf(i, sizeof(i), "%.*s",
				    (int)(p - optarg), optarg);
				cfg.nshards = (uint32_t)num_arg("--shard",
				    p + 1, 1, 65535);
				cfg.shard = (uint32_t)num_arg("--shard", i, 1,
				    cfg.nshards) - 1;
			}
			break;
		case OPT_MAX_INFLIGHT:
			cfg.max_inflight = (uint32_t)num_arg("--max-inflight",
			    optarg, 1, 65536);
			break;
		case OPT_PER_HOST:
			cfg.per_host = (uint32_t)num_arg("--per-host", optarg,
			    1, 1024);
			break;
		case OPT_TIMEOUT:
			cfg.timeout_ms = (uint32_t)num_arg("--timeout", optarg,
			    10, 600000);
			break;
		case OPT_PROBE_TIMEOUT:
			cfg.probe_timeout_ms = (uint32_t)num_arg(
			    "--probe-timeout", optarg, 10, 600000);
			break;
		case OPT_RETRIES:
			cfg.retries = (uint32_t)num_arg("--retries", optarg, 0,
			    10);
			break;
		case OPT_SEED:
			cfg.seed = num_arg("--seed", optarg, 0, UINT64_MAX);
			break;
		case OPT_RULES:
			cfg.rules = optarg;
			break;
		case OPT_RESOLVER:
			cfg.resolver = optarg;
			break;
		case OPT_CONTACT:
			cfg.contact = optarg;
			break;
		case OPT_PROBES:
			cfg.probes = optarg;
			break;
		case OPT_QUIET:
			cfg.quiet = true;
			break;
		case OPT_SCAN:
			ro.scan = (int64_t)num_arg("--scan", optarg, 1,
			    INT64_MAX);
			break;
		case OPT_ESTABLISHMENT:
			ro.establishment = optarg;
			break;
		case OPT_FORMAT:
			ro.format = optarg;
			break;
		case OPT_LANG:
			ro.lang = optarg;
			break;
		case OPT_FROM:
			from = (int64_t)num_arg("--from", optarg, 1, INT64_MAX);
			break;
		case OPT_TO:
			to = (int64_t)num_arg("--to", optarg, 1, INT64_MAX);
			break;
		case OPT_SUMMARY:
			ro.summary = true;
			break;
		case OPT_MMDB:
			if (ro.nmmdb == REPORT_MMDB_MAX)
				usage("--mmdb: at most %d databases",
				    REPORT_MMDB_MAX);
			ro.mmdb[ro.nmmdb++] = optarg;
			break;
		default:
			usage(NULL);
		}
	}
	if (optind != argc)
		usage("unexpected argument '%s'", argv[optind]);

	if (strcmp(cmd, "scan") == 0) {
		char	*line = join_argv(argc, argv);

		if (cfg.registry == NULL && cfg.targets == NULL)
			usage("scan: give --registry FILE or --target CIDR");
		cfg.argv = line;
		if (cfg.mode == NULL)
			cfg.mode = engine_can_raw() ? "syn" : "connect";
		/* A connect retry happens only after silence; a SYN retry is
		 * a whole second pass (stateless), so it is not the default. */
		if (cfg.retries == UINT32_MAX)
			cfg.retries = strcmp(cfg.mode, "syn") == 0 ? 0 : 1;
		rc = scan_run(&cfg);
		free(line);
		return rc;
	}

	if (strcmp(cmd, "report") == 0) {
		if (ro.format == NULL || ro.outdir == NULL)
			usage("report: --format and --out are required");
		if (strcmp(ro.format, "html") != 0 &&
		    strcmp(ro.format, "pdf") != 0 &&
		    strcmp(ro.format, "json") != 0 &&
		    strcmp(ro.format, "csv") != 0)
			usage("--format: '%s' is not html, pdf, json or csv",
			    ro.format);
		if (ro.summary && strcmp(ro.format, "html") != 0 &&
		    strcmp(ro.format, "csv") != 0)
			usage("--summary: the summary is html or csv");
		if (ro.summary && ro.establishment != NULL)
			usage("--summary covers every establishment: "
			    "--establishment does not apply");
		if (strcmp(ro.lang, "fr") != 0 && strcmp(ro.lang, "en") != 0)
			usage("--lang: '%s' is not fr or en", ro.lang);
	}
	if ((st = store_open(cfg.db, true, &err)) == NULL) {
		fprintf(stderr, "vigie: %s\n", vg_err_str(&err));
		return 1;
	}
	if (strcmp(cmd, "report") == 0) {
		rc = report_write(st, &ro, &err);
		if (rc >= 0)
			printf("%d files written to %s\n", rc, ro.outdir);
	} else {
		rc = diff_print(st, from, to, stdout, &err);
	}
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "vigie: %s\n", vg_err_str(&err));
		return 1;
	}
	return 0;
}
