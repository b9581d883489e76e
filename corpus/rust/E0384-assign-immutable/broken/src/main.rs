fn longest(words: &[String]) -> Option<&String> {
    let best: Option<&String> = None;
    for w in words {
        if best.map_or(true, |b| w.len() > b.len()) {
            best = Some(w);
        }
    }
    best
}

fn shout(s: &str) -> String {
    s.to_uppercase()
}

fn main() {
    let words = vec![String::from("ab"), String::from("abcd"), String::from("abc")];
    let l = longest(&words).cloned().unwrap_or_default();
    let loud = shout(&l);
    println!("{} {} {}", l, loud, words.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_longest() {
        let w = vec![String::from("x"), String::from("xyz")];
        assert_eq!(longest(&w).unwrap(), "xyz");
        assert_eq!(shout("ab"), "AB");
    }
}
