fn total(v: &[u32]) -> u32 {
    v.iter().sum()
}

fn main() {
    let v = vec![4, 5, 6];
    let t = total(&v);
    println!("{} of {}", t, v.len());
}
