// Compiles native/add.c with the system C compiler (no crates: a plain Command).
use std::process::Command;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let obj = format!("{}/native.o", out);
    let ok = Command::new("cc")
        .args(["-O1", "-Wall", "-Werror=implicit-function-declaration", "-c", "native/add.c", "-o", &obj])
        .status()
        .expect("cc")
        .success();
    assert!(ok, "compiling native/add.c failed");
    let lib = format!("{}/libnative.a", out);
    assert!(Command::new("ar").args(["crs", &lib, &obj]).status().expect("ar").success());
    println!("cargo:rustc-link-search=native={}", out);
    println!("cargo:rustc-link-lib=static=native");
    println!("cargo:rerun-if-changed=native/add.c");
}
