mod shapes {
    pub trait Area {
        fn area(&self) -> f64;
    }

    pub struct Square(pub f64);

    impl Area for Square {
        fn area(&self) -> f64 {
            self.0 * self.0
        }
    }
}

use shapes::Square;

fn count_words(text: &str) -> u32 {
    let n: u32 = text.split_whitespace().count();
    n
}

fn main() {
    let sq = Square(3.0);
    let a = sq.area();
    let words = count_words("one two three");
    assert_eq!(a as u32 + words, 12);
    println!("ok");
}
