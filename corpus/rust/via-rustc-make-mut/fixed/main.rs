fn sum(v: &[i32]) -> i32 {
    let mut total = 0;
    for x in v {
        total += x;
    }
    total
}

fn main() {
    let v = vec![1, 2, 3];
    println!("total {}", sum(&v));
}
