#pragma once
#include <string>
std::string label(int width, const std::string &name);
