pub struct P { x: i32 }
pub fn f(p: P) -> i32 { p.y }
