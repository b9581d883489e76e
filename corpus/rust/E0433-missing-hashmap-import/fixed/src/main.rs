use std::collections::HashMap;

fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn most_common(counts: &HashMap<String, usize>) -> Option<(&String, &usize)> {
    counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
}

fn main() {
    let c = word_counts("the cat and The dog and the bird");
    let (w, n) = most_common(&c).unwrap();
    println!("{w}: {n}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_case_insensitively() {
        let c = word_counts("A a b");
        assert_eq!(c["a"], 2);
        assert_eq!(most_common(&c).unwrap().0, "a");
    }
}
