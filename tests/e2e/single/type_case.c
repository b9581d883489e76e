int main(void) {
  Int value = 0;
  return value;
}
