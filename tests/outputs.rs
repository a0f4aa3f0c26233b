//! Outputs a CI and a person read (issue 18): a file that could not be checked is in every
//! machine format, SARIF carries what code scanning uses, `--output-file`, `--statistics` beside
//! a machine format, colour from the environment, width, the Chinese frame, and the commands
//! that explain rules.

mod common;

use common::{outcome, statlint};
use serde_json::Value;
use std::fs;
use std::path::Path;

const BAD: &str = "咸宁公安通报\n\n经查，止付涉诈资金8亿余万元。\n";

/// A directory with a bulletin with one finding (`a.txt`) and a file that cannot be checked
/// (`b.doc`).
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), BAD).unwrap();
    fs::write(
        dir.path().join("b.doc"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    )
    .unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    outcome(
        statlint()
            .current_dir(dir)
            .args(["check"])
            .args(args)
            .output()
            .unwrap(),
    )
}

#[test]
fn a_file_that_could_not_be_checked_is_in_every_machine_format() {
    let dir = setup();
    let (stdout, stderr, code) = run(dir.path(), &["--format", "json", "a.txt", "b.doc"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("b.doc"), "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let failed = &json["files"][1];
    assert_eq!(failed["path"], "b.doc");
    assert_eq!(failed["encoding"], Value::Null);
    assert_eq!(failed["findings"], Value::Array(Vec::new()));
    assert_eq!(failed["errors"][0]["reason"], "unsupported_format");
    assert!(
        failed["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with(".doc or .wps")
    );
    assert_eq!(json["files"][0]["errors"], Value::Array(Vec::new()));
    assert_eq!(json["summary"]["failed_files"], 1);
    assert_eq!(json["summary"]["files"], 1);

    let (stdout, _, code) = run(dir.path(), &["--format", "concise", "a.txt", "b.doc"]);
    assert_eq!(code, 2);
    assert!(
        stdout.ends_with(
            "b.doc:1:1: error[unsupported_format] .doc or .wps (Word 97–2003, WPS) files cannot be checked\n"
        ),
        "{stdout}"
    );

    let (stdout, _, _) = run(dir.path(), &["--format", "github", "b.doc"]);
    assert_eq!(
        stdout,
        "::error file=b.doc,title=statlint [unsupported_format]::.doc or .wps (Word 97–2003, WPS) files cannot be checked\n"
    );

    let (stdout, _, _) = run(dir.path(), &["--format", "sarif", "a.txt", "b.doc"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(notification["descriptor"]["id"], "unsupported_format");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "b.doc"
    );
    let (stdout, _, _) = run(dir.path(), &["--format", "sarif", "a.txt"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

fn assert_valid(log: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let text = fs::read_to_string(&path).unwrap();
    // See tests/formats.rs: a stray `]` in the official schema's `language` pattern.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}$""#,
    );
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

#[test]
fn sarif_has_what_code_scanning_reads() {
    let dir = setup();
    let (stdout, _, code) = run(
        dir.path(),
        &["--format", "sarif", "--select", "malformed-amount", "a.txt"],
    );
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid(&log);
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "malformed-amount");
    assert_eq!(rule["name"], "MalformedAmount");
    assert!(
        rule["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("rule-reference.md#malformed-amount")
    );
    let markdown = rule["help"]["markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("## malformed-amount\n\n**"),
        "{markdown}"
    );
    let text = rule["help"]["text"].as_str().unwrap();
    assert!(!text.contains("**") && !text.contains("## "), "{text}");
    assert_eq!(rule["properties"]["precision"], "very-high");
    assert!(rule["properties"]["tags"].as_array().unwrap().len() >= 2);
    let result = &log["runs"][0]["results"][0];
    // Line 3 of the bulletin, hashed as GitHub's upload-sarif hashes it (the algorithm is pinned
    // by GitHub's own cases in src/report/sarif.rs).
    let hashes = statlint::report::sarif_line_hashes(BAD);
    assert_eq!(
        result["partialFingerprints"]["primaryLocationLineHash"],
        hashes[2].as_str()
    );
    assert!(result["partialFingerprints"]["statlint/v1"].is_string());
}

#[test]
fn output_file_and_statistics_beside_a_machine_format() {
    let dir = setup();
    let (stdout, _, code) = run(
        dir.path(),
        &["--format", "sarif", "--output-file", "out.sarif", "a.txt"],
    );
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    let log: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "malformed-amount");

    for format in ["sarif", "github"] {
        let (stdout, stderr, code) =
            run(dir.path(), &["--format", format, "--statistics", "a.txt"]);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("    1  malformed-amount"),
            "{format}: {stderr}"
        );
        if format == "sarif" {
            let log: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(log["runs"][0]["results"][0]["ruleId"], "malformed-amount");
        } else {
            assert!(stdout.starts_with("::error file=a.txt,line=3"), "{stdout}");
        }
    }
    let (_, stderr, code) = run(
        dir.path(),
        &["--output-file", "missing/dir/out.json", "a.txt"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot write the report to missing/dir/out.json"),
        "{stderr}"
    );
}

#[test]
fn colour_follows_no_color_clicolor_force_and_term() {
    let dir = setup();
    let colour = |vars: &[(&str, &str)]| {
        let mut cmd = statlint();
        cmd.env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let output = cmd
            .current_dir(dir.path())
            .args(["check", "a.txt"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap().contains('\u{1b}')
    };
    // Not a terminal: no colour unless forced.
    assert!(!colour(&[]));
    assert!(colour(&[("CLICOLOR_FORCE", "1")]));
    assert!(!colour(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!colour(&[("CLICOLOR_FORCE", "0")]));
}

#[test]
fn human_output_wraps_at_the_width_and_never_splits_a_rule_id() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("team")).unwrap();
    fs::write(
        dir.path().join("team/team.toml"),
        r#"[[rule]]
id = "team-amount-with-a-long-identifier"
summary = "金额写法有误"
explanation = "同时使用亿和万，数值无法确定。"
severity = "error"
scope = "sentence"
facts.amount = '(?P<v>{num})元'
assert = "not malformed(amount)"
message = "金额写法有误，请核对原稿中的这一金额并改写为只含一个数量级的写法"
help = "see team-amount-with-a-long-identifier and staff-exceeds-villages in the rule reference for the spelling"
"#,
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), BAD).unwrap();
    let output = statlint()
        .current_dir(dir.path())
        .env("COLUMNS", "60")
        .args(["check", "--rules", "team", "--select", "team", "a.txt"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let help: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("help:"))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(help.len() >= 2, "the help wraps: {stdout}");
    for line in &help {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    for id in [
        "team-amount-with-a-long-identifier",
        "staff-exceeds-villages",
    ] {
        assert!(
            help.iter().any(|l| l.contains(id)),
            "{id} split across lines: {help:#?}"
        );
    }
}

#[test]
fn the_frame_is_chinese_in_a_chinese_locale_and_json_does_not_change() {
    let dir = setup();
    let zh = |args: &[&str]| {
        outcome(
            statlint()
                .current_dir(dir.path())
                .env("LANG", "zh_CN.UTF-8")
                .env_remove("LC_ALL")
                .env_remove("LC_MESSAGES")
                .arg("check")
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let (stdout, _, _) = zh(&["a.txt"]);
    assert!(stdout.contains("  帮助："), "{stdout}");
    assert!(
        stdout.ends_with("statlint：共发现1处问题（1个错误），共检查1个文件\n"),
        "{stdout}"
    );
    fs::write(
        dir.path().join("clean.txt"),
        "全市889个行政村已配备驻村辅警801人。\n",
    )
    .unwrap();
    let (stdout, _, _) = zh(&["clean.txt"]);
    assert_eq!(stdout, "statlint：未发现数字矛盾（共检查1个文件）\n");
    let (_, stderr, code) = zh(&["missing.txt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.txt：无法读取文件："), "{stderr}");
    // The OS error is said once, not again as a cause.
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
    let (stdout, _, _) = zh(&["--format", "json", "a.txt"]);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["findings"], 1);

    // `--lang` wins over the locale; a non-Chinese locale is English.
    let (stdout, _, _) = zh(&["--lang", "en", "clean.txt"]);
    assert_eq!(stdout, "statlint: no findings in 1 file\n");
    let (stdout, _, _) = outcome(
        statlint()
            .current_dir(dir.path())
            .env("LANG", "de_DE.UTF-8")
            .args(["check", "clean.txt"])
            .output()
            .unwrap(),
    );
    assert_eq!(stdout, "statlint: no findings in 1 file\n");
    let (_, stderr, _) = run(dir.path(), &["--lang", "en", "missing.txt"]);
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
}

#[test]
fn rules_are_listed_sorted_and_explained_for_a_terminal() {
    let (stdout, _, code) = outcome(statlint().arg("rules").output().unwrap());
    assert_eq!(code, 0);
    let ids: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert!(ids.contains(&"unused-suppression"));

    let (stdout, _, code) = outcome(
        statlint()
            .args(["rule", "staff-exceeds-villages"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("staff-exceeds-villages (error, scope "),
        "{stdout}"
    );
    assert!(
        !stdout.contains("**") && !stdout.contains("## "),
        "{stdout}"
    );
    assert!(stdout.contains("\nFires on:\n  - "), "{stdout}");

    let (stdout, _, code) = outcome(
        statlint()
            .args(["rule", "unused-suppression"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("unused-suppression (warning)"),
        "{stdout}"
    );

    for typo in ["staff", "staff-exceeds-vilages"] {
        let (_, stderr, code) = outcome(statlint().args(["rule", typo]).output().unwrap());
        assert_eq!(code, 2);
        assert!(
            stderr.contains("did you mean `staff-exceeds-villages`?"),
            "{stderr}"
        );
    }
}

#[test]
fn check_without_a_path_checks_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), BAD).unwrap();
    let (stdout, _, code) = outcome(
        statlint()
            .current_dir(dir.path())
            .args(["check", "--format", "concise"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("./a.txt:3:10: error[malformed-amount]"),
        "{stdout}"
    );
}

#[test]
fn an_invalid_include_glob_is_a_glob_error() {
    let dir = setup();
    let (_, stderr, code) = run(dir.path(), &["--include", "a{b", "."]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid glob `a{b`"), "{stderr}");
    assert!(!stderr.contains("unknown rule"), "{stderr}");
}

#[test]
fn word_lock_files_are_skipped_when_named() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("~$稿件.docx"), b"\x0cuser").unwrap();
    fs::write(dir.path().join("报告.TXT"), BAD).unwrap();
    let (stdout, stderr, code) = run(
        dir.path(),
        &["--format", "concise", "~$稿件.docx", "报告.TXT"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("报告.TXT:3:10"), "{stdout}");
}
