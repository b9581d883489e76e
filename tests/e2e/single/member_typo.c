struct config { int width; int height; };
int main(void) {
  struct config c = {2, 3};
  return c.widht * c.height - 6;
}
