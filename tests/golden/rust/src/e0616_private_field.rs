mod m { pub struct S { secret: i32 } impl S { pub fn new() -> S { S { secret: 1 } } } }
pub fn f() -> i32 { m::S::new().secret }
