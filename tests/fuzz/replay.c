/*
 * replay.c - feed every file of a corpus directory to a fuzz target's
 * LLVMFuzzerTestOneInput(), in name order: `make check` builds each
 * tests/fuzz/fuzz_<name>.c with this main under ASan and UBSan and runs
 * it over tests/fuzz/corpus/<name>/, so every past crash stays a test.
 * Arguments may also be single files.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_FILE_MAX	(4 * 1024 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Run one file; -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	FILE	*fp;
	uint8_t	*data, *exact;
	size_t	 n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((data = malloc(REPLAY_FILE_MAX)) == NULL) {
		fclose(fp);
		fprintf(stderr, "replay: %s: out of memory\n", path);
		return -1;
	}
	n = fread(data, 1, REPLAY_FILE_MAX, fp);
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(fp);
		free(data);
		return -1;
	}
	fclose(fp);
	/* Shrink to the exact size, so ASan sees any read past the input. */
	if ((exact = realloc(data, n > 0 ? n : 1)) == NULL) {
		free(data);
		return -1;
	}
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int
replay_dir(const char *dir)
{
	struct dirent	**names = NULL;
	struct stat	  st;
	char		  path[4096];
	int		  i, n, count = 0, rc = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] == '.')
			goto next;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) >= sizeof(path) ||
		    stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			goto next;
		if (replay_file(path) == -1)
			rc = -1;
		else
			count++;
next:
		free(names[i]);
	}
	free(names);
	printf("replayed %d files from %s\n", count, dir);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct stat	st;
	int		i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s dir|file ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i]) == -1)
				rc = 1;
		} else if (replay_file(argv[i]) == -1) {
			rc = 1;
		} else {
			printf("replayed 1 file: %s\n", argv[i]);
		}
	}
	return rc;
}
