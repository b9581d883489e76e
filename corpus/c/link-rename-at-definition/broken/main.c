#include <stdio.h>

#include "report.h"
#include "textstat.h"

int main(void) {
  const char *poem = "so much depends\nupon\na red wheel\nbarrow\n";
  report_print("poem", poem);
  if (word_cnt("") != 0)
    return 1;
  return 0;
}
