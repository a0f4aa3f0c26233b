//! End-to-end tests of the `statlint` binary: exit codes, output formats, rule-file errors.

mod common;

use common::{check_json, finding_lines, fixture, seed_text, span_text, statlint};
use std::fs;

#[test]
fn seed_has_exactly_its_two_malformed_amounts() {
    let seed = fixture("xianning-725-campaign.txt");
    let (json, code) = check_json(&[seed.to_str().unwrap()]);
    assert_eq!(code, 1);
    let text = seed_text();
    assert_eq!(
        finding_lines(&json["files"][0], &text),
        ["malformed-amount\t2亿余万元", "malformed-amount\t8亿余万元"]
    );
    assert_eq!(json["summary"]["findings"], 2);
    assert_eq!(json["summary"]["errors"], 2);
}

#[test]
fn staff_variant_labels_both_figures_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed_text().replace("驻村辅警801人", "驻村辅警901人");
    let path = dir.path().join("staff.txt");
    fs::write(&path, &text).unwrap();
    let (json, code) = check_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let findings = json["files"][0]["findings"].as_array().unwrap();
    let staff: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "staff-exceeds-villages")
        .collect();
    assert_eq!(staff.len(), 1, "{findings:#?}");
    let finding = staff[0];
    assert_eq!(finding["text"], "901人");
    assert_eq!(finding["severity"], "error");
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("901 ≤ 889 不成立"), "{message}");
    let labels: Vec<&str> = finding["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| span_text(&text, &l["span"]))
        .collect();
    assert_eq!(labels, ["889个", "901人"]);
    // Line and character column, counted by hand from the text.
    let start = text.find("901人").unwrap();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let span = &finding["span"];
    assert_eq!(span["start"].as_u64().unwrap() as usize, start);
    assert_eq!(
        span["line"].as_u64().unwrap() as usize,
        text[..start].matches('\n').count() + 1
    );
    assert_eq!(
        span["column"].as_u64().unwrap() as usize,
        text[line_start..start].chars().count() + 1
    );
    assert_eq!(
        span["end_column"].as_u64().unwrap() as usize,
        text[line_start..start].chars().count() + 1 + "901人".chars().count()
    );
}

#[test]
fn clean_text_exits_zero() {
    statlint()
        .args(["check", "-"])
        .write_stdin("全市889个行政村已配备驻村辅警801人。")
        .assert()
        .code(0)
        .stdout(predicates::str::contains("no findings"));
}

#[test]
fn stdin_filename_names_the_document() {
    let (json, code) = {
        let output = statlint()
            .args([
                "check",
                "--format",
                "json",
                "--stdin-filename",
                "草稿.txt",
                "-",
            ])
            .write_stdin("止付涉诈资金8亿余万元。")
            .output()
            .unwrap();
        (
            serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap(),
            output.status.code().unwrap(),
        )
    };
    assert_eq!(code, 1);
    assert_eq!(json["files"][0]["path"], "草稿.txt");
    assert_eq!(json["files"][0]["encoding"], "utf-8");
    assert_eq!(json["files"][0]["findings"][0]["text"], "8亿余万元");
}

#[test]
fn json_has_the_documented_shape() {
    let seed = fixture("xianning-725-campaign.txt");
    let (json, _) = check_json(&[seed.to_str().unwrap()]);
    assert_eq!(json["version"], 1);
    let finding = &json["files"][0]["findings"][0];
    for key in [
        "rule", "severity", "message", "help", "text", "span", "labels",
    ] {
        assert!(finding.get(key).is_some(), "missing {key}");
    }
    for key in ["start", "end", "line", "column", "end_line", "end_column"] {
        assert!(finding["span"][key].is_u64(), "span.{key}");
    }
    for key in ["files", "findings", "errors", "warnings"] {
        assert!(json["summary"][key].is_u64(), "summary.{key}");
    }
}

#[test]
fn unreadable_input_is_exit_2_and_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("a.txt");
    fs::write(&binary, b"\x00\x01\x02binary").unwrap();
    let seed = fixture("xianning-725-campaign.txt");
    let missing = dir.path().join("missing.txt");
    let output = statlint()
        .args(["check", "--format", "concise"])
        .arg(&binary)
        .arg(&seed)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Two findings, and a line for each file that could not be checked (issue 18).
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert_eq!(
        stdout.matches("error[malformed-amount]").count(),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("a.txt:1:1: error[binary]"), "{stdout}");
    assert!(stdout.contains("missing.txt:1:1: error[io]"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("binary"), "{stderr}");
    assert!(stderr.contains("missing.txt"), "{stderr}");
}

#[test]
fn concise_lines_carry_path_line_and_character_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    fs::write(&path, "标题\n\n经查，止付涉诈资金8亿余万元。\n").unwrap();
    let output = statlint()
        .args(["check", "--format", "concise"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.trim_end(),
        format!(
            "{}:3:10: error[malformed-amount] 金额“8亿余万元”写法有误，无法确定数值",
            path.display()
        )
    );
}

