fn add(a: i32, b: i32) -> i32 { a + b }
pub fn f() -> i32 { add(1) }
