class Account { int balance = 0; void audit(); };
int peek(Account &a) { a.audit(); return a.balance; }
