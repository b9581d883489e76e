int f(int x) {
  if (x) {
    return 1;
  return 0;
}
int main(void) { return f(0); }
