int main(void) {
  int *p = NULL;
  return p != 0;
}
