mod m { fn hidden() {} }
pub fn f() { m::hidden() }
