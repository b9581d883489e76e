struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Self {
        Parser { input, pos: 0 }
    }

    fn next_word(&mut self) -> Option<&'a str> {
        let rest = &self.input[self.pos..];
        let rest_trim = rest.trim_start();
        if rest_trim.is_empty() {
            return None;
        }
        let start = self.pos + (rest.len() - rest_trim.len());
        let len = rest_trim.find(' ').unwrap_or(rest_trim.len());
        self.pos = start + len;
        Some(&self.input[start..start + len])
    }
}

fn pick<'a>(a: &'a str, b: &'a str) -> &'a String {
    if a.len() >= b.len() { a } else { b }
}

fn main() {
    let text = String::from("one two  three");
    let mut p = Parser::new(&text);
    let mut words = Vec::new();
    while let Some(w) = p.next_word() {
        words.push(w);
    }
    let first = &words[0];
    words[0] = "zero";
    println!("{:?} {} {first}", words, pick(words[0], words[2]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let mut p = Parser::new(" a bb ");
        assert_eq!(p.next_word(), Some("a"));
        assert_eq!(p.next_word(), Some("bb"));
        assert_eq!(p.next_word(), None);
        assert_eq!(pick("x", "yy"), "yy");
    }
}
