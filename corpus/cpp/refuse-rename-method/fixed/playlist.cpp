#include "playlist.h"

int Playlist::total_seconds() const {
  int total = 0;
  for (const Song &s : songs_)
    total += s.seconds;
  return total;
}
