pub struct Rect {
    pub w: u32,
    pub h: u32,
}

impl Rect {
    pub fn area(&self) -> u32 {
        self.w * self.h
    }
}
