void f(void) {
  const int limit = 10;
  limit = 11;
  const char *s = "x";
  *(char *)s = 'y';
  s[0] = 'z';
}
