pub fn f() { let r: &String; r = &String::from("t"); println!("{}", r); }
