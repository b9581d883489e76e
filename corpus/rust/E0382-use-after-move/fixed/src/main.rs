fn total(v: &[i32]) -> i32 {
    v.iter().sum()
}

fn main() {
    let v = vec![1, 2, 3];
    let w = v.clone();
    println!("{} {}", total(&v), total(&w));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works() {
        assert_eq!(total(&[1, 2]), 3);
    }
}
