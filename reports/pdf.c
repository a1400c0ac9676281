/*
 * pdf.c - the HTML report printed to PDF by headless Chromium (Debian's
 * chromium package): `vigie report --format pdf` writes <id>.pdf for
 * each establishment and index.pdf, the very pages of --format html, as
 * the browser prints them (A4, the CSS's @media print rules).
 *
 * The browser is a large program reading our HTML, which holds text a
 * scanned host chose (escaped, and forbidden any script or remote load
 * by the page's Content-Security-Policy).  So it runs:
 *   - spawned with posix_spawn, never through a shell, in a process group
 *     of its own, killed (the whole group) when it overruns its time;
 *   - with a fresh, empty profile in a scratch directory, removed after;
 *   - on a file:// URL, background networking, component updates, sync,
 *     network time and the crash reporter off, and every host name
 *     resolving to nothing (--host-resolver-rules), so it fetches nothing
 *     at all: tests/integration/test_reports.sh reads its net log to
 *     check that no socket is opened and no name resolved.
 * --no-sandbox: reports are often made as root, where Chromium refuses
 * its sandbox; the page it renders is our own.
 *
 * The scratch directory is made inside the output directory, so that the
 * finished PDF is renamed into place, never copied across file systems.
 */
#include "report_internal.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vigie/err.h"
#include "vigie/store.h"

#define PDF_TIMEOUT_MS		120000	/* one page, however slow the box */
#define PDF_POLL_MS		20
#define PDF_LOG_TAIL		300	/* bytes of the browser's log quoted */
#define PDF_MAGIC		"%PDF-"	/* ISO 32000-1, 7.5.2 file header */
#define PDF_ARGV_MAX		32
#define SCRATCH_NAME		".vigie-pdf-XXXXXX"
#define PDF_NO_UPDATES		"file:///nonexistent/vigie-no-updates"

extern char	**environ;

static const char *const browsers[] = { "chromium", "chromium-browser" };

struct pdf_state {
	char		 browser[PATH_MAX];
	char		 scratch[PATH_MAX];	/* "" until made */
	const char	*outdir;		/* the real one */
	unsigned	 seq;
};

/* An executable named `name` in PATH, into buf. */
static bool
in_path(const char *name, char *buf, size_t len)
{
	const char	*path = getenv("PATH"), *p, *end;
	int		 n;

	if (path == NULL || path[0] == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		if (end > p) {
			n = snprintf(buf, len, "%.*s/%s", (int)(end - p), p,
			    name);
			if (n > 0 && (size_t)n < len && access(buf, X_OK) == 0)
				return true;
		}
		if (*end == '\0')
			return false;
	}
}

