#ifndef TEXTSTAT_H
#define TEXTSTAT_H

int char_count(const char *s);
int word_cnt(const char *s);
int line_count(const char *s);

#endif
