#pragma once
int combine(int base, int step);
