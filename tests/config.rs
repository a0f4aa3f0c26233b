//! End-to-end tests of `statlint.toml` (issue 5): discovery, select/ignore/severity/fail-on,
//! rule directories and globs relative to the file, per-file ignores, and every mistake in it
//! reported with a span, exit 2, before any document is read.

mod common;

use common::statlint;
use std::fs;
use std::path::Path;

const AMOUNT: &str = "止付涉诈资金8亿余万元。\n";
const STAFF: &str = "全市889个行政村已配备驻村辅警901人。\n";

fn write(dir: &Path, name: &str, contents: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = statlint()
        .current_dir(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

/// `path rule severity` of each concise line.
fn summary(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            let (path, rest) = l.split_once(':').unwrap();
            let severity_rule = rest.splitn(3, ':').nth(2).unwrap().trim();
            let head = severity_rule.split(' ').next().unwrap();
            format!("{path} {head}")
        })
        .collect()
}

#[test]
fn select_ignore_severity_and_fail_on_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.txt", &format!("{AMOUNT}{STAFF}"));
    write(
        root,
        "statlint.toml",
        r#"select = ["malformed-amount", "staff"]
[severity]
staff-exceeds-villages = "warning"
"#,
    );
    let (stdout, _, code) = run(root, &["a.txt"]);
    assert_eq!(
        summary(&stdout),
        [
            "a.txt error[malformed-amount]",
            "a.txt warning[staff-exceeds-villages]"
        ]
    );
    assert_eq!(code, 1);
    // Found from a subdirectory too.
    fs::create_dir(root.join("sub")).unwrap();
    let (stdout, _, _) = run(&root.join("sub"), &["../a.txt"]);
    assert_eq!(summary(&stdout).len(), 2, "{stdout}");
    // Only the warning: exit 0 at the default fail-on, 1 with `fail-on = "warning"`.
    let (_, _, code) = run(root, &["--ignore", "malformed", "a.txt"]);
    assert_eq!(code, 0);
    write(
        root,
        "statlint.toml",
        r#"select = ["malformed-amount", "staff"]
ignore = ["malformed-amount"]
fail-on = "warning"
[severity]
staff = "warning"
"#,
    );
    let (stdout, _, code) = run(root, &["a.txt"]);
    assert_eq!(summary(&stdout), ["a.txt warning[staff-exceeds-villages]"]);
    assert_eq!(code, 1);
    // The command line wins over the file.
    let (_, _, code) = run(root, &["--fail-on", "error", "a.txt"]);
    assert_eq!(code, 0);
    let (stdout, _, _) = run(root, &["--select", "malformed-amount", "a.txt"]);
    assert_eq!(stdout, "", "config ignore still applies to --select");
}

#[test]
fn rule_dirs_globs_and_per_file_ignores_are_relative_to_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "team/rules/team.toml",
        r#"[[rule]]
id = "team-staff-limit"
summary = "驻村辅警不超过100人"
explanation = "本市规定。"
facts.staff = '驻村辅警(?P<v>{num})人'
assert = "staff <= 100"
message = "驻村辅警{staff}人，超过100人"
"#,
    );
    write(
        root,
        "team/statlint.toml",
        r#"rule-dirs = ["rules"]
select = ["malformed-amount", "team"]
include = ["bulletins/"]
exclude = ["*.draft.txt"]
[per-file-ignores]
"bulletins/archive/**" = ["malformed"]
"#,
    );
    for name in [
        "team/bulletins/a.txt",
        "team/bulletins/b.draft.txt",
        "team/bulletins/archive/old.txt",
        "team/notes/c.txt",
    ] {
        write(root, name, &format!("{AMOUNT}{STAFF}"));
    }
    let config = root.join("team/statlint.toml");
    let (stdout, stderr, code) = run(root, &["--config", config.to_str().unwrap(), "team"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        summary(&stdout),
        [
            "team/bulletins/a.txt error[malformed-amount]",
            "team/bulletins/a.txt error[team-staff-limit]",
            "team/bulletins/archive/old.txt error[team-staff-limit]",
        ]
    );
    // A named file is checked whatever `include` says, but `exclude` still applies (so a
    // pre-commit hook, which names files, honours it).
    let (stdout, _, _) = run(
        &root.join("team"),
        &["notes/c.txt", "bulletins/b.draft.txt"],
    );
    assert_eq!(
        summary(&stdout),
        [
            "notes/c.txt error[malformed-amount]",
            "notes/c.txt error[team-staff-limit]"
        ]
    );
}

#[test]
fn unknown_key_is_an_error_with_a_span() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", AMOUNT);
    write(
        dir.path(),
        "statlint.toml",
        "select = [\"malformed-amount\"]\nfail_on = \"error\"\n",
    );
    let (stdout, stderr, code) = run(dir.path(), &["a.txt"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty(), "no report: {stdout}");
    assert!(stderr.contains("unknown field `fail_on`"), "{stderr}");
    assert!(
        stderr.contains("statlint.toml:2:1]"),
        "points at the key: {stderr}"
    );
    assert!(stderr.contains("fail-on"), "lists the keys: {stderr}");
}

#[test]
fn unknown_rule_ids_are_all_errors_with_spans() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", AMOUNT);
    write(
        dir.path(),
        "statlint.toml",
        r#"ignore = ["malformed-amout"]
[severity]
sta = "warning"
[per-file-ignores]
"x/**" = ["no-such-rule"]
"#,
    );
    let (stdout, stderr, code) = run(dir.path(), &["a.txt"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    for (id, at) in [
        ("malformed-amout", "statlint.toml:1:11]"),
        ("sta", "statlint.toml:3:1]"),
        ("no-such-rule", "statlint.toml:5:11]"),
    ] {
        assert!(
            stderr.contains(&format!("unknown rule `{id}`")),
            "{id}: {stderr}"
        );
        assert!(stderr.contains(at), "{id} at {at}: {stderr}");
    }
}

#[test]
fn bad_values_and_missing_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", AMOUNT);
    write(dir.path(), "statlint.toml", "fail-on = \"fatal\"\n");
    let (_, stderr, code) = run(dir.path(), &["a.txt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown fail-on level `fatal`"), "{stderr}");
    assert!(stderr.contains("statlint.toml:1:11]"), "{stderr}");

    write(dir.path(), "statlint.toml", "rule-dirs = [\"nowhere\"]\n");
    let (_, stderr, code) = run(dir.path(), &["a.txt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("does not exist"), "{stderr}");

    let (_, stderr, code) = run(dir.path(), &["--config", "missing.toml", "a.txt"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("missing.toml: cannot read the configuration"),
        "{stderr}"
    );

    let (_, stderr, code) = run(
        dir.path(),
        &["--config", "/dev/null", "--select", "nope", "a.txt"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown rule `nope`"), "{stderr}");
}
