pub fn f(v: Vec<u8>) -> u32 { v as u32 }
