pub fn area(side: u32) -> u32 {
    side * side
}
