#include "holder.hpp"

int doubled(const Holder *h) { return h->v * FACTOR; }
