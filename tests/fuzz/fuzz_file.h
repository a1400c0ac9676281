/*
 * fuzz_file.h - hand fuzz input to a loader that takes a path: the bytes
 * go into an anonymous memory file (memfd), reached as /proc/self/fd/N.
 * Nothing touches the disk, and the loader under test is the one the
 * program runs, unchanged.  Header-only, for the fuzz targets of
 * tests/fuzz/ that load input files (registry, exclusion list).
 */
#ifndef VIGIE_FUZZ_FILE_H
#define VIGIE_FUZZ_FILE_H

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Write the input to the process's memory file and return its path
 * (static storage), or NULL when the file cannot be written.  The file
 * is created once and rewritten by each call.
 */
static inline const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static int	fd = -1;
	static char	path[64];
	size_t		off = 0;
	ssize_t		w;

	if (fd == -1) {
		if ((fd = memfd_create("fuzz-input", MFD_CLOEXEC)) == -1)
			return NULL;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1)
		return NULL;
	while (off < size) {
		if ((w = pwrite(fd, data + off, size - off, (off_t)off)) <= 0)
			return NULL;
		off += (size_t)w;
	}
	return path;
}

/* True when s starts with the path and a ':' follows, or s is the path. */
static inline int
fuzz_where_ok(const char *where, const char *path)
{
	size_t	n = strlen(path);

	return strncmp(where, path, n) == 0 &&
	    (where[n] == '\0' || where[n] == ':');
}

#endif /* VIGIE_FUZZ_FILE_H */
