use std::ffi::CString;

extern "C" {
    fn text_len(s: *const std::os::raw::c_char) -> u64;
}

fn main() {
    let s = CString::new("seven!!").unwrap();
    println!("{}", unsafe { text_len(s.as_ptr()) });
}

#[cfg(test)]
mod tests {
    #[test]
    fn length() {
        let s = std::ffi::CString::new("abc").unwrap();
        assert_eq!(unsafe { super::text_len(s.as_ptr()) }, 3);
    }
}
