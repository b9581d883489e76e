fn total(v: Vec<i32>) -> i32 {
    v.iter().sum()
}

fn moved() -> i32 {
    let v = vec![1, 2, 3];
    let t = total(v);
    t + v.len() as i32
}

fn two_mut() -> String {
    let mut s = String::from("a");
    let first = &mut s;
    let second = &mut s;
    first.push('b');
    second.push('c');
    s
}

fn dangling() -> usize {
    let r;
    {
        let text = String::from("short-lived");
        r = &text;
    }
    r.len()
}

fn main() {
    let n = moved() + two_mut().len() as i32 + dangling() as i32;
    assert_eq!(n, 9 + 3 + 11);
    println!("ok {n}");
}
