#include <stdio.h>
#include <string.h>

static is_command(const char *word) {
  return strcmp(word, "quit") == 0 || strcmp(word, "help") == 0;
}

static int count_commands(const char **words, int n) {
  int k = 0;
  for (int i = 0; i < n; i++)
    if (is_command(words[i]))
      k++;
  return k;
}

int main(void) {
  const char *words[] = {"help", "list", "quit", "go"};
  char buf[8];
  strcpy(buf, "quit");
  int same = strcmp(buf, "quit") == 0;
  int k = count_commands(words, 4);
  printf("%d %d\n", k, same);
  return !(k == 2 && same);
}
