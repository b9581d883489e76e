#[derive(Debug, PartialEq)]
pub enum GrowError {
    Overflow,
}

pub struct Buf {
    cap: usize,
}

impl Buf {
    fn set_capacity(&mut self, new_cap: usize) -> Result<(), GrowError> {
        self.cap = new_cap;
        Ok(())
    }

    /// Room for `extra` more items: the next power of two.
    pub fn reserve(&mut self, extra: usize) -> Result<(), GrowError> {
        let new_cap = self
            .cap
            .checked_add(extra)
            .and_then(usize::checked_next_power_of_two)
            .ok_or(GrowError::Overflow)?;
        self.set_capacity(new_cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn reserves() {
        let mut b = Buf { cap: 3 };
        assert_eq!(b.reserve(2), Ok(()));
        assert_eq!(b.cap, 8);
        assert_eq!(b.reserve(usize::MAX), Err(GrowError::Overflow));
    }
}
