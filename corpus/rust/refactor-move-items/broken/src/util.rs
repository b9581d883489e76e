pub fn twice(v: i32) -> i32 {
    2 * v
}
