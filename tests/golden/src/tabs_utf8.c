struct s { int n; };
int f(struct s *v) {
	/* café € */	int été = 0; return v.n + été + missing;
}