#[test]
fn unknown_fact_in_assert_points_at_the_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("team.toml"),
        r#"[[rule]]
id = "team-rule"
summary = "s"
explanation = "e"
facts.staff = '驻村辅警(?P<v>{num})人'
assert = "stafff <= 10"
message = "m"
"#,
    )
    .unwrap();
    let output = statlint()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg(fixture("xianning-725-campaign.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no partial report");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown fact `stafff`"), "{stderr}");
    assert!(
        stderr.contains("team.toml:6:11"),
        "points at the name: {stderr}"
    );
}

#[test]
fn rule_file_errors_are_all_reported_with_spans() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.toml"),
        r#"[[rule]]
id = "bad-macro"
summary = "s"
explanation = "e"
facts.a = '(?P<v>{nmu})人'
assert = "a > 1"
message = "m"

[[rule]]
id = "bad-type"
summary = "s"
explanation = "e"
facts.a = '(?P<v>{num})人'
assert = "count(a) == 1"
message = "m"

[[rule]]
id = "bad-regex"
summary = "s"
explanation = "e"
facts.a = '(?P<v>{num}人'
assert = "a > 1"
message = "m"
"#,
    )
    .unwrap();
    let output = statlint()
        .args(["rules", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown macro `{nmu}`"), "{stderr}");
    assert!(stderr.contains("bad.toml:5:18"), "{stderr}");
    assert!(stderr.contains("`count` expects a list"), "{stderr}");
    assert!(stderr.contains("invalid pattern"), "{stderr}");
}

#[test]
fn duplicate_rule_id_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("dup.toml"),
        r#"[[rule]]
id = "malformed-amount"
summary = "s"
explanation = "e"
facts.a = '(?P<v>{num})人'
assert = "a > 1"
message = "m"
"#,
    )
    .unwrap();
    let output = statlint()
        .args(["rules", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("duplicate rule id `malformed-amount`"),
        "{stderr}"
    );
}

#[test]
fn rules_rule_and_test_rules_commands() {
    statlint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicates::str::contains("staff-exceeds-villages"));
    statlint()
        .args(["rule", "staff-exceeds-villages"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("一村一辅警"))
        .stdout(predicates::str::contains("Fires on:"));
    statlint()
        .args(["rule", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown rule `no-such-rule`"));
    statlint()
        .arg("test-rules")
        .assert()
        .code(0)
        .stdout(predicates::str::contains(" 0 failed"));
}

#[test]
fn test_rules_reports_a_misbehaving_example() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("team.toml"),
        r#"[[rule]]
id = "team-rule"
summary = "s"
explanation = "e"
facts.staff = '驻村辅警(?P<v>{num})人'
assert = "staff <= 10"
message = "m"

[[rule.example]]
text = "驻村辅警5人"
expect = "fail"
"#,
    )
    .unwrap();
    let output = statlint()
        .arg("test-rules")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("0 passed, 1 failed"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("expected to fail but it stayed silent"),
        "{stderr}"
    );
}

#[test]
fn statlint_never_modifies_the_files_it_checks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    let bytes = "止付涉诈资金8亿余万元。\r\n".as_bytes();
    fs::write(&path, bytes).unwrap();
    statlint().arg("check").arg(&path).assert().code(1);
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn strict_reports_undetermined_relations_as_warnings() {
    // 25 × 2 = 50 members against 约55人 = [49.5, 60.5]: may hold, may not.
    let text = "在全镇25个村（社区）各发展2名会员，协会成员总数约55人。";
    statlint()
        .args(["check", "--format", "concise", "-"])
        .write_stdin(text)
        .assert()
        .code(0)
        .stdout("");
    let output = statlint()
        .args(["check", "--strict", "--format", "concise", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings do not fail by default"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("warning[distributive-total-too-small]"),
        "{stdout}"
    );
    statlint()
        .args(["check", "--strict", "--fail-on", "warning", "-"])
        .write_stdin(text)
        .assert()
        .code(1);
}

#[test]
fn a_teams_rule_directory_adds_rules() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("team.toml"),
        r#"[[rule]]
id = "team-patrol-size"
summary = "巡逻队人数不超过20人"
explanation = "本地规定专职巡逻队不超过20人。"
severity = "warning"
facts.team = { pattern = '组建一支(?P<v>{num})人的专职巡逻队', label = "巡逻队人数" }
assert = "team <= 20"
message = "巡逻队{team}人，超过20人：{relation}"

[[rule.example]]
text = "组建一支8人的专职巡逻队。"
expect = "pass"

[[rule.example]]
text = "组建一支28人的专职巡逻队。"
expect = "fail"
"#,
    )
    .unwrap();
    let output = statlint()
        .args(["check", "--format", "concise", "--rules"])
        .arg(dir.path())
        .arg("-")
        .write_stdin("组建一支28人的专职巡逻队。")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "a warning does not fail the run"
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "-:1:5: warning[team-patrol-size] 巡逻队28人，超过20人：28 ≤ 20 不成立\n"
    );
    statlint()
        .arg("test-rules")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicates::str::contains("2 passed, 0 failed"));
}
