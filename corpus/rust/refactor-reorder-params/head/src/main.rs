mod geo;

fn both() -> String {
    let a = geo::scale("ab", 2);
    let b = geo::scale("c", 3);
    a + &b
}

fn main() {
    println!("{}", both());
}

#[cfg(test)]
mod tests {
    #[test]
    fn both() {
        assert_eq!(super::both(), "ababccc");
    }
}
