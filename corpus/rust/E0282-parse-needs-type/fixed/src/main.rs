fn parse_pair(s: &str) -> Result<(i32, i32), String> {
    let mut parts = s.split(',');
    let a = parts.next().ok_or("missing first")?.trim().parse::<i32>().map_err(|e| e.to_string())?;
    let b = parts.next().ok_or("missing second")?.trim().parse::<i32>().map_err(|e| e.to_string())?;
    Ok((a, b))
}

fn sum_pairs(lines: &[&str]) -> Result<i32, String> {
    let mut total = 0;
    for l in lines {
        let (a, b) = parse_pair(l)?;
        total += a + b;
    }
    Ok(total)
}

fn main() {
    match sum_pairs(&["1,2", "3, 4"]) {
        Ok(t) => println!("total {t}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_reports() {
        assert_eq!(sum_pairs(&["1,2", "3,4"]), Ok(10));
        assert!(sum_pairs(&["1"]).is_err());
        assert!(parse_pair("x,1").is_err());
    }
}
