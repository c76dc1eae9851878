//! Rebuilds the crate when a translation changes: `load_locales!` (src/i18n.rs) reads
//! locales/*/*.json at compile time, and a macro cannot tell Cargo what it read.

fn main() {
    println!("cargo::rerun-if-changed=locales");
}
