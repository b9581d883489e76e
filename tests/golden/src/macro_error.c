#define SQUARE(x) ((x) * (y))
#define CALL(f) f(1, 2)
int one(int a);
int main(void) { return SQUARE(2) + CALL(one); }
