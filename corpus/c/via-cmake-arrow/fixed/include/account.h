struct account { int balance; };
void deposit(struct account *a, int amount);
