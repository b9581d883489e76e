struct range { int lo, hi; };
int range_len(const struct range *r);
