pub trait T { fn go(&self, x: i32); }
pub struct S;
impl T for S { fn go(&self, x: u32) {} }
