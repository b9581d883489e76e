unsafe fn danger() {}
pub fn f() { danger() }
