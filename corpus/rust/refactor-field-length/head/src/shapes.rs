pub struct Rect {
    pub len: u32,
    pub h: u32,
}

impl Rect {
    pub fn area(&self) -> u32 {
        self.len * self.h
    }
}
