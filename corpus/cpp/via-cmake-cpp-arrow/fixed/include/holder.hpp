struct Holder { int v; };
int doubled(const Holder *h);
