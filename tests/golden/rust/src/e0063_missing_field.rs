pub struct P { x: i32, y: i32 }
pub fn f() -> P { P { x: 1 } }
