void takes_int_ptr(int *p);
void f(void) {
  long v = 0;
  takes_int_ptr(&v);
}
