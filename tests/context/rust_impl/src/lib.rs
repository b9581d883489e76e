use std::collections::HashMap;

pub struct Cache {
    map: HashMap<String, u32>,
}

impl Cache {
    pub fn new() -> Self {
        Cache { map: HashMap::new() }
    }

    pub fn get(&self, k: &str) -> u32 {
        self.map.get(k).copied().unwrap_or(0)
    }

    pub fn put(&self, k: &str, v: u32) {
        self.map.insert(k.to_string(), v);
    }
}
