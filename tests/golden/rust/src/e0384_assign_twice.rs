pub fn f() -> i32 { let x = 1; x = 2; x }
