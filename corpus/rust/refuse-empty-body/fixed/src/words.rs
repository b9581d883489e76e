pub fn longest(words: &[&str]) -> usize {
    let mut best = 0;
    for w in words {
        let n = w.chars().count();
        if n > best {
            best = n;
        }
    }
    best
}
