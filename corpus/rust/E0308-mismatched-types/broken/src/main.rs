fn half(n: u32) -> u32 {
    n / 2
}

fn main() {
    let s: u32 = "8";
    println!("{}", half(s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works() {
        assert_eq!(half(8), 4);
    }
}
