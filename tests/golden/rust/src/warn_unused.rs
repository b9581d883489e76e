pub fn f() -> i32 { let unused = 3; let mut m = 4; m }
