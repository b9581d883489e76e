pub fn f() { let mut s = String::new(); s.push_strr("x"); }
