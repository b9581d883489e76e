pub fn f() -> u8 { let x = 5u8; x[0] }
