#include <stdio.h>

#define N 3

static void transpose(int m[N][N]) {
  for (int i = 0; i < N; i++)
    for (int j = i + 1; j < N; j++) {
      int t = m[i][j];
      m[i][j] = m[j][i];
      m[j][i] = t;
    }
}

static int trace(const int m[N][N]) {
  int t = 0;
  for (int i = 0; i < N; i++)
    t += m[i][i];
  return t;
}

int main(void) {
  int m[N][N] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  transpose(m);
  printf("%d %d\n", m[0][1], trace((const int(*)[N])m));
  return !(m[0][1] == 4 && m[2][0] == 3 && trace((const int(*)[N])m) == 15);
}
