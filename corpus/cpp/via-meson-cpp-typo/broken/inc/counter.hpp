struct Counter {
  int value = 0;
  void bump() { value += STEP; }
};
