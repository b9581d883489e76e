int f(int v) { return v[0]; }
