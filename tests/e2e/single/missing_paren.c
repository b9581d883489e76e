int main(void) {
  int x = 3;
  if (x > 2 {
    return 0;
  }
  return 1;
}
