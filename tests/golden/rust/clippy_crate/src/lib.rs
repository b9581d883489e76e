pub fn sum(v: &Vec<i32>) -> i32 {
    let mut total = 0;
    for i in 0..v.len() {
        total += v[i];
    }
    return total;
}

pub fn is_empty(s: &String) -> bool {
    s.len() == 0
}

pub fn clone_it(x: &i32) -> i32 {
    x.clone()
}
