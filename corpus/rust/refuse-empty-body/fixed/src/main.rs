mod words;

fn main() {
    let ws = ["fix", "compiler", "diagnostics"];
    println!("longest {}", words::longest(&ws));
}

#[cfg(test)]
mod tests {
    #[test]
    fn longest_word() {
        assert_eq!(super::words::longest(&["a", "abc", "ab"]), 3);
        assert_eq!(super::words::longest(&[]), 0);
    }
}
