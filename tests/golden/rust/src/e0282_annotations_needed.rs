pub fn f() { let v = Vec::new(); let _ = v.len(); }
