int *get(void) { return 42; }
int value(int *p) { return p; }
