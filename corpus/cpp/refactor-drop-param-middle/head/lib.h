#pragma once
int combine(int base, bool trace, int step);
