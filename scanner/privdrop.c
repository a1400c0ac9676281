/*
 * privdrop.c - open as root, then drop, then check.
 *
 * Called after the engine has opened its raw socket and capture handle
 * and before any thread starts or any probe reads a byte from a target:
 * setgroups, setresgid, setresuid to an unprivileged user (which clears
 * every capability, as keep-caps is off), PR_SET_NO_NEW_PRIVS, and a
 * setuid(0) that must fail.  Without root, the binary may have been given
 * cap_net_raw with setcap (see README): its capabilities are cleared.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <linux/capability.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vigie/err.h"

#include "scanner_internal.h"

/* Hand a file (if it exists) to the user the process becomes. */
static void
give(const char *path, const char *suffix, uid_t uid, gid_t gid)
{
	char	p[4096];

	if (path == NULL || strcmp(path, "-") == 0)
		return;
	snprintf(p, sizeof(p), "%s%s", path, suffix);
	if (chown(p, uid, gid) == -1 && errno != ENOENT) {
		/* Left as is: SQLite will say what it cannot write. */
	}
}

/* CapEff of this process, from /proc: 0 when every capability is gone. */
static unsigned long long
cap_effective(void)
{
	unsigned long long	 v = ~0ULL;
	char			 line[256];
	FILE			*fp;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return v;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "CapEff: %llx", &v) == 1)
			break;
	fclose(fp);
	return v;
}

/* Clear every capability set of this process (capset(2), version 3). */
static int
capset_none(void)
{
	struct __user_cap_header_struct	hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct	data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) == -1)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int
privdrop(const char *user, struct vg_err *err, const char *db,
    const char *out)
{
	struct passwd	*pw;
	uid_t		 uid;
	gid_t		 gid;

	if (geteuid() != 0) {
		/* Not root, but perhaps given cap_net_raw with setcap: the
		 * raw socket is open, so let the capabilities go too. */
		if (cap_effective() != 0 && capset_none() == -1) {
			vg_err_set(err, "capabilities", "cannot drop: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((pw = getpwnam(user)) == NULL) {
		vg_err_set(err, "--user", "no user '%s'", user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		vg_err_set(err, "--user", "'%s' is root: nothing dropped", user);
		return -1;
	}
	give(db, "", uid, gid);
	give(db, "-wal", uid, gid);
	give(db, "-shm", uid, gid);
	give(out, "", uid, gid);
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		vg_err_set(err, "--user", "cannot become '%s': %s", user,
		    strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		vg_err_set(err, "--user", "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	if (setuid(0) != -1 || cap_effective() != 0) {
		vg_err_set(err, "--user", "privileges were not dropped");
		return -1;
	}
	return 0;
}
