use std::fmt;

#[derive(Clone, Copy, PartialEq, Debug)]
struct Money {
    cents: i64,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "${}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money { cents: self.cents + o.cents }
    }
}

fn total(items: &[Money]) -> Money {
    items.iter().fold(Money { cents: 0 }, |a, b| a + *b)
}

fn main() {
    let t = total(&[Money { cents: 150 }, Money { cents: 275 }]);
    println!("{t}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_and_prints() {
        let t = total(&[Money { cents: 5 }, Money { cents: 100 }]);
        assert_eq!(t, Money { cents: 105 });
        assert_eq!(t.to_string(), "$1.05");
    }
}
