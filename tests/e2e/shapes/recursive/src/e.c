int part_e(int v) {
  int result_e = v + 1;
  return reslt_e;
}
