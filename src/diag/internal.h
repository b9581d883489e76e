/* internal.h — helpers shared by the diagnostic parsers (private to src/diag). */
#ifndef FIX_DIAG_INTERNAL_H
#define FIX_DIAG_INTERNAL_H

#include "fix/diag.h"

/* "error", "fatal error", "warning", "remark"; anything else is a note. */
enum fix_severity diag_severity_from_str(const char *s);
/* gcc quotes with U+2018/U+2019 in UTF-8 locales; identities must not depend on the locale.
 * Rewrites them to ASCII ' in place. */
void diag_ascii_quotes(char *s);
/* Whether a note's message makes it macro or template context of its diagnostic. */
int diag_note_is_macro(const char *msg);
int diag_note_is_template(const char *msg);

/* Makes d's relative paths (and its notes') absolute against `dir` where the file exists there:
 * a build tool said it was working in `dir` ("make: Entering directory"). */
void diag_absolutize_in(struct fix_diag *d, const char *dir);

/* Removes ANSI escape sequences (coloured compiler output) and a trailing CR, in place; returns
 * the new length. */
size_t diag_strip_ansi(char *s, size_t n);
/* parse_link.c: the linker's errors and warnings in a text build log (GNU ld, gold, lld, mold),
 * appended to `out` (compiler FIX_CC_LINKER). *rest gets the log without the lines that were the
 * linker's (and without the driver's "ld returned 1 exit status" when a linker error was found),
 * for the compiler parser; NULL (and *rest_len 0) when no line was taken. Caller frees *rest. */
enum fix_status diag_parse_link(const char *text, size_t len, struct fix_diag_list *out, char **rest,
                                size_t *rest_len, struct fix_err *err);

/* Whether `t` looks like rustc's human-readable output (a header with a "-->" location). */
int diag_sniff_rustc_text(const char *t, size_t n);

#endif
