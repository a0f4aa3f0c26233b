//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn statlint() -> Command {
    let mut cmd = Command::cargo_bin("statlint").expect("the statlint binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

pub fn seed_text() -> String {
    std::fs::read_to_string(fixture("xianning-725-campaign.txt")).unwrap()
}

/// stdout, stderr (both UTF-8) and exit code of a finished run.
pub fn outcome(output: std::process::Output) -> (String, String, i32) {
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

/// Run `statlint check --format json` and return the parsed report and the exit code.
pub fn check_json(args: &[&str]) -> (serde_json::Value, i32) {
    let output = statlint()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("statlint runs");
    let code = output.status.code().expect("statlint exits normally");
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (json, code)
}

/// `rule<TAB>label text…` lines of a file's findings, labels in source order, sorted.
pub fn finding_lines(file: &serde_json::Value, text: &str) -> Vec<String> {
    let mut lines: Vec<String> = file["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            let mut line = f["rule"].as_str().unwrap().to_string();
            for label in f["labels"].as_array().unwrap() {
                line.push('\t');
                line.push_str(span_text(text, &label["span"]));
            }
            line
        })
        .collect();
    lines.sort();
    lines
}

/// The text a JSON span (`{"start", "end", …}`, byte offsets) covers in `text`.
pub fn span_text<'t>(text: &'t str, span: &serde_json::Value) -> &'t str {
    let offset = |key: &str| span[key].as_u64().expect("span offsets are numbers") as usize;
    &text[offset("start")..offset("end")]
}

/// Whether `stderr` says `want`, ignoring where miette wrapped the message (it wraps at the
/// terminal width, and temporary paths are long).
pub fn says(stderr: &str, want: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    squash(stderr).contains(&squash(want))
}
