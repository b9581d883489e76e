int count = 1;
int count = 2;
int f(void) { return 1; }
int f(void) { return 2; }
