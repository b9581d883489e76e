#include "header_chain/outer.h"
int main(void) { return inner(); }
