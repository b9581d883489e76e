extern "C" {
    fn add_all(v: *const i32, n: i32) -> i32;
}

fn main() {
    let v = [1, 2, 3, 4];
    let t = unsafe { add_all(v.as_ptr(), v.len() as i32) };
    println!("sum {}", t);
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        let v = [5, 6];
        assert_eq!(unsafe { super::add_all(v.as_ptr(), 2) }, 11);
    }
}
