fn bump(n: &mut i32) {
    *n += 1;
}

fn main() {
    let mut x = 1;
    bump(&mut x);
    println!("{}", x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works() {
        let mut a = 1;
        bump(&mut a);
        assert_eq!(a, 2);
    }
}
