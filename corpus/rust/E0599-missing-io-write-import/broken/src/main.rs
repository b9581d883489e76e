use std::fmt::Write as _;
use std::io;

fn render(rows: &[(String, u32)]) -> String {
    let mut out = String::new();
    for (k, v) in rows {
        writeln!(out, "{k:<8}{v:>4}").unwrap();
    }
    out
}

fn emit(text: &str) -> io::Result<()> {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(text.as_bytes())?;
    lock.flush()
}

fn main() -> io::Result<()> {
    let rows = vec![("apples".to_string(), 3), ("pears".to_string(), 12)];
    emit(&render(&rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_columns() {
        let r = render(&[("a".to_string(), 1)]);
        assert_eq!(r, "a          1\n");
    }
}
