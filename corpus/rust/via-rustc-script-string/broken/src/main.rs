#[cfg(loud)]
fn label() -> String {
    "LOUD"
}

#[cfg(not(loud))]
fn label() -> String {
    String::from("quiet")
}

fn main() {
    println!("{}", label());
}
