#include "util.h"

int main(void) {
	struct point pt = {3, 4};
	struct point *p = &pt;
	int total = add(p.x, p->y)
	printf("total = %d\n", total);
	return total == 7 ? 0 : 1;
}
