/// The positions of `needle` in `haystack`, last first.
pub struct FindRev<'h> {
    haystack: &'h [u8],
    needle: u8,
    pos: Option<usize>,
}

impl<'h> FindRev<'h> {
    pub fn new(haystack: &'h [u8], needle: u8) -> Self {
        FindRev { haystack, needle, pos: Some(haystack.len()) }
    }
}

impl<'h> Iterator for FindRev<'h> {
    type Item = usize;

    fn next_impl(&mut self) -> Option<usize> {
        let end = self.pos?;
        let found = self.haystack[..end].iter().rposition(|&b| b == self.needle);
        self.pos = found;
        found
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds() {
        let v: Vec<usize> = super::FindRev::new(b"abcabc", b'b').collect();
        assert_eq!(v, vec![4, 1]);
    }
}
