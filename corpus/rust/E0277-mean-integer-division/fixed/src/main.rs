mod stats;

fn main() {
    let scores = [70, 85, 90, 96];
    println!("total {}", stats::total(&scores));
    println!("mean {:.2}", stats::mean(&scores));
}

#[cfg(test)]
mod tests {
    use super::stats;

    #[test]
    fn mean_of_scores() {
        assert_eq!(stats::total(&[70, 85, 90, 96]), 341);
        assert_eq!(stats::mean(&[70, 85, 90, 96]), 85.25);
    }
}
