mod temps;

use temps::{average_valid, Reading};

fn main() {
    let day = [
        Reading { valid: true, celsius: 18.5 },
        Reading { valid: false, celsius: -99.0 },
        Reading { valid: true, celsius: 21.5 },
    ];
    match average_valid(&day) {
        Some(a) => println!("average {:.1}", a),
        None => println!("no readings"),
    }
}

#[cfg(test)]
mod tests {
    use super::temps::{average_valid, Reading};

    #[test]
    fn skips_invalid() {
        let rs = [Reading { valid: true, celsius: 10.0 }, Reading { valid: false, celsius: 50.0 }];
        assert_eq!(average_valid(&rs), Some(10.0));
        assert_eq!(average_valid(&[]), None);
    }
}
