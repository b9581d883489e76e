mod cache;

fn fill(c: &mut cache::Cache, ttl: u64) {
    for k in 0..3 {
        c.put(k);
    }
}

fn main() {
    let mut c = cache::Cache::new();
    fill(&mut c, 60);
    println!("{}", c.items.len());
}

#[cfg(test)]
mod tests {
    #[test]
    fn fill() {
        let mut c = super::cache::Cache::new();
        super::fill(&mut c, 60);
        assert_eq!(c.items[2], (2, 60));
    }
}
