mod text;

fn main() {
    println!("{}", text::width("four"));
}
