mod shapes;

fn total() -> u32 {
    let (a, b) = shapes::make_square(5);
    a * b
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
