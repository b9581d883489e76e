#include <string>
void show(int x);
void show(const std::string &s);
int main() { show(1.5, 2); show(nullptr); }
