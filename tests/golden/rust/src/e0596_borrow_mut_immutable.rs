pub fn f() { let v = Vec::new(); v.push(1); let _ = v; }
