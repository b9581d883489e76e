int total_of(const int *v, int n);
