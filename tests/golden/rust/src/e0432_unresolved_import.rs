use std::collections::HashMapp;
pub fn f() {}
