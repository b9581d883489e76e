int main(void) {
  return isdigit('7') ? 0 : 1;
}
