struct Base { virtual ~Base(); virtual int area() const; };
struct Square : Base { int area() override; int side; };
