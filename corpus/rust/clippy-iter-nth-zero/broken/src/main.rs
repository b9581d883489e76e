fn count_long(words: &[String], min: usize) -> usize {
    let mut n = 0;
    for w in words {
        if w.len() >= min {
            n += 1;
        }
    }
    n
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn describe(n: usize) -> &'static str {
    if (1..10).contains(&n) {
        "few"
    } else {
        "many or none"
    }
}

fn first_or_default(v: &[i32]) -> i32 {
    v.iter().nth(0).copied().unwrap_or(0)
}

fn main() {
    let w = vec!["alpha".to_string(), "be".to_string(), "gamma".to_string()];
    let n = count_long(&w, 3);
    println!("{} {} {} {}", n, is_blank("  "), describe(n), first_or_default(&[]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves() {
        let w = vec!["abc".to_string(), "a".to_string()];
        assert_eq!(count_long(&w, 2), 1);
        assert!(is_blank(" \t"));
        assert_eq!(describe(3), "few");
        assert_eq!(describe(0), "many or none");
        assert_eq!(first_or_default(&[5, 6]), 5);
    }
}
