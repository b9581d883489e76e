mod geo;

fn both() -> String {
    let a = geo::scale(2, "ab");
    let b = geo::scale(3, "c");
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
