#[cfg(loud)]
fn label() -> String {
    "LOUD".to_string()
}

#[cfg(not(loud))]
fn label() -> String {
    String::from("quiet")
}

fn main() {
    println!("{}", label());
}
