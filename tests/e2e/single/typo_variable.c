int main(void) {
  int counter = 0;
  counter++;
  return countr - 1;
}
