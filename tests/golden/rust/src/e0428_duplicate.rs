pub struct A;
pub struct A;
