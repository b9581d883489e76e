#pragma once
int combine(bool trace, int base, int step);
