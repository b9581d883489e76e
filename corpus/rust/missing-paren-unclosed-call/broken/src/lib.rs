/// The capacity a buffer of `cap` grows to: twice as much, saturating.
pub fn grown(cap: usize, needed: usize) -> usize {
    let mut new_cap = cap.max(1);
    while new_cap < needed {
        new_cap = new_cap.checked_mul(2).unwrap_or(usize::MAX);
        debug_assert!(new_cap > cap, "{} did not grow", cap;
    }
    new_cap
}

#[cfg(test)]
mod tests {
    #[test]
    fn doubles() {
        assert_eq!(super::grown(4, 9), 16);
        assert_eq!(super::grown(0, 1), 1);
    }
}
