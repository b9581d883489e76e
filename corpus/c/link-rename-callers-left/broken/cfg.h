#ifndef CFG_H
#define CFG_H

struct cfg {
  int width;
  int height;
  int depth;
};

int load_cfg(const char *text, struct cfg *out);

#endif
