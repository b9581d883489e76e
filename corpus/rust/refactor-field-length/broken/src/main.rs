mod shapes;
use shapes::Rect;

fn total() -> u32 {
    let r = Rect { len: 5, h: 4 };
    r.area() + r.len
}

fn main() {
    println!("{}", total());
}

#[cfg(test)]
mod tests {
    #[test]
    fn total() {
        assert_eq!(super::total(), 25);
    }
}
