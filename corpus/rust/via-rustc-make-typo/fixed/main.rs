fn main() {
    let greeting = String::from("hello");
    let count = greeting.len();
    println!("{} {}", greeting, count);
}
