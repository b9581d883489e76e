pub fn f() -> i32 { let x: i32 = "five"; x }
