pub fn f() -> usize { let café = "é€😀"; let n: i32 = café; n }
