//! Records, for [`shootout_lab::build`](src/build.rs), the compiler's version (the report's
//! machine line) and the workspace's directory (where python/ and .venv live).

use std::path::Path;
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc (version unknown)".to_owned());
    println!("cargo:rustc-env=SHOOTOUT_RUSTC={version}");
    // This crate is crates/lab, two levels below the workspace's root.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    println!("cargo:rustc-env=SHOOTOUT_WORKSPACE={}", root.display());
    println!("cargo:rerun-if-env-changed=RUSTC");
    println!("cargo:rerun-if-changed=build.rs");
}
