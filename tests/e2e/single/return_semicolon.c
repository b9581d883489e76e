int twice(int v) {
  return v * 2
}
int main(void) { return twice(0); }
