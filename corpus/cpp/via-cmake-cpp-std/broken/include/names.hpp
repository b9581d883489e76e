#include <string>
#include <vector>
std::vector<std::string> names();
