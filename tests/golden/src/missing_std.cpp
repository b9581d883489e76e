#include <iostream>
#include <string>
int main() {
  string name = "x";
  cout << name << endl;
}
