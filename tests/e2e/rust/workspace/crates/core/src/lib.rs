pub struct Account {
    pub owner: String,
    pub balance: i64,
}

pub fn deposit(acct: &mut Account, amount: i64) -> i64 {
    acct.balance += amount;
    acct.balance
}
