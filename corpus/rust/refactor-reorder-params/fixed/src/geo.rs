pub fn scale(factor: u32, name: &str) -> String {
    name.repeat(factor as usize)
}
