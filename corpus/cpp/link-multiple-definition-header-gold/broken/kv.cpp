#include "kv.h"

#include "strutil.h"

bool parse_pair(const std::string &line, std::string &key, std::string &value) {
  size_t eq = line.find('=');
  if (eq == std::string::npos)
    return false;
  key = trim(line.substr(0, eq));
  value = trim(line.substr(eq + 1));
  return !key.empty();
}
