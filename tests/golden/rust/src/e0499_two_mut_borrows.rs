pub fn f() { let mut s = String::new(); let a = &mut s; let b = &mut s; a.push('x'); b.push('y'); }
