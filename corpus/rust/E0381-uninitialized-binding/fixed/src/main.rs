const LIMIT: u32 = 100;

fn collatz_len(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
        if steps > LIMIT * 10 {
            break;
        }
    }
    steps
}

fn longest_below(limit: u64) -> (u64, u32) {
    let mut best = (1, 0);
    for n in 1..limit {
        let l = collatz_len(n);
        if l > best.1 {
            best = (n, l);
        }
    }
    best
}

fn main() {
    let mut total = 0u64;
    let (n, l) = longest_below(LIMIT as u64);
    total += n;
    let shown = total;
    println!("{n} {l} {shown}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(collatz_len(1), 0);
        assert_eq!(collatz_len(6), 8);
        assert_eq!(longest_below(10), (9, 19));
    }
}
