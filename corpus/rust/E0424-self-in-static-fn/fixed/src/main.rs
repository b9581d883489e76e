struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    fn identity(n: usize) -> Matrix {
        let mut m = Matrix { rows: n, cols: n, data: vec![0.0; n * n] };
        for i in 0..n {
            m.data[i * n + i] = 1.0;
        }
        m
    }

    fn get(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    fn mul(&self, o: &Matrix) -> Matrix {
        let mut out = Matrix { rows: self.rows, cols: o.cols, data: vec![0.0; self.rows * o.cols] };
        for r in 0..self.rows {
            for c in 0..o.cols {
                let mut s = 0.0;
                for k in 0..self.cols {
                    s += self.get(r, k) * o.get(k, c);
                }
                out.data[r * o.cols + c] = s;
            }
        }
        out
    }
}

fn main() {
    let a = Matrix { rows: 2, cols: 2, data: vec![1.0, 2.0, 3.0, 4.0] };
    let b = a.mul(&Matrix::identity(2));
    println!("{:?} {}", b.data, a.rows);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplies() {
        let a = Matrix { rows: 1, cols: 2, data: vec![1.0, 2.0] };
        let b = Matrix { rows: 2, cols: 1, data: vec![3.0, 4.0] };
        assert_eq!(a.mul(&b).data, vec![11.0]);
        assert_eq!(Matrix::identity(1).mul(&a.mul(&b)).data, vec![11.0]);
    }
}
