pub fn surface(side: u32) -> u32 {
    side * side
}
