/// Sets a length when dropped, so a panic midway leaves the count of what was written.
struct SetLenOnDrop<'a> {
    len: &'a mut usize,
    local_len: usize,
}

impl<'a> SetLenOnDrop<'a> {
    fn new(len: &'a mut usize) -> Self {
        let local_len = *len;
        SetLenOnDrop { len, local_len }
    }

    #[inline]
    fn increment_len_impl(&mut self, increment: usize) {
        self.local_len += increment;
    }
}

impl<'a> Drop for SetLenOnDrop<'a> {
    fn drop(&mut self) {
        *self.len = self.local_len;
    }
}

pub fn fill(out: &mut [u8], len: &mut usize, byte: u8, n: usize) {
    let mut guard = SetLenOnDrop::new(len);
    for _ in 0..n {
        out[guard.local_len] = byte;
        guard.increment_len(1);
    }
}

pub fn skip(len: &mut usize, n: usize) {
    SetLenOnDrop::new(len).increment_len(n);
}

#[cfg(test)]
mod tests {
    #[test]
    fn fills() {
        let (mut buf, mut len) = ([0u8; 8], 2);
        super::fill(&mut buf, &mut len, 7, 3);
        assert_eq!((len, buf[4]), (5, 7));
        super::skip(&mut len, 2);
        assert_eq!(len, 7);
    }
}
