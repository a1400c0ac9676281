/*
 * Fuzz the registry loader (scanner/registry.c) on CSV input: the header
 * and separator choice, RFC 4180 quoting, the field checks.  The input
 * goes through a memory file to registry_load(), as a file would.
 * Built by `make fuzz`; replayed over tests/fuzz/corpus/registry_csv/ by
 * `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigie/err.h"
#include "vigie/registry.h"
#include "fuzz_file.h"
#include "fuzz_registry.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	i = 0;

	/* What opens with '[' is JSON: fuzz_registry_json's input. */
	while (i < size && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < size && data[i] == '[')
		return 0;
	fuzz_registry(data, size);
	return 0;
}
