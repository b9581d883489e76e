mod shapes;

fn total() -> u32 {
    shapes::combine(20, false, 5)
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
