//! End-to-end test of the baseline (issue 5): write it, edit an unrelated paragraph (nothing
//! new), change a figure (exactly one new finding); never overwritten without `--force`.

mod common;

use common::statlint;
use std::fs;
use std::path::Path;

const BULLETIN: &str = "咸宁公安通报

经查，止付涉诈资金8亿余万元。

全市889个行政村已配备驻村辅警901人。
";

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = statlint()
        .current_dir(dir)
        .args([
            "check",
            "--format",
            "concise",
            "--select",
            "malformed-amount,staff-exceeds-villages",
        ])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("bulletins")).unwrap();
    let doc = root.join("bulletins/a.txt");
    fs::write(&doc, BULLETIN).unwrap();

    let (stdout, stderr, code) = run(root, &["--write-baseline", "baseline.json", "bulletins"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(stderr.contains("wrote 2 finding(s)"), "{stderr}");
    let written = fs::read_to_string(root.join("baseline.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["findings"][0]["path"], "bulletins/a.txt");
    assert!(
        !written.contains("\"line\""),
        "keyed by text, not lines: {written}"
    );

    // Never overwritten without --force, and left as it was.
    let (_, stderr, code) = run(root, &["--write-baseline", "baseline.json", "bulletins"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("baseline.json")).unwrap(),
        written
    );

    let (stdout, _, code) = run(root, &["--baseline", "baseline.json", "bulletins"]);
    assert_eq!((code, stdout.as_str()), (0, ""));

    // An unrelated paragraph is added above both findings: nothing new. The baseline is found
    // by path relative to itself, so another working directory and path spelling work too.
    fs::write(
        &doc,
        BULLETIN.replace(
            "\n\n经查",
            "\n\n今年以来，全市公安机关持续开展专项行动。\n\n经查",
        ),
    )
    .unwrap();
    let baseline = root.join("baseline.json");
    let (stdout, stderr, code) = run(
        &root.join("bulletins"),
        &["--baseline", baseline.to_str().unwrap(), "a.txt"],
    );
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("2 finding(s) recorded in the baseline"),
        "{stderr}"
    );

    // A figure changes: exactly that finding is new.
    let edited = fs::read_to_string(&doc).unwrap().replace("901人", "902人");
    fs::write(&doc, edited).unwrap();
    let (stdout, _, code) = run(root, &["--baseline", "baseline.json", "bulletins"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(
        lines[0].starts_with("bulletins/a.txt:7:17: error[staff-exceeds-villages] 驻村辅警902人"),
        "{stdout}"
    );

    // --force replaces it: now nothing is new.
    let (_, _, code) = run(
        root,
        &["--write-baseline", "baseline.json", "--force", "bulletins"],
    );
    assert_eq!(code, 0);
    let (stdout, _, code) = run(root, &["--baseline", "baseline.json", "bulletins"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn a_run_that_cannot_read_a_file_writes_no_baseline() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), BULLETIN).unwrap();
    let (_, _, code) = run(
        dir.path(),
        &["--write-baseline", "b.json", "a.txt", "missing.txt"],
    );
    assert_eq!(code, 2);
    assert!(!dir.path().join("b.json").exists());
}

#[test]
fn an_invalid_baseline_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), BULLETIN).unwrap();
    fs::write(dir.path().join("b.json"), "[]").unwrap();
    let (stdout, stderr, code) = run(dir.path(), &["--baseline", "b.json", "a.txt"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("b.json: not a statlint baseline"),
        "{stderr}"
    );
}
