mod shapes;
use shapes::Rect;

fn total() -> u32 {
    let r = Rect { w: 5, h: 5 };
    r.area()
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
