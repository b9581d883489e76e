unsigned long name_length(void);
