#pragma once

#include <string>

bool parse_pair(const std::string &line, std::string &key, std::string &value);
