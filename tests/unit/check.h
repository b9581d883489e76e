/* check.h — a minimal test harness: CHECK records failures and keeps going; the summary line is
 * "N passed, N failed" (what CI reads). Exit 77 means "skipped" to ctest. */
#ifndef FIX_TEST_CHECK_H
#define FIX_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                                                                    \
  do {                                                                                                                 \
    if (cond)                                                                                                          \
      check_pass++;                                                                                                    \
    else {                                                                                                             \
      check_fail++;                                                                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                                         \
    }                                                                                                                  \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                                                             \
  do {                                                                                                                 \
    long long va_ = (long long)(a), vb_ = (long long)(b);                                                              \
    if (va_ == vb_)                                                                                                    \
      check_pass++;                                                                                                    \
    else {                                                                                                             \
      check_fail++;                                                                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld vs %lld)\n", __FILE__, __LINE__, #a, #b, va_, vb_);         \
    }                                                                                                                  \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                                                             \
  do {                                                                                                                 \
    const char *sa_ = (a), *sb_ = (b);                                                                                 \
    if (sa_ && sb_ && strcmp(sa_, sb_) == 0)                                                                           \
      check_pass++;                                                                                                    \
    else {                                                                                                             \
      check_fail++;                                                                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (\"%s\" vs \"%s\")\n", __FILE__, __LINE__, #a, #b,                \
              sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                                                             \
    }                                                                                                                  \
  } while (0)

static inline int check_summary(void) {
  printf("%d passed, %d failed\n", check_pass, check_fail);
  return check_fail ? 1 : 0;
}

#endif
