pub fn combine(base: u32, step: u32) -> u32 {
    base + step
}
