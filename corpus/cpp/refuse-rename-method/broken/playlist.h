#pragma once

#include <string>
#include <vector>

struct Song {
  std::string title;
  int seconds;
};

class Playlist {
 public:
  void add(Song s) { songs_.push_back(std::move(s)); }
  int total_seconds() const;

 private:
  std::vector<Song> songs_;
};
