pub fn span(lo: i32, hi: i32) -> i32 {
    hi - lo
}

pub struct Range {
    pub lo: i32,
    pub hi: i32,
}

pub fn clamp(r: &Range, v: i32) -> i32 {
    v.max(r.lo).min(r.hi)
}
