int main(void) {
  uint32_t mask = 0;
  return (int)mask;
}
