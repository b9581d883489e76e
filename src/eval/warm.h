/* warm.h — a built tree kept between the mutation cases one worker runs (warm.c). Internal to
 * src/eval. */
#ifndef FIX_EVAL_WARM_H
#define FIX_EVAL_WARM_H

#include "fix/base.h"

struct eval_warm {
  char *base;             /* the base tree it holds (absolute), or NULL: none yet */
  char *scratch, *work;   /* scratch/work: the copy, built in place */
  struct fix_strv files;  /* the base's regular files, relative */
  struct fix_strv built;  /* the sources after the first build (generated ones too: config.h) */
};

/* Ready for a case over `base`: 0 when w already holds it, 1 when it was copied now (the caller
 * builds it), -1 when it cannot be copied (w is empty; run the case cold). */
int eval_warm_ready(struct eval_warm *w, const char *base);
/* Records the sources after the first build: a reset removes only sources added after it. */
void eval_warm_built(struct eval_warm *w);
/* Puts back every file that differs from the base and removes sources the base has not; 0 when a
 * file cannot be put back (drop the tree). */
int eval_warm_reset(struct eval_warm *w);
/* Removes the tree. */
void eval_warm_drop(struct eval_warm *w);

#endif
