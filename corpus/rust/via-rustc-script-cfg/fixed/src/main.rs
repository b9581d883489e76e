const BASE: u32 = 21;

#[cfg(fast)]
fn speed() -> u32 {
    BASE * 2
}

#[cfg(not(fast))]
fn speed() -> u32 {
    BASE
}

async fn ping() -> u32 {
    speed()
}

fn main() {
    let _ = ping();
    println!("{}", speed());
}
