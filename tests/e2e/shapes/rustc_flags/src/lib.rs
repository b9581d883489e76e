pub const BASE: u32 = 21;

pub async fn ping() -> u32 {
    BASE
}

#[cfg(fast)]
pub fn speed() -> u32 { BSE * 2 }

#[cfg(not(fast))]
pub fn speed() -> u32 { BASE }
