int mean(const int *v, int n);
