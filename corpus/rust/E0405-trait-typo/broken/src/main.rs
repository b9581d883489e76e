trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> String {
        String::from("shape")
    }
}

struct Square(f64);
struct Circle(f64);

impl Shap for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
    fn name(&self) -> String {
        String::from("square")
    }
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.0 * self.0
    }
}

fn total_area(shapes: &[Box<dyn Shape>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

fn largest<T: PartialOrd + Copy>(v: &[T]) -> T {
    let mut m = v[0];
    for &x in v {
        if x > m {
            m = x;
        }
    }
    m
}

fn main() {
    let shapes: Vec<Box<dyn Shape>> = vec![Box::new(Square(2.0)), Box::new(Circle(1.0))];
    println!("{} {} {}", total_area(&shapes), shapes[1].name(), largest(&[3, 8, 1]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas() {
        let s: Vec<Box<dyn Shape>> = vec![Box::new(Square(1.0)), Box::new(Circle(2.0))];
        assert_eq!(total_area(&s), 13.0);
        assert_eq!(s[0].name(), "square");
        assert_eq!(s[1].name(), "shape");
        assert_eq!(largest(&[1.5, 0.5]), 1.5);
    }
}
