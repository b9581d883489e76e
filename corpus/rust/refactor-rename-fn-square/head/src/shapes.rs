pub fn make_square(side: u32) -> (u32, u32) {
    (side, side)
}
