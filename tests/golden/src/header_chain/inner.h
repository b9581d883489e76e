static inline int inner(void) { return missing_symbol; }
