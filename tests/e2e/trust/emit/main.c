#include "emit.h"
#include "report.h"

int main(void) {
  emit_line(0, 1, stdout, "start");
  report_item(0, 1, stdout, "item");
  return 0;
}
