/* stdsyms.c — which standard header declares a name: the C standard library, POSIX and the C++
 * standard library (data written for fix, from the standards' header synopses). Used by the
 * missing-include repair; a wrong guess costs one check, never an edit (the check decides). */
#include "repairs.h"

#include <string.h>

struct sym {
  const char *name;
  const char *c;   /* C header, or NULL */
  const char *cxx; /* C++ header for std::name (or the C++ spelling of the C header), or NULL */
};

/* clang-format off */
static const struct sym syms[] = {
  /* <stdio.h> */
  {"printf", "stdio.h", "cstdio"}, {"fprintf", "stdio.h", "cstdio"}, {"sprintf", "stdio.h", "cstdio"},
  {"snprintf", "stdio.h", "cstdio"}, {"vprintf", "stdio.h", "cstdio"}, {"vfprintf", "stdio.h", "cstdio"},
  {"vsnprintf", "stdio.h", "cstdio"}, {"puts", "stdio.h", "cstdio"}, {"fputs", "stdio.h", "cstdio"},
  {"fgets", "stdio.h", "cstdio"}, {"fputc", "stdio.h", "cstdio"}, {"fgetc", "stdio.h", "cstdio"},
  {"putc", "stdio.h", "cstdio"}, {"getc", "stdio.h", "cstdio"}, {"getchar", "stdio.h", "cstdio"},
  {"putchar", "stdio.h", "cstdio"}, {"fopen", "stdio.h", "cstdio"}, {"fclose", "stdio.h", "cstdio"},
  {"fread", "stdio.h", "cstdio"}, {"fwrite", "stdio.h", "cstdio"}, {"fflush", "stdio.h", "cstdio"},
  {"fseek", "stdio.h", "cstdio"}, {"ftell", "stdio.h", "cstdio"}, {"rewind", "stdio.h", "cstdio"},
  {"scanf", "stdio.h", "cstdio"}, {"sscanf", "stdio.h", "cstdio"}, {"fscanf", "stdio.h", "cstdio"},
  {"perror", "stdio.h", "cstdio"}, {"remove", "stdio.h", "cstdio"}, {"rename", "stdio.h", "cstdio"},
  {"FILE", "stdio.h", "cstdio"}, {"EOF", "stdio.h", "cstdio"}, {"stdin", "stdio.h", "cstdio"},
  {"stdout", "stdio.h", "cstdio"}, {"stderr", "stdio.h", "cstdio"}, {"BUFSIZ", "stdio.h", "cstdio"},
  {"getline", "stdio.h", "string"}, {"fileno", "stdio.h", NULL}, {"popen", "stdio.h", NULL}, {"pclose", "stdio.h", NULL},
  /* <stdlib.h> */
  {"malloc", "stdlib.h", "cstdlib"}, {"calloc", "stdlib.h", "cstdlib"}, {"realloc", "stdlib.h", "cstdlib"},
  {"free", "stdlib.h", "cstdlib"}, {"exit", "stdlib.h", "cstdlib"}, {"abort", "stdlib.h", "cstdlib"},
  {"atexit", "stdlib.h", "cstdlib"}, {"atoi", "stdlib.h", "cstdlib"}, {"atol", "stdlib.h", "cstdlib"},
  {"atof", "stdlib.h", "cstdlib"}, {"strtol", "stdlib.h", "cstdlib"}, {"strtoul", "stdlib.h", "cstdlib"},
  {"strtoll", "stdlib.h", "cstdlib"}, {"strtoull", "stdlib.h", "cstdlib"}, {"strtod", "stdlib.h", "cstdlib"},
  {"qsort", "stdlib.h", "cstdlib"}, {"bsearch", "stdlib.h", "cstdlib"}, {"abs", "stdlib.h", "cstdlib"},
  {"labs", "stdlib.h", "cstdlib"}, {"rand", "stdlib.h", "cstdlib"}, {"srand", "stdlib.h", "cstdlib"},
  {"getenv", "stdlib.h", "cstdlib"}, {"system", "stdlib.h", "cstdlib"}, {"EXIT_SUCCESS", "stdlib.h", "cstdlib"},
  {"EXIT_FAILURE", "stdlib.h", "cstdlib"}, {"RAND_MAX", "stdlib.h", "cstdlib"}, {"setenv", "stdlib.h", NULL},
  {"mkstemp", "stdlib.h", NULL}, {"realpath", "stdlib.h", NULL},
  /* <string.h> */
  {"strlen", "string.h", "cstring"}, {"strcmp", "string.h", "cstring"}, {"strncmp", "string.h", "cstring"},
  {"strcpy", "string.h", "cstring"}, {"strncpy", "string.h", "cstring"}, {"strcat", "string.h", "cstring"},
  {"strncat", "string.h", "cstring"}, {"strchr", "string.h", "cstring"}, {"strrchr", "string.h", "cstring"},
  {"strstr", "string.h", "cstring"}, {"strtok", "string.h", "cstring"}, {"strspn", "string.h", "cstring"},
  {"strcspn", "string.h", "cstring"}, {"strerror", "string.h", "cstring"}, {"memcpy", "string.h", "cstring"},
  {"memmove", "string.h", "cstring"}, {"memset", "string.h", "cstring"}, {"memcmp", "string.h", "cstring"},
  {"memchr", "string.h", "cstring"}, {"strdup", "string.h", "cstring"}, {"strndup", "string.h", "cstring"},
  {"strcasecmp", "strings.h", NULL}, {"strncasecmp", "strings.h", NULL},
  /* <ctype.h> */
  {"isalpha", "ctype.h", "cctype"}, {"isdigit", "ctype.h", "cctype"}, {"isalnum", "ctype.h", "cctype"},
  {"isspace", "ctype.h", "cctype"}, {"isupper", "ctype.h", "cctype"}, {"islower", "ctype.h", "cctype"},
  {"ispunct", "ctype.h", "cctype"}, {"isxdigit", "ctype.h", "cctype"}, {"isprint", "ctype.h", "cctype"},
  {"iscntrl", "ctype.h", "cctype"}, {"toupper", "ctype.h", "cctype"}, {"tolower", "ctype.h", "cctype"},
  /* <math.h> */
  {"sqrt", "math.h", "cmath"}, {"pow", "math.h", "cmath"}, {"fabs", "math.h", "cmath"}, {"floor", "math.h", "cmath"},
  {"ceil", "math.h", "cmath"}, {"round", "math.h", "cmath"}, {"trunc", "math.h", "cmath"}, {"fmod", "math.h", "cmath"},
  {"sin", "math.h", "cmath"}, {"cos", "math.h", "cmath"}, {"tan", "math.h", "cmath"}, {"asin", "math.h", "cmath"},
  {"acos", "math.h", "cmath"}, {"atan", "math.h", "cmath"}, {"atan2", "math.h", "cmath"}, {"exp", "math.h", "cmath"},
  {"log", "math.h", "cmath"}, {"log2", "math.h", "cmath"}, {"log10", "math.h", "cmath"}, {"hypot", "math.h", "cmath"},
  {"fmin", "math.h", "cmath"}, {"fmax", "math.h", "cmath"}, {"cbrt", "math.h", "cmath"}, {"isnan", "math.h", "cmath"},
  {"isinf", "math.h", "cmath"}, {"INFINITY", "math.h", "cmath"}, {"NAN", "math.h", "cmath"}, {"M_PI", "math.h", "cmath"},
  {"lround", "math.h", "cmath"}, {"llround", "math.h", "cmath"},
  /* <stddef.h>, <stdint.h>, <stdbool.h>, <limits.h>, <inttypes.h> */
  {"size_t", "stddef.h", "cstddef"}, {"ptrdiff_t", "stddef.h", "cstddef"}, {"NULL", "stddef.h", "cstddef"},
  {"offsetof", "stddef.h", "cstddef"}, {"max_align_t", "stddef.h", "cstddef"},
  {"int8_t", "stdint.h", "cstdint"}, {"int16_t", "stdint.h", "cstdint"}, {"int32_t", "stdint.h", "cstdint"},
  {"int64_t", "stdint.h", "cstdint"}, {"uint8_t", "stdint.h", "cstdint"}, {"uint16_t", "stdint.h", "cstdint"},
  {"uint32_t", "stdint.h", "cstdint"}, {"uint64_t", "stdint.h", "cstdint"}, {"intptr_t", "stdint.h", "cstdint"},
  {"uintptr_t", "stdint.h", "cstdint"}, {"intmax_t", "stdint.h", "cstdint"}, {"uintmax_t", "stdint.h", "cstdint"},
  {"INT8_MAX", "stdint.h", "cstdint"}, {"INT16_MAX", "stdint.h", "cstdint"}, {"INT32_MAX", "stdint.h", "cstdint"},
  {"INT64_MAX", "stdint.h", "cstdint"}, {"INT32_MIN", "stdint.h", "cstdint"}, {"INT64_MIN", "stdint.h", "cstdint"},
  {"UINT8_MAX", "stdint.h", "cstdint"}, {"UINT16_MAX", "stdint.h", "cstdint"}, {"UINT32_MAX", "stdint.h", "cstdint"},
  {"UINT64_MAX", "stdint.h", "cstdint"}, {"SIZE_MAX", "stdint.h", "cstdint"},
  {"bool", "stdbool.h", NULL}, {"true", "stdbool.h", NULL}, {"false", "stdbool.h", NULL},
  {"INT_MAX", "limits.h", "climits"}, {"INT_MIN", "limits.h", "climits"}, {"UINT_MAX", "limits.h", "climits"},
  {"LONG_MAX", "limits.h", "climits"}, {"LONG_MIN", "limits.h", "climits"}, {"ULONG_MAX", "limits.h", "climits"},
  {"LLONG_MAX", "limits.h", "climits"}, {"LLONG_MIN", "limits.h", "climits"}, {"CHAR_BIT", "limits.h", "climits"},
  {"CHAR_MAX", "limits.h", "climits"}, {"SHRT_MAX", "limits.h", "climits"}, {"PATH_MAX", "limits.h", NULL},
  {"PRId32", "inttypes.h", "cinttypes"}, {"PRId64", "inttypes.h", "cinttypes"}, {"PRIu32", "inttypes.h", "cinttypes"},
  {"PRIu64", "inttypes.h", "cinttypes"}, {"PRIx64", "inttypes.h", "cinttypes"},
  /* <assert.h>, <errno.h>, <time.h>, <stdarg.h>, <signal.h>, <setjmp.h>, <locale.h> */
  {"assert", "assert.h", "cassert"}, {"static_assert", "assert.h", NULL}, {"errno", "errno.h", "cerrno"},
  {"ENOENT", "errno.h", "cerrno"}, {"EINVAL", "errno.h", "cerrno"}, {"ENOMEM", "errno.h", "cerrno"},
  {"EINTR", "errno.h", "cerrno"}, {"ERANGE", "errno.h", "cerrno"}, {"EAGAIN", "errno.h", "cerrno"},
  {"time", "time.h", "ctime"}, {"clock", "time.h", "ctime"}, {"time_t", "time.h", "ctime"},
  {"clock_t", "time.h", "ctime"}, {"CLOCKS_PER_SEC", "time.h", "ctime"}, {"difftime", "time.h", "ctime"},
  {"localtime", "time.h", "ctime"}, {"gmtime", "time.h", "ctime"}, {"strftime", "time.h", "ctime"},
  {"mktime", "time.h", "ctime"}, {"struct tm", "time.h", "ctime"}, {"clock_gettime", "time.h", NULL},
  {"nanosleep", "time.h", NULL}, {"CLOCK_MONOTONIC", "time.h", NULL}, {"timespec", "time.h", NULL},
  {"va_list", "stdarg.h", "cstdarg"}, {"va_start", "stdarg.h", "cstdarg"}, {"va_end", "stdarg.h", "cstdarg"},
  {"va_arg", "stdarg.h", "cstdarg"}, {"va_copy", "stdarg.h", "cstdarg"},
  {"signal", "signal.h", "csignal"}, {"raise", "signal.h", "csignal"}, {"SIGINT", "signal.h", "csignal"},
  {"SIGTERM", "signal.h", "csignal"}, {"SIGKILL", "signal.h", NULL}, {"kill", "signal.h", NULL},
  {"sigaction", "signal.h", NULL}, {"sig_atomic_t", "signal.h", "csignal"},
  {"setjmp", "setjmp.h", "csetjmp"}, {"longjmp", "setjmp.h", "csetjmp"}, {"jmp_buf", "setjmp.h", "csetjmp"},
  {"setlocale", "locale.h", "clocale"}, {"LC_ALL", "locale.h", "clocale"},
  /* POSIX */
  {"read", "unistd.h", NULL}, {"write", "unistd.h", NULL}, {"close", "unistd.h", NULL}, {"lseek", "unistd.h", NULL},
  {"sleep", "unistd.h", NULL}, {"usleep", "unistd.h", NULL}, {"getpid", "unistd.h", NULL}, {"getppid", "unistd.h", NULL},
  {"fork", "unistd.h", NULL}, {"execvp", "unistd.h", NULL}, {"execv", "unistd.h", NULL}, {"pipe", "unistd.h", NULL},
  {"dup2", "unistd.h", NULL}, {"access", "unistd.h", NULL}, {"unlink", "unistd.h", NULL}, {"rmdir", "unistd.h", NULL},
  {"getcwd", "unistd.h", NULL}, {"chdir", "unistd.h", NULL}, {"isatty", "unistd.h", NULL}, {"ssize_t", "sys/types.h", NULL},
  {"pid_t", "sys/types.h", NULL}, {"open", "fcntl.h", NULL}, {"O_RDONLY", "fcntl.h", NULL}, {"O_WRONLY", "fcntl.h", NULL},
  {"O_RDWR", "fcntl.h", NULL}, {"O_CREAT", "fcntl.h", NULL}, {"fcntl", "fcntl.h", NULL}, {"stat", "sys/stat.h", NULL},
  {"mkdir", "sys/stat.h", NULL}, {"waitpid", "sys/wait.h", NULL}, {"opendir", "dirent.h", NULL},
  {"readdir", "dirent.h", NULL}, {"closedir", "dirent.h", NULL}, {"DIR", "dirent.h", NULL},
  {"pthread_create", "pthread.h", NULL}, {"pthread_join", "pthread.h", NULL}, {"pthread_t", "pthread.h", NULL},
  {"pthread_mutex_t", "pthread.h", NULL}, {"pthread_mutex_lock", "pthread.h", NULL},
  {"pthread_mutex_unlock", "pthread.h", NULL}, {"mmap", "sys/mman.h", NULL}, {"munmap", "sys/mman.h", NULL},
  {"socket", "sys/socket.h", NULL}, {"strerror_r", "string.h", NULL}, {"dlopen", "dlfcn.h", NULL},
  {"dlsym", "dlfcn.h", NULL}, {"gettimeofday", "sys/time.h", NULL},
  /* C++ only (std::name) */
  {"sort", NULL, "algorithm"}, {"stable_sort", NULL, "algorithm"}, {"find", NULL, "algorithm"},
  {"find_if", NULL, "algorithm"}, {"count", NULL, "algorithm"}, {"count_if", NULL, "algorithm"},
  {"min", NULL, "algorithm"}, {"max", NULL, "algorithm"}, {"minmax", NULL, "algorithm"}, {"clamp", NULL, "algorithm"},
  {"min_element", NULL, "algorithm"}, {"max_element", NULL, "algorithm"}, {"reverse", NULL, "algorithm"},
  {"unique", NULL, "algorithm"}, {"copy", NULL, "algorithm"}, {"copy_if", NULL, "algorithm"}, {"fill", NULL, "algorithm"},
  {"transform", NULL, "algorithm"}, {"any_of", NULL, "algorithm"}, {"all_of", NULL, "algorithm"},
  {"none_of", NULL, "algorithm"}, {"for_each", NULL, "algorithm"}, {"binary_search", NULL, "algorithm"},
  {"lower_bound", NULL, "algorithm"}, {"upper_bound", NULL, "algorithm"}, {"equal_range", NULL, "algorithm"},
  {"remove_if", NULL, "algorithm"}, {"replace", NULL, "algorithm"}, {"rotate", NULL, "algorithm"},
  {"shuffle", NULL, "algorithm"}, {"next_permutation", NULL, "algorithm"}, {"equal", NULL, "algorithm"},
  {"accumulate", NULL, "numeric"}, {"iota", NULL, "numeric"}, {"inner_product", NULL, "numeric"},
  {"partial_sum", NULL, "numeric"}, {"adjacent_difference", NULL, "numeric"}, {"reduce", NULL, "numeric"},
  {"gcd", NULL, "numeric"}, {"lcm", NULL, "numeric"},
  {"vector", NULL, "vector"}, {"string", NULL, "string"}, {"to_string", NULL, "string"}, {"stoi", NULL, "string"},
  {"stol", NULL, "string"}, {"stoll", NULL, "string"}, {"stod", NULL, "string"}, {"stof", NULL, "string"},
  {"string_view", NULL, "string_view"}, {"map", NULL, "map"}, {"multimap", NULL, "map"}, {"set", NULL, "set"},
  {"multiset", NULL, "set"}, {"unordered_map", NULL, "unordered_map"}, {"unordered_set", NULL, "unordered_set"},
  {"deque", NULL, "deque"}, {"queue", NULL, "queue"}, {"priority_queue", NULL, "queue"}, {"stack", NULL, "stack"},
  {"list", NULL, "list"}, {"forward_list", NULL, "forward_list"}, {"array", NULL, "array"},
  {"bitset", NULL, "bitset"}, {"tuple", NULL, "tuple"}, {"make_tuple", NULL, "tuple"}, {"tie", NULL, "tuple"},
  {"get", NULL, "tuple"}, {"pair", NULL, "utility"}, {"make_pair", NULL, "utility"}, {"move", NULL, "utility"},
  {"swap", NULL, "utility"}, {"forward", NULL, "utility"}, {"exchange", NULL, "utility"},
  {"optional", NULL, "optional"}, {"nullopt", NULL, "optional"}, {"make_optional", NULL, "optional"},
  {"variant", NULL, "variant"}, {"visit", NULL, "variant"}, {"holds_alternative", NULL, "variant"},
  {"any", NULL, "any"}, {"function", NULL, "functional"}, {"bind", NULL, "functional"}, {"hash", NULL, "functional"},
  {"greater", NULL, "functional"}, {"less", NULL, "functional"}, {"plus", NULL, "functional"},
  {"reference_wrapper", NULL, "functional"}, {"ref", NULL, "functional"}, {"cref", NULL, "functional"},
  {"unique_ptr", NULL, "memory"}, {"shared_ptr", NULL, "memory"}, {"weak_ptr", NULL, "memory"},
  {"make_unique", NULL, "memory"}, {"make_shared", NULL, "memory"}, {"allocator", NULL, "memory"},
  {"cout", NULL, "iostream"}, {"cerr", NULL, "iostream"}, {"cin", NULL, "iostream"}, {"clog", NULL, "iostream"},
  {"endl", NULL, "ostream"}, {"ostream", NULL, "ostream"}, {"istream", NULL, "istream"},
  {"stringstream", NULL, "sstream"}, {"ostringstream", NULL, "sstream"}, {"istringstream", NULL, "sstream"},
  {"ifstream", NULL, "fstream"}, {"ofstream", NULL, "fstream"}, {"fstream", NULL, "fstream"},
  {"setw", NULL, "iomanip"}, {"setprecision", NULL, "iomanip"}, {"setfill", NULL, "iomanip"}, {"fixed", NULL, "ios"},
  {"numeric_limits", NULL, "limits"}, {"thread", NULL, "thread"}, {"mutex", NULL, "mutex"},
  {"lock_guard", NULL, "mutex"}, {"unique_lock", NULL, "mutex"}, {"condition_variable", NULL, "condition_variable"},
  {"atomic", NULL, "atomic"}, {"chrono", NULL, "chrono"}, {"runtime_error", NULL, "stdexcept"},
  {"logic_error", NULL, "stdexcept"}, {"invalid_argument", NULL, "stdexcept"}, {"out_of_range", NULL, "stdexcept"},
  {"exception", NULL, "exception"}, {"initializer_list", NULL, "initializer_list"}, {"regex", NULL, "regex"},
  {"filesystem", NULL, "filesystem"}, {"span", NULL, "span"}, {"size", NULL, "iterator"}, {"begin", NULL, "iterator"},
  {"end", NULL, "iterator"}, {"back_inserter", NULL, "iterator"}, {"distance", NULL, "iterator"},
  {"next", NULL, "iterator"}, {"prev", NULL, "iterator"}, {"advance", NULL, "iterator"},
  {"is_same", NULL, "type_traits"}, {"enable_if", NULL, "type_traits"}, {"decay_t", NULL, "type_traits"},
};
/* clang-format on */

const char *repair_std_header(const char *name, int cxx, int qualified) {
  for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
    if (strcmp(syms[i].name, name))
      continue;
    if (!cxx && syms[i].c)
      return syms[i].c;
    if (cxx && syms[i].cxx && (qualified || syms[i].c)) /* unqualified: only the C library's names */
      return syms[i].cxx;
  }
  return NULL;
}
