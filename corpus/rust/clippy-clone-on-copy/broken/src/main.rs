#[derive(Debug, Clone, Copy, PartialEq)]
struct P {
    x: i32,
    y: i32,
}

fn shift(points: &[P], dx: i32) -> Vec<P> {
    points.iter().map(|p| { let q = p.clone(); P { x: q.x + dx, y: q.y } }).collect()
}

fn total_x(points: &[P]) -> i32 {
    points.iter().map(|p| p.x).sum()
}

fn main() {
    let pts = vec![P { x: 1, y: 2 }, P { x: 3, y: 4 }];
    let moved = shift(&pts, 10);
    println!("{:?} {}", moved, total_x(&moved));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts() {
        let m = shift(&[P { x: 0, y: 0 }], 2);
        assert_eq!(m, vec![P { x: 2, y: 0 }]);
        assert_eq!(total_x(&m), 2);
    }
}
