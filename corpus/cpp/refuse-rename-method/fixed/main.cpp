#include <cstdio>

#include "playlist.h"

int main() {
  Playlist p;
  p.add({"intro", 95});
  p.add({"theme", 241});
  p.add({"coda", 64});
  int t = p.total_seconds();
  std::printf("%d:%02d\n", t / 60, t % 60);
  return 0;
}
