#include "tinyish.h"
#include <string>
#if defined(_WIN32)
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace tinyish {

int count_elements(const std::string &xml) {
  std::vector<size_t> starts;
  for (size_t i = 0; i + 1 < xml.size(); i++)
    if (xml[i] == '<' && xml[i + 1] != '/')
      starts.push_back(i);
  return (int)starts.size();
}

long stamp() { return (long)getpid(); }

} // namespace tinyish
