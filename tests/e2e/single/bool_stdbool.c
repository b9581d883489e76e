int main(void) {
  bool done = 0;
  return done;
}
