//! `check` prints each file's report as soon as every earlier file's report is printed, and
//! several threads check files at once, finishing in any order (issue 7). Whatever the threads
//! do, every output must be the bytes a one-thread run prints, with the files in input
//! (sorted) order: here 50 files built from the fixtures, some Markdown with a suppression that
//! suppresses nothing, some too large to check, in every format and mode of `check`.

mod common;

use common::{fixture, outcome, statlint};
use std::fs;
use std::path::{Path, PathBuf};

/// `--max-file-size` that refuses the padded files and no other.
const LIMIT: &str = "16K";

/// Files `NNN-name.txt` from the fixtures, in turn: every seventh a Markdown copy with a
/// suppression comment that suppresses nothing (an `unused-suppression` finding), every
/// eleventh padded past [`LIMIT`]. Returns the directory and the names in sorted order.
fn corpus() -> (tempfile::TempDir, Vec<String>) {
    let mut fixtures: Vec<PathBuf> = ["", "constructed", "seed-variants"]
        .iter()
        .flat_map(|dir| fs::read_dir(fixture(dir)).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 20, "{fixtures:?}");
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for i in 0..50 {
        let source = &fixtures[i % fixtures.len()];
        let mut text = fs::read_to_string(source).unwrap();
        let stem = source.file_stem().unwrap().to_str().unwrap();
        let name = if i % 7 == 3 {
            text = format!("<!-- statlint-disable-next-line impossible-date -->\n{text}");
            format!("{i:03}-{stem}.md")
        } else {
            format!("{i:03}-{stem}.txt")
        };
        if too_large(i) {
            text = text.repeat(16 * 1024 / text.len() + 1);
        }
        fs::write(dir.path().join(&name), text).unwrap();
        names.push(name);
    }
    (dir, names)
}

/// Whether file `i` of [`corpus`] is padded past [`LIMIT`].
fn too_large(i: usize) -> bool {
    i % 11 == 5
}

/// stdout, stderr and exit code of `check --threads N ARGS .` in `dir`.
fn run(dir: &Path, threads: usize, args: &[&str]) -> (String, String, i32) {
    let output = statlint()
        .current_dir(dir)
        .args([
            "check",
            "--color",
            "never",
            "--threads",
            &threads.to_string(),
        ])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    outcome(output)
}

#[test]
fn every_format_prints_the_same_bytes_on_one_thread_and_on_four() {
    let (dir, names) = corpus();
    let dir = dir.path();
    let baseline = dir.join("accepted.json");
    let written = run(dir, 1, &["--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(written.2, 0, "{}", written.1);
    let accepted = fs::read(&baseline).unwrap();
    let again = run(
        dir,
        4,
        &["--write-baseline", baseline.to_str().unwrap(), "--force"],
    );
    assert_eq!((again.2, &again.0), (0, &String::new()), "{}", again.1);
    assert_eq!(fs::read(&baseline).unwrap(), accepted, "--write-baseline");
    // Accept the findings of the first files only, so that the rest are reported.
    let mut json: serde_json::Value = serde_json::from_slice(&accepted).unwrap();
    json["findings"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"].as_str().unwrap() < "020");
    fs::write(&baseline, json.to_string()).unwrap();

    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "concise", "json", "sarif", "github"] {
        runs.push(vec!["--format", format]);
        runs.push(vec!["--format", format, "--max-file-size", LIMIT]);
    }
    for format in ["human", "json", "sarif"] {
        runs.push(vec!["--format", format, "--baseline", "accepted.json"]);
    }
    runs.push(vec!["--format", "json", "--strict"]);
    runs.push(vec!["--statistics"]);
    runs.push(vec!["--statistics", "--format", "json", "--strict"]);
    runs.push(vec!["--quiet", "--fail-on", "warning"]);
    runs.push(vec!["--exit-zero", "--format", "concise"]);
    for args in &runs {
        let one = run(dir, 1, args);
        let four = run(dir, 4, args);
        assert_eq!(one, four, "check {args:?}");
        assert!(!one.0.is_empty(), "check {args:?} prints nothing");
    }
    let (concise, _, _) = run(dir, 4, &["--format", "concise"]);
    assert!(
        concise.contains(".md:1:1: warning[unused-suppression]"),
        "{concise}"
    );

    // The order is the sorted input order, load failures included, not the order of finishing.
    let (out, err, code) = run(dir, 4, &["--format", "json", "--max-file-size", LIMIT]);
    assert_eq!(code, 2, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Files that could not be checked are listed too, in their place, with their errors
    // (issue 18): the checked ones are those without.
    let printed: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["errors"].as_array().is_some_and(|e| e.is_empty()))
        .map(|f| f["path"].as_str().unwrap().trim_start_matches("./"))
        .collect();
    let checked: Vec<&str> = (0..names.len())
        .filter(|&i| !too_large(i))
        .map(|i| names[i].as_str())
        .collect();
    assert_eq!(printed, checked);
    let mut at = 0;
    for name in (0..names.len())
        .filter(|&i| too_large(i))
        .map(|i| &names[i])
    {
        let found = err[at..].find(name.as_str());
        at += found.unwrap_or_else(|| panic!("{name} not refused in order: {err}")) + name.len();
    }
    assert_eq!(json["summary"]["files"], checked.len());
}
