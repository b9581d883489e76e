pub fn f() -> i32 { let counter = 1; countr + counter }
