pub enum E { A, B, C }
pub fn f(e: E) -> i32 { match e { E::A => 1, E::B => 2 } }
