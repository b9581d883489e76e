unsigned long greeting_length(void);
