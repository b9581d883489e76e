pub fn scale(name: &str, factor: u32) -> String {
    name.repeat(factor as usize)
}
