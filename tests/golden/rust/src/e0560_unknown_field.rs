pub struct P { x: i32 }
pub fn f() -> P { P { x: 1, z: 2 } }
