int main() {
  double d = 3.7;
  int arr[] = {1, d};
  char c{300};
  return arr[0] + c;
}
