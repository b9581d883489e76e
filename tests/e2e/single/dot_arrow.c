struct node { int value; struct node *next; };
int sum(struct node *n) {
  int s = 0;
  while (n) { s += n.value; n = n->next; }
  return s;
}
int main(void) { return sum(0); }
