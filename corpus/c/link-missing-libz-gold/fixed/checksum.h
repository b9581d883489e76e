#ifndef CHECKSUM_H
#define CHECKSUM_H

unsigned long checksum_text(const char *s);

#endif
