#[derive(Debug, PartialEq, Clone, Copy)]
enum Token {
    Num(i64),
    Plus,
    Minus,
}

fn lex(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut num: Option<i64> = None;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            num = Some(num.unwrap_or(0) * 10 + d as i64);
            continue;
        }
        if let Some(n) = num.take() {
            out.push(Token::Num(n));
        }
        match c {
            '+' => out.push(Token::Plus),
            '-' => out.push(Token::Minus),
            _ => {}
        }
    }
    if let Some(n) = num {
        out.push(Token::Num(n));
    }
    out
}

fn eval(tokens: &[Token]) -> i64 {
    let mut total = 0;
    let mut sign = 1;
    for t in tokens {
        match t {
            Token::Num(n) => total += sign * n,
            Token::Plus => sign = 1,
            Token::Minus => sign = -1,
        }
    }
    total
}

fn main() {
    println!("{}", eval(&lex("12 + 30 - 2")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates() {
        assert_eq!(eval(&lex("1+2-10")), -7);
        assert_eq!(lex("7"), vec![Token::Num(7)]);
    }
}
