fn main() {
    let words = vec!["a", "bb"];
    let n = words.iter().map(|w| w.lenn()).sum::<usize>();
    println!("{}", n);
}

#[cfg(test)]
mod tests {
    #[test]
    fn ok() {}
}
