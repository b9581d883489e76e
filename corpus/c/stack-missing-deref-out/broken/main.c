#include <stdio.h>
#include <string.h>

#define CAP 4

struct stack {
  int items[CAP];
  int top;
};

static int push(struct stack *s, int v) {
  if (s->top == CAP)
    return -1;
  s->items[s->top++] = v;
  return 0;
}

static int pop(struct stack *s, int *v) {
  if (s->top == 0)
    return -1;
  v = s->items[--s->top];
  return 0;
}

int main(void) {
  struct stack s;
  memset(&s, 0, sizeof s);
  for (int i = 1; i <= 5; i++)
    push(&s, i);
  int v = 0, sum = 0;
  while (pop(&s, &v) == 0)
    sum += v;
  printf("%d\n", sum);
  return sum != 10;
}
