pub fn width(s: &str) -> usize {
    s.len()
}
