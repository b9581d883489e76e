#ifndef TINYISH_H
#define TINYISH_H
#include <string>

namespace tinyish {
int count_elements(const std::string &xml);
long stamp();
}
#endif
