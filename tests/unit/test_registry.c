/* test_registry.c - loading establishments: CSV, JSON, and every error
 * naming file:line and the field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vigie/err.h"
#include "vigie/registry.h"

#define DATA	"../data/registry/"

static void
test_csv_semicolons_quotes_accents_ipv6(void **state)
{
	struct registry			 reg;
	struct vg_err			 err;
	const struct establishment	*e;

	(void)state;
	registry_init(&reg);
	assert_int_equal(registry_load(&reg, DATA "good.csv", NULL, &err), 0);
	assert_int_equal(reg.n, 3);
	e = registry_find(&reg, "750000010");
	assert_non_null(e);
	assert_string_equal(e->name, "CHU de Démo");
	assert_string_equal(e->region, "Île-de-France");
	assert_int_equal(e->nranges, 2);
	assert_int_equal(e->nhostnames, 1);
	e = registry_find(&reg, "750000020");
	assert_string_equal(e->name, "EHPAD \"Les Tilleuls\"; annexe");
	assert_int_equal(e->nranges, 0);
	e = registry_find(&reg, "2A0000030");
	assert_non_null(e);
	assert_int_equal(e->nranges, 2);
	assert_int_equal(e->ranges[1].addr.family, 6);
	/* 198.51.100.8/29 of 2A0000030 overlaps 750000010's /28. */
	assert_true(reg.nwarn >= 1);
	registry_fini(&reg);
}

static void
test_csv_commas_crlf_blank_lines(void **state)
{
	struct registry	reg;
	struct vg_err	err;

	(void)state;
	registry_init(&reg);
	assert_int_equal(registry_load(&reg, DATA "crlf-comma.csv", NULL,
	    &err), 0);
	assert_int_equal(reg.n, 2);
	assert_string_equal(reg.v[1].where, DATA "crlf-comma.csv:4");
	registry_fini(&reg);
}

static void
test_json_array(void **state)
{
	struct registry	reg;
	struct vg_err	err;

	(void)state;
	registry_init(&reg);
	assert_int_equal(registry_load(&reg, DATA "good.json", NULL, &err), 0);
	assert_int_equal(reg.n, 2);
	assert_int_equal(reg.v[0].nranges, 2);
	assert_string_equal(reg.v[0].name, "CHU de Démo");
	registry_fini(&reg);
}

/* Each bad file: the error's place and a word of its message. */
static const struct {
	const char	*file;
	const char	*where;
	const char	*msg;
} bad[] = {
	{ "bad-cidr.csv", DATA "bad-cidr.csv:3", "ranges: '10.0.0/33' is "
	    "not a CIDR" },
	{ "dup-id.csv", DATA "dup-id.csv:3", "already defined at "
	    DATA "dup-id.csv:2" },
	{ "bad-finess.csv", DATA "bad-finess.csv:2", "not a FINESS" },
	{ "empty-ranges.csv", DATA "empty-ranges.csv:2", "ranges: empty" },
	{ "latin1.csv", DATA "latin1.csv:3", "name: not valid UTF-8" },
	{ "unclosed.csv", DATA "unclosed.csv:", "unclosed quote" },
	{ "no-id-column.csv", DATA "no-id-column.csv:1", "no 'id' column" },
	{ "host-bits.csv", DATA "host-bits.csv:2", "did you mean "
	    "198.51.100.0/24" },
	{ "bad-hostname.csv", DATA "bad-hostname.csv:2", "hostnames:" },
	{ "bad-syntax.json", DATA "bad-syntax.json:3", "" },
	{ "bad-type.json", DATA "bad-type.json:[1]", "ranges: expected" },
	{ "missing.csv", DATA "missing.csv", "cannot open" },
};

static void
test_bad_files_name_their_place(void **state)
{
	struct registry	reg;
	struct vg_err	err;
	char		path[256];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		registry_init(&reg);
		snprintf(path, sizeof(path), DATA "%s", bad[i].file);
		vg_err_clear(&err);
		if (registry_load(&reg, path, NULL, &err) != -1)
			fail_msg("%s: loaded", bad[i].file);
		if (strncmp(err.where, bad[i].where, strlen(bad[i].where)) !=
		    0 || strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("%s: got '%s: %s'", bad[i].file, err.where,
			    err.msg);
		registry_fini(&reg);
	}
}

static void
test_adhoc_targets(void **state)
{
	struct registry	reg;
	struct vg_err	err;

	(void)state;
	registry_init(&reg);
	assert_int_equal(registry_add_adhoc(&reg, "198.51.100.0/30,"
	    "203.0.113.5", &err), 0);
	assert_int_equal(reg.v[0].nranges, 2);
	assert_int_equal(registry_add_adhoc(&reg, "x", &err), -1);
	registry_fini(&reg);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_csv_semicolons_quotes_accents_ipv6),
		cmocka_unit_test(test_csv_commas_crlf_blank_lines),
		cmocka_unit_test(test_json_array),
		cmocka_unit_test(test_bad_files_name_their_place),
		cmocka_unit_test(test_adhoc_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
