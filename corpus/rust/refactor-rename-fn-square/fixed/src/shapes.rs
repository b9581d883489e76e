pub fn square(side: u32) -> (u32, u32) {
    (side, side)
}
