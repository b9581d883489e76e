#include "items.h"

int count_items(int limit) { return limit > 5 ? 5 : limit; }
