mod geom;

use geom::{perimeter, Point};

fn main() {
    let square = [Point::new(0.0, 0.0), Point::new(1.0, 0.0), Point::new(1.0, 1.0), Point::new(0.0, 1.0)];
    println!("{}", perimeter(&square));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_square() {
        let s = [Point::new(0.0, 0.0), Point::new(3.0, 0.0), Point::new(3.0, 4.0)];
        assert_eq!(perimeter(&s), 12.0);
        assert_eq!(s[0].x, 0.0);
    }
}
