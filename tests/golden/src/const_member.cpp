class Counter {
  int n = 0;
public:
  void bump() const { n++; }
  int get() { return n; }
};
int use(const Counter &c) { return c.get(); }
