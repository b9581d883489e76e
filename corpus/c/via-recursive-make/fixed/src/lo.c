int lo(int v) {
  int result = v - BASE;
  return result;
}
