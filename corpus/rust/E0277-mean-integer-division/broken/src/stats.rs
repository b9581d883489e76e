pub fn total(v: &[i32]) -> i32 {
    v.iter().sum()
}

pub fn mean(v: &[i32]) -> f64 {
    let sum: i32 = v.iter().sum();
    sum / v.len()
}
