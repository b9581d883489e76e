int main(void) {
  printf("hello\n");
  return (int)strlen("x");
}
