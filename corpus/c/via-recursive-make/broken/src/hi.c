int hi(int v) {
  int result = v + BASE;
  return resut;
}
