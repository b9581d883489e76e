/// The end of the run of digits that starts at `pos`.
pub fn numeric_identifier(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = pos;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    end
}

/// The major version of "MAJOR.MINOR".
pub fn parse_version(text: &str) -> Option<u64> {
    let pos = 0;
    let end = numeric_identifier(text);
    if end == pos {
        return None;
    }
    let major = text[pos..end].parse().ok()?;
    pos = end;
    if pos < text.len() && text.as_bytes()[pos] != b'.' {
        return None;
    }
    Some(major)
}

/// The dot-separated parts of `text`.
pub fn parts(text: &str) -> Vec<&str> {
    let out = Vec::new();
    for p in text.split('.') {
        out.push(p);
    }
    out
}
