pub fn f() -> &'static str { let s = String::from("x"); &s }
