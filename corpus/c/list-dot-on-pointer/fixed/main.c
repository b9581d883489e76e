#include <stdio.h>
#include <stdlib.h>

typedef struct node {
  int value;
  struct node *next;
} node;

static node *push(node *head, int value) {
  node *n = malloc(sizeof *n);
  if (!n)
    exit(2);
  n->value = value;
  n->next = head;
  return n;
}

static int length(const node *head) {
  int n = 0;
  for (const node *p = head; p; p = p->next)
    n++;
  return n;
}

static void release(node *head) {
  while (head) {
    node *next = head->next;
    free(head);
    head = next;
  }
}

int main(void) {
  node *list = NULL;
  for (int i = 0; i < 5; i++)
    list = push(list, i);
  int len = length(list);
  int first = list->value;
  release(list);
  printf("%d %d\n", len, first);
  return !(len == 5 && first == 4);
}