const char *
pdf_find_browser(char *buf, size_t len)
{
	const char	*env = getenv("VIGIE_CHROMIUM");
	size_t		 i;

	if (env != NULL && env[0] != '\0') {
		if (strchr(env, '/') == NULL)
			return in_path(env, buf, len) ? buf : NULL;
		if (access(env, X_OK) != 0 || strlen(env) >= len)
			return NULL;
		memcpy(buf, env, strlen(env) + 1);
		return buf;
	}
	for (i = 0; i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (in_path(browsers[i], buf, len))
			return buf;
	return NULL;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

/* rm -r, quietly: a scratch directory is ours alone. */
static void
rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* file:// URL of an absolute path, every byte outside [A-Za-z0-9/._~-]
 * percent-encoded (RFC 8089, RFC 3986 2.1). */
static int
file_url(const char *path, char *buf, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	size_t			 n = 0;

	if (len < 8)
		return -1;
	memcpy(buf, "file://", 7);
	n = 7;
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (n + 4 > len)
			return -1;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._~-", *p) != NULL) {
			buf[n++] = (char)*p;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
	}
	buf[n] = '\0';
	return 0;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The last non-empty line of the browser's log, for an error message. */
static void
log_tail(const char *path, char *buf, size_t len)
{
	char	 tail[PDF_LOG_TAIL + 1], *p, *line;
	FILE	*fp;
	long	 size;
	size_t	 n;

	buf[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL)
		return;
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) > PDF_LOG_TAIL)
		fseek(fp, size - PDF_LOG_TAIL, SEEK_SET);
	else
		rewind(fp);
	n = fread(tail, 1, PDF_LOG_TAIL, fp);
	fclose(fp);
	tail[n] = '\0';
	while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
		tail[--n] = '\0';
	line = (p = strrchr(tail, '\n')) != NULL ? p + 1 : tail;
	/* Printable ASCII only: it goes to a terminal. */
	for (p = line; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	snprintf(buf, len, "%s", line);
}

/* The file starts like a PDF. */
static bool
is_pdf(const char *path)
{
	char	 head[sizeof(PDF_MAGIC) - 1];
	FILE	*fp;
	bool	 ok;

	if ((fp = fopen(path, "rb")) == NULL)
		return false;
	ok = fread(head, 1, sizeof(head), fp) == sizeof(head) &&
	    memcmp(head, PDF_MAGIC, sizeof(head)) == 0;
	fclose(fp);
	return ok;
}

int
pdf_print(const char *browser, const char *html, const char *pdf,
    const char *scratch, unsigned timeout_ms, struct vg_err *err)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 none, dfl;
	struct timespec			 t0, nap = { 0,
					    PDF_POLL_MS * 1000000L };
	char				 abs[PATH_MAX], url[PATH_MAX * 3 + 8],
					 profile[PATH_MAX], logf[PATH_MAX],
					 a_profile[PATH_MAX + 32],
					 a_pdf[PATH_MAX + 32],
					 tail[PDF_LOG_TAIL + 1];
	char				*argv[PDF_ARGV_MAX];
	pid_t				 pid = -1, w;
	int				 n = 0, status = 0, rc = -1, fa_ok = 0,
					 attr_ok = 0;

	if (realpath(html, abs) == NULL) {
		vg_err_set(err, html, "cannot resolve: %s", strerror(errno));
		return -1;
	}
	if (file_url(abs, url, sizeof(url)) == -1 ||
	    snprintf(profile, sizeof(profile), "%s/profile", scratch) >=
	    (int)sizeof(profile) ||
	    snprintf(logf, sizeof(logf), "%s/chromium.log", scratch) >=
	    (int)sizeof(logf)) {
		vg_err_set(err, scratch, "path too long");
		return -1;
	}
	rm_tree(profile);
	if (mkdir(profile, 0700) == -1) {
		vg_err_set(err, profile, "cannot create: %s", strerror(errno));
		return -1;
	}
	snprintf(a_profile, sizeof(a_profile), "--user-data-dir=%s", profile);
	snprintf(a_pdf, sizeof(a_pdf), "--print-to-pdf=%s", pdf);
	argv[n++] = (char *)(uintptr_t)browser;
#define ARG(s)	(argv[n++] = (char *)(uintptr_t)(s))
	ARG("--headless");
	ARG("--no-sandbox");
	ARG("--disable-gpu");
	ARG("--disable-background-networking");
	ARG("--disable-component-update");
	ARG("--disable-sync");
	ARG("--disable-extensions");
	ARG("--disable-default-apps");
	ARG("--disable-domain-reliability");
	ARG("--disable-breakpad");
	ARG("--no-first-run");
	ARG("--no-default-browser-check");
	ARG("--no-proxy-server");
	ARG("--host-resolver-rules=MAP * ~NOTFOUND");
	/* Two fetches --disable-background-networking leaves on (seen in
	 * Chromium 156's net log): network time, and the component
	 * updater, sent to a file that does not exist. */
	ARG("--disable-features=NetworkTimeServiceQuerying");
	ARG("--component-updater=url-source=" PDF_NO_UPDATES);
	ARG("--no-pdf-header-footer");
	ARG("--generate-pdf-document-outline");
	ARG(a_profile);
	ARG(a_pdf);
	ARG(url);
#undef ARG
	argv[n] = NULL;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	if (posix_spawn_file_actions_init(&fa) != 0)
		goto spawn_fail;
	fa_ok = 1;
	if (posix_spawnattr_init(&attr) != 0)
		goto spawn_fail;
	attr_ok = 1;
	if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, logf,
	    O_WRONLY | O_CREAT | O_TRUNC, 0600) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0 ||
	    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0 ||
	    posix_spawnattr_setpgroup(&attr, 0) != 0 ||
	    posix_spawnattr_setsigmask(&attr, &none) != 0 ||
	    posix_spawnattr_setsigdefault(&attr, &dfl) != 0)
		goto spawn_fail;
	if ((errno = posix_spawn(&pid, browser, &fa, &attr, argv,
	    environ)) != 0) {
		pid = -1;
		goto spawn_fail;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w == -1 && errno != EINTR) {
			vg_err_set(err, browser, "waitpid: %s",
			    strerror(errno));
			goto out;
		}
		if (ms_since(&t0) > (long)timeout_ms) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			pid = -1;
			vg_err_set(err, browser, "no PDF of %s after %u s: "
			    "the browser was stopped", html,
			    timeout_ms / 1000);
			goto out;
		}
		nanosleep(&nap, NULL);
	}
	/* What the browser left behind (renderer, zygote) goes too. */
	kill(-pid, SIGKILL);
	pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !is_pdf(pdf)) {
		log_tail(logf, tail, sizeof(tail));
		if (WIFEXITED(status))
			vg_err_set(err, browser, "printing %s to PDF failed "
			    "(exit status %d): %s", html, WEXITSTATUS(status),
			    tail);
		else
			vg_err_set(err, browser, "printing %s to PDF failed "
			    "(signal %d): %s", html, WIFSIGNALED(status) ?
			    WTERMSIG(status) : 0, tail);
		goto out;
	}
	rc = 0;
	goto out;
