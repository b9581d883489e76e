class Square {
 public:
  explicit Square(int s) : side(s) {}
  int perimeter() const;
 private:
  int side;
};
