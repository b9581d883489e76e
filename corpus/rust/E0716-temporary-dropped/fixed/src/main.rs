fn first_word(s: &str) -> &str {
    s.split(' ').next().unwrap_or("")
}

fn initials(names: &[&str]) -> String {
    names.iter().filter_map(|n| n.chars().next()).collect()
}

fn main() {
    let sentence = String::from("hello brave world");
    let w = first_word(&sentence);
    let i = initials(&["ada", "bob"]);
    println!("{w} {i}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(first_word("a b"), "a");
        assert_eq!(first_word(""), "");
        assert_eq!(initials(&["x", "yz"]), "xy");
    }
}
