/* test_escape.c - escaping of untrusted text for HTML, CSV, JSON and the
 * terminal (reports/escape.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "reports/report_internal.h"

/* What one escaper prints for `in`; the caller free()s it. */
static char *
capture(void (*fn)(FILE *, const char *), const char *in)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	fn(fp, in);
	assert_int_equal(fclose(fp), 0);
	return out;
}

static void
assert_escapes(void (*fn)(FILE *, const char *), const char *in,
    const char *want)
{
	char	*got = capture(fn, in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_html_escapes_markup(void **state)
{
	(void)state;
	assert_escapes(esc_html, "<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_escapes(esc_html, "a & b \"c\" 'd'",
	    "a &amp; b &quot;c&quot; &#39;d&#39;");
	assert_escapes(esc_html, "&lt;", "&amp;lt;");
	assert_escapes(esc_html, NULL, "");
}

static void
test_html_keeps_utf8_replaces_bad_bytes(void **state)
{
	(void)state;
	assert_escapes(esc_html, "Hôpital Émile-Roux", "Hôpital Émile-Roux");
	/* ESC, an invalid byte, an overlong '<', a C1 control. */
	assert_escapes(esc_html, "a\x1b[2Jb", "a\xef\xbf\xbd[2Jb");
	assert_escapes(esc_html, "x\xffy", "x\xef\xbf\xbdy");
	assert_escapes(esc_html, "\xc0\xbcscript", "\xef\xbf\xbd"
	    "\xef\xbf\xbdscript");
	assert_escapes(esc_html, "\xc2\x9b", "\xef\xbf\xbd\xef\xbf\xbd");
	/* Line breaks are text in element content. */
	assert_escapes(esc_html, "a\nb\tc", "a\nb\tc");
}

static void
test_html_attr_escapes_whitespace(void **state)
{
	(void)state;
	assert_escapes(esc_html_attr, "a\"onmouseover=\"x\n",
	    "a&quot;onmouseover=&quot;x&#10;");
}

static void
max_3(FILE *fp, const char *s)
{
	esc_html_max(fp, s, 3);
}

static void
test_html_max_cuts_on_a_character(void **state)
{
	(void)state;
	/* "é" is two bytes: three bytes hold one and a half. */
	assert_escapes(max_3, "ééé", "é\xe2\x80\xa6");
	assert_escapes(max_3, "abc", "abc");
	assert_escapes(max_3, "<<<<", "&lt;&lt;&lt;\xe2\x80\xa6");
}

static void
test_csv_quotes_every_cell(void **state)
{
	(void)state;
	assert_escapes(esc_csv, "plain", "\"plain\"");
	assert_escapes(esc_csv, "say \"hi\", twice", "\"say \"\"hi\"\", "
	    "twice\"");
	assert_escapes(esc_csv, "two\nlines", "\"two\nlines\"");
	assert_escapes(esc_csv, "", "\"\"");
	assert_escapes(esc_csv, NULL, "\"\"");
}

static void
test_csv_guards_formulas(void **state)
{
	(void)state;
	assert_escapes(esc_csv, "=cmd|' /C calc'!A0",
	    "\"'=cmd|' /C calc'!A0\"");
	assert_escapes(esc_csv, "+1+1", "\"'+1+1\"");
	assert_escapes(esc_csv, "-1+1", "\"'-1+1\"");
	assert_escapes(esc_csv, "@SUM(A1)", "\"'@SUM(A1)\"");
	assert_escapes(esc_csv, "\t=1", "\"'\t=1\"");
	assert_escapes(esc_csv, "\r=1", "\"'\r=1\"");
	/* Only the first character makes a formula. */
	assert_escapes(esc_csv, "a=b", "\"a=b\"");
}

static void
test_csv_replaces_bad_bytes(void **state)
{
	(void)state;
	assert_escapes(esc_csv, "a\x07\xfe", "\"a\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void
test_json_strings_survive_bad_utf8(void **state)
{
	json_t	*j;

	(void)state;
	j = esc_json_str("Hôpital <b>");
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), "Hôpital <b>");
	json_decref(j);

	/* jansson refuses invalid UTF-8: the bad byte is replaced. */
	j = esc_json_str("ab\xff\xfe" "c");
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j),
	    "ab\xef\xbf\xbd\xef\xbf\xbd" "c");
	json_decref(j);

	j = esc_json_str(NULL);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void
test_term_prints_no_control(void **state)
{
	(void)state;
	assert_escapes(esc_term, "CHU\x1b]0;owned\x07 de Démo\n",
	    "CHU?]0;owned? de Démo?");
	assert_escapes(esc_term, "a\xffz", "a?z");
}

static void
test_safe_names(void **state)
{
	(void)state;
	assert_true(esc_is_safe_name("750000010"));
	assert_true(esc_is_safe_name("2A0000123"));
	assert_true(esc_is_safe_name("adhoc_1-x"));
	assert_false(esc_is_safe_name(""));
	assert_false(esc_is_safe_name(NULL));
	assert_false(esc_is_safe_name("../etc"));
	assert_false(esc_is_safe_name("a/b"));
	assert_false(esc_is_safe_name(".hidden"));
	assert_false(esc_is_safe_name("a b"));
	assert_false(esc_is_safe_name("0123456789012345678901234567890123456"
	    "7890123456789012345678901234"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escapes_markup),
		cmocka_unit_test(test_html_keeps_utf8_replaces_bad_bytes),
		cmocka_unit_test(test_html_attr_escapes_whitespace),
		cmocka_unit_test(test_html_max_cuts_on_a_character),
		cmocka_unit_test(test_csv_quotes_every_cell),
		cmocka_unit_test(test_csv_guards_formulas),
		cmocka_unit_test(test_csv_replaces_bad_bytes),
		cmocka_unit_test(test_json_strings_survive_bad_utf8),
		cmocka_unit_test(test_term_prints_no_control),
		cmocka_unit_test(test_safe_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
