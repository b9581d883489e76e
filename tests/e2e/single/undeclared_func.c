int main(void) {
  return compute(3);
}
