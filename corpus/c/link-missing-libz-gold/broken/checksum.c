#include <string.h>
#include <zlib.h>

#include "checksum.h"

unsigned long checksum_text(const char *s) {
  uLong crc = crc32(0L, Z_NULL, 0);
  return crc32(crc, (const Bytef *)s, (uInt)strlen(s));
}
