mod cache;

fn fill(c: &mut cache::Cache) {
    for k in 0..3 {
        c.put(k);
    }
}

fn main() {
    let mut c = cache::Cache::new();
    fill(&mut c);
    println!("{}", c.items.len());
}

#[cfg(test)]
mod tests {
    #[test]
    fn fill() {
        let mut c = super::cache::Cache::new();
        super::fill(&mut c);
        assert_eq!(c.items.len(), 3);
    }
}
