pub struct Reading {
    pub valid: bool,
    pub celsius: f64,
}

pub fn average_valid(rs: &[Reading]) -> Option<f64> {
    let valid: Vec<f64> = rs.iter().filter(|r| r.valid).map(|r| r.celsius).collect();
    if valid.is_empty() {
        return 0.0;
    }
    Some(valid.iter().sum::<f64>() / valid.len() as f64)
}
