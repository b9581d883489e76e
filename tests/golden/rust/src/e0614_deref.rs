pub fn f() -> u32 { let x = 5u32; *x }
