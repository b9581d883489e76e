mod m { pub trait Shout { fn shout(&self) -> String; } impl Shout for str { fn shout(&self) -> String { self.to_uppercase() } } }
pub fn f() -> String { "a".shout() }
