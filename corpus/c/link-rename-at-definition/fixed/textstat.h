#ifndef TEXTSTAT_H
#define TEXTSTAT_H

int char_count(const char *s);
int word_count(const char *s);
int line_count(const char *s);

#endif
