pub struct P;
pub fn f() -> String { format!("{}", P) }
