void report(int v);
