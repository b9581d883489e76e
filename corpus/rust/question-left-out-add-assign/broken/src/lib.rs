/// Where each word of `text` starts, found one after another.
pub fn word_starts(text: &str) -> Option<Vec<usize>> {
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        pos += next_word(&text[pos..]);
        starts.push(pos);
        pos += text[pos..].find(' ').unwrap_or(text.len() - pos);
    }
    Some(starts)
}

fn next_word(rest: &str) -> Option<usize> {
    rest.find(|c: char| c != ' ')
}

#[cfg(test)]
mod tests {
    #[test]
    fn starts() {
        assert_eq!(super::word_starts("ab  cd e"), Some(vec![0, 4, 7]));
        assert_eq!(super::word_starts("ab   "), None);
    }
}
