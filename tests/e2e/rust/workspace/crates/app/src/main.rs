use core_lib::{deposit, Account};

fn main() {
    let acct = Account { owner: "ann".to_string(), balance: 10 };
    let now = deposit(&mut acct, 5, "memo");
    assert_eq!(now, 15);
    println!("{} has {}", acct.owner, now);
}
