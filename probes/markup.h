/*
 * markup.h - the text of HTML and XML as the probes read it: character
 * references decoded, white space collapsed.  Shared by the HTTP probe
 * (page titles) and the VPN portal parsers (forms, XML answers).  Pure,
 * bounded, for tests and fuzzers too.
 */
#ifndef VIGIE_PROBES_MARKUP_H
#define VIGIE_PROBES_MARKUP_H

#include <stddef.h>
#include <stdint.h>

/*
 * The character reference at s ("&amp;", "&#233;", "&#xe9;"): its code
 * point and length, or 0 when it is none we know (the '&' is then
 * literal).  Named ones: amp, lt, gt, quot, apos, nbsp (U+00A0).
 */
size_t	markup_entity(const uint8_t *s, size_t n, uint32_t *cp);

/*
 * Markup text into out: references decoded, a CDATA section taken as it
 * is, white space (no-break space included) collapsed and trimmed,
 * control bytes dropped, other bytes copied as they are.  Always
 * NUL-terminated when outlen > 0; cut when full.  Returns the length.
 */
size_t	markup_text(const uint8_t *s, size_t n, char *out, size_t outlen);

#endif /* VIGIE_PROBES_MARKUP_H */
