#include "util.h"

int add(int a, int b) {
	int result = a + b;
	return result;
}
