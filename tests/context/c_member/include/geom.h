#ifndef GEOM_H
#define GEOM_H

struct point {
  int x;
  int y;
};

struct rect {
  struct point origin;
  int w, h;
};

int rect_area(const struct rect *r);

#endif
