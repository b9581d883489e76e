struct Shape { virtual double area() const = 0; };
struct Circle : Shape { double r; };
int main() { Circle c; return 0; }
