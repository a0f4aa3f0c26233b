//! Embeds the standard rule pack (`rules/*.toml`, lexicons excluded) into the binary, so an
//! installed `statlint` works with no files beside it.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("rules");
    println!("cargo::rerun-if-changed=rules");
    let mut files: Vec<String> = fs::read_dir(dir)
        .expect("rules/ exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml") && !name.starts_with("lexicon"))
        .collect();
    files.sort();
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::from("&[\n");
    for name in files {
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            format!("{root}/rules/{name}")
        ));
    }
    out.push_str("]\n");
    let dest =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("standard_pack.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
