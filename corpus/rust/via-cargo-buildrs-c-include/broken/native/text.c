unsigned long text_len(const char *s) {
  return strlen(s);
}
