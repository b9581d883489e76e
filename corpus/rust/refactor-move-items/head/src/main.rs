mod range;
mod util;

use util::{clamp, twice, Range};

fn both() -> i32 {
    let r = Range { lo: 0, hi: 10 };
    clamp(&r, 42) + twice(3) + range::span(1, 2)
}

fn main() {
    println!("{}", both());
}

#[cfg(test)]
mod tests {
    #[test]
    fn both() {
        assert_eq!(super::both(), 17);
    }
}
