int main(void) {
  int counter = 0;
  return countr;
}
