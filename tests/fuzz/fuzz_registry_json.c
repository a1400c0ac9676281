/*
 * Fuzz the registry loader (scanner/registry.c) on JSON input: jansson's
 * parse, then each object's fields (strings, integers, arrays of
 * strings) through the same checks as CSV.  The input goes through a
 * memory file to registry_load(), as a file would.  Built by `make fuzz`;
 * replayed over tests/fuzz/corpus/registry_json/ by `make check`.
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

	/* Only what registry_load() takes for JSON: a '[' first. */
	while (i < size && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i == size || data[i] != '[')
		return 0;
	fuzz_registry(data, size);
	return 0;
}
