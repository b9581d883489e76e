#pragma once
#include <string>
std::string label(const std::string &name, int width);
