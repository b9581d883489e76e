#ifndef GEO_H
#define GEO_H
struct rect {
  int width;
  int height;
};
int area(const struct rect *r);
int total_area(const struct rect *rs, int n);
#endif
