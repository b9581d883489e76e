struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Self {
        Parser { input, pos: 0 }
    }

    fn next_word<'b>(&'b mut self) -> Option<&'a str> where 'a: 'b {
        let rest = &self.input[self.pos..];
        let rest_trim = rest.trim_start();
        if rest_trim.is_empty() {
            return None;
        }
        let start = self.pos + (rest.len() - rest_trim.len());
        let len = rest_trim.find(' ').unwrap_or(rest_trim.len());
        self.pos = start + len;
        let s: &'b str = &self.input[start..start + len];
        Some(s)
    }
}

fn pick<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.len() >= b.len() { a } else { b }
}

fn main() {
    let text = String::from("one two  three");
    let mut p = Parser::new(&text);
    let mut words = Vec::new();
    while let Some(w) = p.next_word() {
        words.push(w);
    }
    println!("{:?} {}", words, pick(words[0], words[2]));
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
