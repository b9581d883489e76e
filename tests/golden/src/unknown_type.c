size_t length(const char *s);
uint32_t checksum(void);
struct known { int a; };
strcut known k;
