#include <stdio.h>
#include <string.h>

static void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) {
    char t = s[i];
    s[i] = s[n - 1 - i];
    s[n - 1 - i] = t;
  }
}

static int is_palindrome(const char *s) {
  char copy[64];
  strncpy(copy, s, sizeof copy - 1);
  copy[sizeof copy - 1] = '\0';
  reverse(copy);
  return strcmp(copy, s) == 0;
}

int main(void) {
  char word[] = "level";
  char other[] = "fix";
  reverse(other);
  int ok = is_palindrome(word) && !is_palindrome("abc") && strcmp(other, "xif") == 0;
  printf("%s\n", ok ? "ok" : "wrong");
  return !ok;
}
