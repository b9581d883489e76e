pub trait T { fn a(&self); fn b(&self); }
pub struct S;
impl T for S { fn a(&self) {} }
