use std::str::FromStr;

#[derive(Debug, PartialEq)]
struct Rgb(u8, u8, u8);

impl FromStr for Rgb {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.strip_prefix('#').ok_or("no #")?;
        if s.len() != 6 {
            return Err(s.len());
        }
        let p = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string());
        Ok(Rgb(p(0)?, p(2)?, p(4)?))
    }
}

fn main() {
    let c = Rgb::from_str("#ff8000").unwrap();
    let d: Result<Rgb, _> = "#12".parse();
    println!("{:?} {:?}", c, d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex() {
        assert_eq!("#0a0b0c".parse::<Rgb>(), Ok(Rgb(10, 11, 12)));
        assert!("0a0b0c".parse::<Rgb>().is_err());
    }
}
