fn make_greeting(name: &str) -> String {
    let mut s = String::from("hello, ");
    s.push_str(name);
    s
}

fn longest_line(text: &str) -> &str {
    text.lines().max_by_key(|l| l.len()).unwrap_or("")
}

fn main() {
    let g = make_greeting("fix");
    let text = "a\nlonger line\nmid";
    println!("{g} / {}", longest_line(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greet_and_lines() {
        assert_eq!(make_greeting("x"), "hello, x");
        assert_eq!(longest_line("a\nbbb\ncc"), "bbb");
    }
}
