mod songs;

use songs::Song;

fn main() {
    let list = [
        Song { title: "intro", seconds: 95 },
        Song { title: "theme", seconds: 241 },
        Song { title: "coda", seconds: 64 },
    ];
    let t = songs::total_seconds(&list);
    println!("{} songs, {}:{:02}", songs::count(&list), t / 60, t % 60);
    println!("first: {}", list[0].title);
}

#[cfg(test)]
mod tests {
    use super::songs::{total_seconds, Song};

    #[test]
    fn sums_seconds() {
        let l = [Song { title: "a", seconds: 30 }, Song { title: "b", seconds: 45 }];
        assert_eq!(total_seconds(&l), 75);
    }
}
