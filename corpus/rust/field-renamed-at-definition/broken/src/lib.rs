/// Stops a recursive parser before it nests deeper than `limit`.
pub struct NestLimiter {
    limit: u32,
    depth_v2: u32,
}

impl NestLimiter {
    pub fn new(limit: u32) -> Self {
        NestLimiter { limit, depth: 0 }
    }

    pub fn increment(&mut self) -> Result<(), String> {
        let new = self.depth.checked_add(1).ok_or("overflow")?;
        if new > self.limit {
            return Err(format!("nested deeper than {}", self.limit));
        }
        self.depth = new;
        Ok(())
    }

    pub fn decrement(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits() {
        let mut n = super::NestLimiter::new(2);
        assert!(n.increment().is_ok() && n.increment().is_ok());
        assert!(n.increment().is_err());
        n.decrement();
        assert!(n.increment().is_ok());
    }
}
