pub struct Cache {
    pub items: Vec<(u32, u64)>,
}

impl Cache {
    pub fn new() -> Self {
        Cache { items: Vec::new() }
    }

    pub fn put(&mut self, key: u32, ttl: u64) {
        self.items.push((key, ttl));
    }
}
