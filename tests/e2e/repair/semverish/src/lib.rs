//! A small version-requirement crate shaped like semver: parsing and display in their own modules.
mod display;
mod parse;

pub use display::join;
pub use parse::{parse_version, parts};

#[derive(Clone)]
pub struct Comparator {
    pub op: char,
    pub major: u64,
}

pub struct VersionReq {
    pub comparators: Vec<Comparator>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        assert_eq!(parse_version("12.3"), Some(12));
        assert_eq!(parts("1.2"), vec!["1", "2"]);
        assert_eq!(join(1, 2), "1.2");
        let req = VersionReq { comparators: vec![Comparator { op: '>', major: 1 }, Comparator { op: '<', major: 3 }] };
        assert_eq!(req.to_string(), ">1, <3");
        assert_eq!(req.to_string(), ">1, <3");
    }
}
