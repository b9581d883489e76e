/* fault.c — fault injection points, inert here.
 *
 * Code that makes a durable change (a file replaced, the undo journal saved) calls
 * fix_fault("name") just before it. In fix itself this returns 0 and costs a call. The test
 * build `fix-faulty` links tests/support/fault_inject.c instead of this file (a program's own
 * definition wins over the archive's), which reads FIX_FAULT and can kill the process or fail the
 * step at the N-th point: SQLite's way of testing every crash point rather than a few by luck. */
#include "fix/base.h"

int fix_fault(const char *point) {
  (void)point;
  return 0;
}
