int part_c(int v) {
  int result_c = v + 1;
  return reslt_c;
}
