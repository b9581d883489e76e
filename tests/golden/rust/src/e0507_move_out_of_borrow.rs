pub struct S { name: String }
pub fn f(s: &S) -> String { s.name }
