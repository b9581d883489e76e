struct point { int x, y; };
int shifted_x(struct point p);
