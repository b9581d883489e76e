pub struct V(i32);
pub fn f(a: V, b: V) -> V { a + b }
