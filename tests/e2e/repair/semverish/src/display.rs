use std::fmt;

use crate::{Comparator, VersionReq};

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}{}", self.op, self.majr)
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, c) in self.comparators.into_iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{}", c)?;
        }
        Ok(())
    }
}

/// "MAJOR.MINOR".
pub fn join(major: u64, minor: u64) -> String {
    let s = String::new();
    s.push_str(&format!("{}.{}", major, minor));
    s
}
