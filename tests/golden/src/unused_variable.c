int f(void) {
  int unused = 3;
  int used = 4;
  return used;
}
