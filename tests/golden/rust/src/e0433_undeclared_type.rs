pub fn f() -> usize { let m: HashMap<i32, i32> = HashMap::new(); m.len() }
