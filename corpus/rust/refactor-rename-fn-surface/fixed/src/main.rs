mod shapes;

fn total() -> u32 {
    shapes::surface(3) + shapes::surface(4)
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
