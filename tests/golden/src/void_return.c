void reset(int *p) { *p = 0; return 1; }
int get(void) { return; }
