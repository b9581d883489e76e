use std::collections::HashMap;

struct Cache {
    map: HashMap<u64, u64>,
    hits: u32,
}

impl Cache {
    fn new() -> Self {
        Cache { map: HashMap::new(), hits: 0 }
    }

    fn fib(&mut self, n: u64) -> u64 {
        if n < 2 {
            return n;
        }
        if let Some(v) = self.map.get(&n) {
            self.hits += 1;
            return v;
        }
        let v = self.fib(n - 1) + self.fib(n - 2);
        self.map.insert(n, v);
        v
    }
}

fn main() {
    let mut c = Cache::new();
    let v = c.fib(50);
    println!("{v} ({} hits)", c.hits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoises() {
        let mut c = Cache::new();
        assert_eq!(c.fib(10), 55);
        assert_eq!(c.fib(50), 12586269025);
        assert!(c.hits > 0);
    }
}
