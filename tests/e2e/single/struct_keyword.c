struct point { int x; };
int main(void) {
  strcut point p = {0};
  return p.x;
}
