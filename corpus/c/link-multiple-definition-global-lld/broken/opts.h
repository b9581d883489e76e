#ifndef OPTS_H
#define OPTS_H

int verbose;

void opts_parse(int argc, char **argv);

#endif
