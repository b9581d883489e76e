#ifndef TALLY_PRIVATE_H
#define TALLY_PRIVATE_H
#include <assert.h>
#include <tally.h>
#define TALLY_BUCKETS 8
#endif
