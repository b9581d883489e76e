fn eat(_: String) {}
pub fn f() { let s = String::from("a"); let r = &s; eat(s); println!("{}", r); }
