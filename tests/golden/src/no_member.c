struct config { int width; int height; };
int area(struct config c) { return c.widht * c.height; }
