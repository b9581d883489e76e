fn main() {
    let greeting = String::from("hello");
    let count = greetng.len();
    println!("{} {}", greeting, count);
}
