pub fn span(lo: i32, hi: i32) -> i32 {
    hi - lo
}
