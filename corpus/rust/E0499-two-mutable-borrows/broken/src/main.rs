#[derive(Debug)]
struct Account {
    owner: String,
    balance: i64,
}

impl Account {
    fn new(owner: &str) -> Self {
        Account { owner: owner.to_string(), balance: 0 }
    }

    fn deposit(&mut self, amount: i64) {
        self.balance += amount;
    }

    fn owner(&self) -> &str {
        &self.owner
    }
}

fn transfer(from: &mut Account, to: &mut Account, amount: i64) -> bool {
    if from.balance < amount {
        return false;
    }
    from.balance -= amount;
    to.balance += amount;
    true
}

fn main() {
    let mut a = Account::new("ann");
    let mut b = Account::new("bob");
    a.deposit(100);
    let ok = transfer(&mut a, &mut a, 30);
    let name = a.owner().to_string();
    a.deposit(1);
    println!("{ok} {name} {:?} {:?}", a, b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfers_when_covered() {
        let mut a = Account::new("a");
        let mut b = Account::new("b");
        a.deposit(10);
        assert!(!transfer(&mut a, &mut b, 20));
        assert!(transfer(&mut a, &mut b, 10));
        assert_eq!((a.balance, b.balance), (0, 10));
    }
}
