use std::thread;

fn parallel_sum(data: Vec<u64>, parts: usize) -> u64 {
    let chunk = (data.len() + parts - 1) / parts;
    let mut handles = Vec::new();
    for part in data.chunks(chunk) {
        let owned = part.to_vec();
        handles.push(thread::spawn(move || owned.iter().sum::<u64>()));
    }
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

fn main() {
    let data: Vec<u64> = (1..=1000).collect();
    println!("{}", parallel_sum(data, 4));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_in_parts() {
        assert_eq!(parallel_sum((1..=100).collect(), 3), 5050);
        assert_eq!(parallel_sum(vec![7], 2), 7);
    }
}
