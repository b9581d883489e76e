mod shapes;

fn total() -> u32 {
    shapes::area(3) + shapes::area(4)
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
