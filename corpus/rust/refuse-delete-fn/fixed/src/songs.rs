pub struct Song {
    pub title: &'static str,
    pub seconds: u32,
}

pub fn count(songs: &[Song]) -> usize {
    songs.len()
}

pub fn total_seconds(songs: &[Song]) -> u32 {
    let mut t = 0;
    for s in songs {
        t += s.seconds;
    }
    t
}
