pub fn f() -> usize { let v = vec![1]; let w = v; println!("{:?}", w); v.len() }
