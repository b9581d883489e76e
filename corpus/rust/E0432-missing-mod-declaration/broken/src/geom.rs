#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    pub fn dist(&self, o: &Point) -> f64 {
        ((self.x - o.x).powi(2) + (self.y - o.y).powi(2)).sqrt()
    }
}

pub fn perimeter(pts: &[Point]) -> f64 {
    let n = pts.len();
    (0..n).map(|i| pts[i].dist(&pts[(i + 1) % n])).sum()
}
