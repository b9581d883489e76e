pub fn f(x: Strng) -> usize { x.len() }