spawn_fail:
	vg_err_set(err, browser, "cannot run: %s", strerror(errno));
out:
	if (pid > 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (attr_ok)
		posix_spawnattr_destroy(&attr);
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	rm_tree(profile);
	return rc;
}

static int
pdf_begin(struct report_ctx *ctx, struct vg_err *err)
{
	struct pdf_state	*ps;

	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		vg_err_set(err, store_path(ctx->store), "out of memory");
		return -1;
	}
	ctx->fmt_state = ps;
	ps->outdir = ctx->outdir;
	if (pdf_find_browser(ps->browser, sizeof(ps->browser)) == NULL) {
		vg_err_set(err, "--format pdf", "Chromium is not installed: "
		    "PDF reports are printed by headless Chromium (Debian: "
		    "apt-get install chromium; or set VIGIE_CHROMIUM to its "
		    "path).  --format html writes the same report, which any "
		    "browser can print");
		return -1;
	}
	if (snprintf(ps->scratch, sizeof(ps->scratch), "%s/" SCRATCH_NAME,
	    ctx->outdir) >= (int)sizeof(ps->scratch) ||
	    mkdtemp(ps->scratch) == NULL) {
		vg_err_set(err, ctx->outdir, "cannot create a scratch "
		    "directory: %s", strerror(errno));
		ps->scratch[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * Write one page with `write` into the scratch directory, print it, and
 * rename the PDF into the output directory as `name`.
 */
static int
print_page(struct report_ctx *ctx, const char *name, const char *html_name,
    int (*write)(struct report_ctx *, const void *, struct vg_err *),
    const void *arg, struct vg_err *err)
{
	struct pdf_state	*ps = ctx->fmt_state;
	char			 html[PATH_MAX], tmp[PATH_MAX],
				 dst[PATH_MAX];
	int			 rc;

	if (snprintf(html, sizeof(html), "%s/%s", ps->scratch, html_name) >=
	    (int)sizeof(html) ||
	    snprintf(tmp, sizeof(tmp), "%s/page-%u.pdf", ps->scratch,
	    ps->seq++) >= (int)sizeof(tmp) ||
	    snprintf(dst, sizeof(dst), "%s/%s", ps->outdir, name) >=
	    (int)sizeof(dst)) {
		vg_err_set(err, ps->outdir, "path too long");
		return -1;
	}
	/* The HTML writers name files in ctx->outdir: the scratch one,
	 * for the time of a page.  Its file is not one of ours to count. */
	ctx->outdir = ps->scratch;
	rc = write(ctx, arg, err);
	ctx->outdir = ps->outdir;
	if (rc == -1)
		return -1;
	ctx->nfiles--;
	rc = pdf_print(ps->browser, html, tmp, ps->scratch, PDF_TIMEOUT_MS,
	    err);
	unlink(html);
	if (rc == -1) {
		unlink(tmp);
		return -1;
	}
	if (chmod(tmp, 0640) == -1 || rename(tmp, dst) == -1) {
		vg_err_set(err, dst, "cannot rename from %s: %s", tmp,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	ctx->nfiles++;
	return 0;
}

static int
write_est(struct report_ctx *ctx, const void *est, struct vg_err *err)
{
	return html_establishment_file(ctx, est, err);
}

static int
write_index(struct report_ctx *ctx, const void *unused, struct vg_err *err)
{
	(void)unused;
	return html_index_file(ctx, err);
}

static int
pdf_establishment(struct report_ctx *ctx, const struct rep_est *e,
    struct vg_err *err)
{
	char	name[96], html[96];

	snprintf(name, sizeof(name), "%s.pdf", e->id);
	snprintf(html, sizeof(html), "%s.html", e->id);
	return print_page(ctx, name, html, write_est, e, err);
}

static int
pdf_end(struct report_ctx *ctx, struct vg_err *err)
{
	return print_page(ctx, "index.pdf", "index.html", write_index, NULL,
	    err);
}

static void
pdf_fini(struct report_ctx *ctx)
{
	struct pdf_state	*ps = ctx->fmt_state;

	if (ps == NULL)
		return;
	if (ps->scratch[0] != '\0')
		rm_tree(ps->scratch);
	ctx->outdir = ps->outdir;
	free(ps);
	ctx->fmt_state = NULL;
}

const struct report_format report_fmt_pdf = {
	.name		= "pdf",
	.ext		= "pdf",
	.begin		= pdf_begin,
	.establishment	= pdf_establishment,
	.end		= pdf_end,
	.fini		= pdf_fini,
};
