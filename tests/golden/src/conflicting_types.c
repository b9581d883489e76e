int compute(int a);
double compute(int a) { return a * 2.0; }
