fn longest(a: &str, b: &str) -> &str {
    if a.len() >= b.len() { a } else { b }
}

fn main() {
    let mut counts = HashMap::new();
    counts.insert("a", 1);
    let mut label = String::from("x");
    label.push_strr("y");
    let total = counts.len() + lable.len();
    assert_eq!(total, 3);
    println!("{}", longest("ab", "c"));
}
