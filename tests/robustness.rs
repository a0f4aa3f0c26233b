//! End-to-end robustness of the `statlint` binary: every encoding it promises, every kind of
//! broken input file, every way to get a rule file wrong, and output that cannot be written.
//! Each bad input is a clear message and exit 2, and the other files of the run are still
//! checked and reported.

mod common;

use common::{check_json, says, statlint};
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A bulletin with one malformed amount on its third line.
const TEXT: &str = "咸宁公安战果通报\n\n今年以来，共侦破电信网络诈骗案件412起，止付涉诈资金8亿余万元；冻结涉诈账户3189个。\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn run(args: &[&str], paths: &[&Path]) -> (i32, String, String) {
    let output = statlint().args(args).args(paths).output().unwrap();
    (
        output
            .status
            .code()
            .expect("exits normally, not by a signal"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The files a JSON report says were checked; those that could not be are listed too, with
/// their `errors` (issue 18), and are left out here.
fn files_in(json: &serde_json::Value) -> Vec<String> {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["errors"].as_array().is_some_and(|e| e.is_empty()))
        .map(|f| {
            Path::new(f["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The text under each finding's primary span, read back from the decoded `text`.
fn finding_texts(file: &serde_json::Value, text: &str) -> Vec<String> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let under = common::span_text(text, &f["span"]);
            assert_eq!(f["text"].as_str().unwrap(), under);
            under.to_string()
        })
        .collect()
}

#[test]
fn every_supported_encoding_decodes_to_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    // 𠀀 (U+20000) exists in GB18030 but not in GBK: it proves the four-byte sequences decode.
    let gb18030_text = format!("{TEXT}𠀀\n");
    let utf16 = |le: bool| {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in TEXT.encode_utf16() {
            bytes.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    };
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(TEXT.as_bytes());
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("utf8.txt", TEXT.as_bytes().to_vec(), "utf-8", TEXT),
        ("utf8-bom.txt", bom, "utf-8", TEXT),
        ("utf16le.txt", utf16(true), "utf-16le", TEXT),
        ("utf16be.txt", utf16(false), "utf-16be", TEXT),
        (
            "gbk.txt",
            encoding_rs::GBK.encode(TEXT).0.into_owned(),
            "gb18030",
            TEXT,
        ),
        (
            "gb18030.txt",
            encoding_rs::GB18030.encode(&gb18030_text).0.into_owned(),
            "gb18030",
            &gb18030_text,
        ),
    ];
    for (name, bytes, encoding, decoded) in &cases {
        let path = write(dir.path(), name, bytes);
        let (json, code) = check_json(&[path.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}");
        let file = &json["files"][0];
        assert_eq!(file["encoding"], *encoding, "{name}");
        assert_eq!(finding_texts(file, decoded), ["8亿余万元"], "{name}");
        assert_eq!(file["findings"][0]["span"]["line"], 3, "{name}");
        // extract reads the same figures.
        let out = statlint()
            .args(["extract", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}");
        let extracted: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let texts: Vec<&str> = extracted["quantities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["text"].as_str().unwrap())
            .collect();
        assert!(
            texts.contains(&"8亿余万元") && texts.contains(&"412起"),
            "{name}: {texts:?}"
        );
    }
}

#[test]
fn damaged_utf8_is_refused_with_its_byte_offset_and_other_files_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = TEXT.as_bytes().to_vec();
    let offset = TEXT.find("412").unwrap();
    bytes[offset] = 0xFF;
    let bad = write(dir.path(), "bad.txt", &bytes);
    // A lone continuation byte and a truncated sequence at the very end.
    let mut truncated = TEXT.as_bytes().to_vec();
    truncated.extend_from_slice(&"万".as_bytes()[..2]);
    let cut = write(dir.path(), "cut.txt", &truncated);
    let good = write(dir.path(), "good.txt", TEXT.as_bytes());
    let (code, stdout, stderr) = run(&["check", "--format", "json"], &[&bad, &cut, &good]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        says(&stderr, &format!("invalid utf-8 at byte offset {offset}")),
        "{stderr}"
    );
    assert!(
        says(
            &stderr,
            &format!("invalid utf-8 at byte offset {}", TEXT.len())
        ),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(files_in(&json), ["good.txt"]);
    assert_eq!(json["summary"]["findings"], 1);
}

#[test]
fn line_endings_missing_newline_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let mixed = "标题行\r\n\r\n第一段，抓获1人。\n第二段。\r止付涉诈资金8亿余万元";
    let mixed_path = write(dir.path(), "mixed.txt", mixed.as_bytes());
    let (json, code) = check_json(&[mixed_path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let finding = &json["files"][0]["findings"][0];
    assert_eq!(finding_texts(&json["files"][0], mixed), ["8亿余万元"]);
    // Lines: 标题行 / (blank) / 第一段… / 第二段。 / 止付…: a lone \r ends a line too.
    assert_eq!(finding["span"]["line"], 5);
    assert_eq!(finding["span"]["column"], 7);
    assert_eq!(
        finding["span"]["end"].as_u64().unwrap() as usize,
        mixed.len()
    );

    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("bom-only.txt", &[0xEF, 0xBB, 0xBF][..]),
        ("blank.txt", &b"\r\n\n  \n\t\r"[..]),
        ("utf16-bom-only.txt", &[0xFF, 0xFE][..]),
    ] {
        let path = write(dir.path(), name, bytes);
        for format in ["human", "json", "concise"] {
            let (code, stdout, stderr) = run(&["check", "--format", format], &[&path]);
            assert_eq!(code, 0, "{name} {format}: {stderr}");
            if format == "human" {
                assert!(stdout.contains("no findings in 1 file"), "{stdout}");
            }
        }
        let (code, _, stderr) = run(&["extract", "--format", "json"], &[&path]);
        assert_eq!(code, 0, "{name}: {stderr}");
    }
}

#[test]
fn binary_missing_and_directory_inputs_are_exit_2_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let png = write(
        dir.path(),
        "image.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
    );
    let missing = dir.path().join("no-such-file.txt");
    let good = write(dir.path(), "good.txt", TEXT.as_bytes());
    let (code, stdout, stderr) = run(&["check", "--format", "json"], &[&png, &missing, &good]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        says(
            &stderr,
            "image.txt: looks like a binary file (NUL byte at offset 8)"
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "no-such-file.txt: cannot read"), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(files_in(&json), ["good.txt"]);

    // `extract` takes one file: a directory is named as such.
    let (code, _, stderr) = run(&["extract"], &[dir.path()]);
    assert_eq!(code, 2);
    assert!(says(&stderr, "is a directory"), "{stderr}");
}

#[test]
fn directories_are_walked_and_one_without_bulletins_is_a_clean_run_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    write(&dir.path().join("empty"), "notes.docx.bak", b"\0\0");
    let (code, stdout, _) = run(&["check"], &[&dir.path().join("empty")]);
    assert_eq!(code, 0);
    assert!(stdout.contains("no findings in 0 files"), "{stdout}");

    let sub = dir.path().join("a/b");
    fs::create_dir_all(&sub).unwrap();
    write(&sub, "deep.txt", TEXT.as_bytes());
    write(dir.path(), "top.md", TEXT.as_bytes());
    write(dir.path(), "skip.pdf", b"%PDF\0");
    let (json, code) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(files_in(&json), ["deep.txt", "top.md"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_directory_terminates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT.as_bytes());
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("a.txt"), dir.path().join("link.txt")).unwrap();
    let (json, code) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    // The linked file is checked; the linked directory is not followed.
    assert_eq!(files_in(&json), ["a.txt", "link.txt"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_exit_2_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = write(dir.path(), "locked.txt", TEXT.as_bytes());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let good = write(dir.path(), "good.txt", TEXT.as_bytes());
    if fs::read(&locked).is_ok() {
        // Root (as in CI containers) reads any file: permissions cannot make it unreadable,
        // so check the same path with a file that cannot be opened for reading at all.
        eprintln!("running as root: mode 000 does not stop reads; using a dangling symlink");
        fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), &locked).unwrap();
    }
    let (code, stdout, stderr) = run(&["check", "--format", "json"], &[&locked, &good]);
    assert_eq!(code, 2, "{stderr}");
    assert!(says(&stderr, "locked.txt: cannot read"), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(files_in(&json), ["good.txt"]);
}

#[test]
fn files_over_the_size_cap_are_refused_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.txt", TEXT.repeat(20).as_bytes());
    let small = write(dir.path(), "small.txt", TEXT.as_bytes());
    let size = fs::metadata(&big).unwrap().len();
    let (code, stdout, stderr) = run(
        &["check", "--format", "json", "--max-file-size", "1K"],
        &[&big, &small],
    );
    assert_eq!(code, 2, "{stderr}");
    // miette wraps long messages: look for the parts.
    assert!(
        says(
            &stderr,
            &format!("big.txt: too large to check ({size} bytes;")
        ),
        "{stderr}"
    );
    assert!(says(&stderr, "the limit is 1024"), "{stderr}");
    assert!(says(&stderr, "--max-file-size"), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(files_in(&json), ["small.txt"]);

    // Raised, the same file is checked.
    let (code, _, _) = run(&["check", "--max-file-size", "1M"], &[&big, &small]);
    assert_eq!(code, 1);

    // stdin and extract have the cap too.
    let out = statlint()
        .args(["check", "--max-file-size", "100", "-"])
        .write_stdin(TEXT.repeat(3))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(says(&String::from_utf8_lossy(&out.stderr), "too large"));
    let (code, _, stderr) = run(&["extract", "--max-file-size", "1K"], &[&big]);
    assert_eq!(code, 2);
    assert!(says(&stderr, "too large"), "{stderr}");

    // A bad size is a usage error.
    let (code, _, stderr) = run(&["check", "--max-file-size", "lots"], &[&small]);
    assert_eq!(code, 2);
    assert!(says(&stderr, "not a size"), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_special_file_stops_at_the_cap() {
    // /dev/zero reports size 0 and never ends: only the cap stops the read.
    let (code, _, stderr) = run(
        &["check", "--max-file-size", "1M"],
        &[Path::new("/dev/zero")],
    );
    assert_eq!(code, 2);
    assert!(says(&stderr, "/dev/zero: too large to check"), "{stderr}");
}

/// Runs `statlint rules --rules DIR` with `file` as the only rule file.
fn rule_file_errors(file: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("team.toml"), file).unwrap();
    let output = statlint()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(TEXT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{file}");
    assert!(output.stdout.is_empty(), "no partial report for {file}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const HEAD: &str = "[[rule]]\nid = \"team-rule\"\nsummary = \"s\"\nexplanation = \"e\"\n";

#[test]
fn every_kind_of_rule_file_mistake_is_a_diagnostic_with_a_span() {
    let cases: Vec<(String, &[&str])> = vec![
        // Bad TOML: an unterminated string.
        (
            format!("{HEAD}facts.a = '(?P<v>{{num}})人\nassert = \"a > 1\"\nmessage = \"m\"\n"),
            &["invalid rule file", "team.toml:5:"],
        ),
        // A regex too large once its macros are expanded.
        (
            format!(
                "{HEAD}facts.a = '(?P<v>{{num}}){{1000}}(?:{{list}}){{100}}人'\nassert = \"a > 1\"\nmessage = \"m\"\n"
            ),
            &["the pattern compiles to more than", "team.toml:5:11"],
        ),
        // Regex nested past the parser's limit.
        (
            format!(
                "{HEAD}facts.a = '{}(?P<v>{{num}}){}人'\nassert = \"a > 1\"\nmessage = \"m\"\n",
                "(".repeat(300),
                ")".repeat(300)
            ),
            &["nested", "team.toml:5:"],
        ),
        // Unknown function.
        (
            format!(
                "{HEAD}facts.a = '(?P<v>{{num}})人'\nassert = \"sqrt(a) > 1\"\nmessage = \"m\"\n"
            ),
            &["sqrt", "team.toml:6:11"],
        ),
        // Unknown group of a fact.
        (
            format!("{HEAD}facts.a = '(?P<v>{{num}})人'\nassert = \"a.w > 1\"\nmessage = \"m\"\n"),
            &["has no group `w`", "team.toml:6:13"],
        ),
        // Wrong types: a number where a string is expected, an unknown scope.
        (
            format!(
                "{HEAD}severity = 3\nfacts.a = '(?P<v>{{num}})人'\nassert = \"a > 1\"\nmessage = \"m\"\n"
            ),
            &["invalid type: integer `3`", "team.toml:5:12"],
        ),
        (
            format!(
                "{HEAD}scope = \"page\"\nfacts.a = '(?P<v>{{num}})人'\nassert = \"a > 1\"\nmessage = \"m\"\n"
            ),
            &["page", "team.toml:5:9"],
        ),
        // Comparing a list with a number.
        (
            format!("{HEAD}facts.a = '(?P<v>{{list}})人'\nassert = \"a > 1\"\nmessage = \"m\"\n"),
            &["`>` expects numbers", "team.toml:6:11"],
        ),
        // An unknown key (a misspelt `assert`) and a missing one.
        (
            format!("{HEAD}facts.a = '(?P<v>{{num}})人'\nasert = \"a > 1\"\nmessage = \"m\"\n"),
            &["asert", "team.toml:"],
        ),
        // A placeholder in the message that names no fact.
        (
            format!(
                "{HEAD}facts.a = '(?P<v>{{num}})人'\nassert = \"a > 1\"\nmessage = \"{{b}}人\"\n"
            ),
            &["unknown fact `b`", "team.toml:7:13"],
        ),
        // An expression nested too deeply.
        (
            format!(
                "{HEAD}facts.a = '(?P<v>{{num}})人'\nassert = \"{}a{} > 1\"\nmessage = \"m\"\n",
                "(".repeat(500),
                ")".repeat(500)
            ),
            &["nested too deeply", "team.toml:6:"],
        ),
        // An example with an unknown expectation.
        (
            format!(
                "{HEAD}facts.a = '(?P<v>{{num}})人'\nassert = \"a > 1\"\nmessage = \"m\"\n\n[[rule.example]]\ntext = \"1人\"\nexpect = \"maybe\"\n"
            ),
            &["invalid expect `maybe`", "team.toml:11:10"],
        ),
    ];
    for (file, wanted) in &cases {
        let stderr = rule_file_errors(file);
        for want in *wanted {
            assert!(
                says(&stderr, want),
                "wanted {want:?} for\n{file}\ngot:\n{stderr}"
            );
        }
    }
}

#[test]
fn unreadable_rule_sources_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    // Not UTF-8.
    fs::write(dir.path().join("gbk.toml"), encoding_rs::GBK.encode(HEAD).0).unwrap();
    fs::write(dir.path().join("bin.toml"), b"\xff\xfe\0\0").unwrap();
    let output = statlint()
        .args(["rules", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(says(&stderr, "bin.toml"), "{stderr}");

    let output = statlint()
        .args(["rules", "--rules"])
        .arg(dir.path().join("no-such-dir"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(says(
        &String::from_utf8_lossy(&output.stderr),
        "no-such-dir"
    ));
}

/// A file with enough findings that its report is far larger than a pipe's buffer.
fn many_findings(dir: &Path) -> PathBuf {
    let line = "止付涉诈资金8亿余万元，冻结涉案资金2亿余万元。\n";
    write(dir, "many.txt", line.repeat(5000).as_bytes())
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_findings(dir.path());
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["check", "--format", "concise"],
        &["extract"],
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("statlint"))
            .args(args)
            .arg(&path)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: read one line, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{args:?}");
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            !says(&stderr, "panicked") && !says(&stderr, "Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_not_a_silent_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_findings(dir.path());
    let small = write(dir.path(), "small.txt", TEXT.as_bytes());
    for (args, file) in [
        (&["check"][..], &path),
        (&["check", "--format", "json"], &path),
        (&["check", "--format", "concise"], &small),
        (&["extract", "--format", "json"], &small),
        (&["rules"], &small),
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("statlint"));
        command.args(args);
        if args[0] != "rules" {
            command.arg(file);
        }
        let output = command.stdout(Stdio::from(full)).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(says(&stderr, "cannot write output"), "{args:?}: {stderr}");
        assert!(!says(&stderr, "panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn checking_never_writes_to_the_checked_files_or_their_directory() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = write(dir.path(), "a.txt", TEXT.as_bytes());
    let gbk = write(
        dir.path(),
        "b.txt",
        &encoding_rs::GBK.encode(&TEXT.replace('\n', "\r\n")).0,
    );
    let before: Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> = [&utf8, &gbk]
        .iter()
        .map(|p| {
            let meta = fs::metadata(p).unwrap();
            ((*p).clone(), fs::read(p).unwrap(), meta.modified().unwrap())
        })
        .collect();
    let listing = |dir: &Path| {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let names_before = listing(dir.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["check", "--format", "concise", "--strict"],
    ] {
        let (code, _, _) = run(args, &[dir.path()]);
        assert_eq!(code, 1, "{args:?}");
    }
    for path in [&utf8, &gbk] {
        let (code, _, _) = run(&["extract", "--format", "json"], &[path]);
        assert_eq!(code, 0);
    }
    for (path, bytes, modified) in before {
        assert_eq!(fs::read(&path).unwrap(), bytes, "{}", path.display());
        assert_eq!(
            fs::metadata(&path).unwrap().modified().unwrap(),
            modified,
            "{}",
            path.display()
        );
    }
    assert_eq!(listing(dir.path()), names_before, "no file was created");
}
