//! Issue 19, end to end: every file statlint reads by name is bounded and typed, every
//! diagnostic is bounded, and stderr that cannot be written is no panic. Each test pins one
//! case of the issue and failed (or hung) before it was fixed; the quadratic cases are
//! measured by `scripts/stress` instead.

mod common;

use common::says;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TEXT: &str = "咸宁公安通报\n\n经查，止付涉诈资金8亿余万元。\n";

const HEAD: &str = "[[rule]]\nsummary = \"s\"\nexplanation = \"e\"\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// `dir/rules/team.toml` holding `file`; returns the rules directory.
fn team_rules(dir: &Path, file: &str) -> PathBuf {
    let rules = dir.join("rules");
    fs::create_dir_all(&rules).unwrap();
    write(&rules, "team.toml", file);
    rules
}

/// Exit code and stderr of `statlint rules --rules DIR` with `file` as the only rule file.
fn load_rules(dir: &Path, file: &str) -> (i32, String) {
    let rules = team_rules(dir, file);
    run(dir, &["rules", "--rules", rules.to_str().unwrap()])
}

/// The statlint binary with `args`, run in `dir`, stdin empty.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("statlint"));
    command
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

/// Waits for `child`, killing it after a minute: a run that blocks (on a FIFO) fails the test
/// instead of hanging the suite. Its stderr is read meanwhile, so that a long one cannot fill
/// the pipe and block it.
fn finish(mut child: Child) -> (i32, String) {
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            err.read_to_string(&mut text).unwrap();
            text
        })
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("statlint blocked for a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = stderr.map_or_else(String::new, |reader| reader.join().unwrap());
    (
        status.code().expect("exits, not killed by a signal"),
        stderr,
    )
}

/// Exit code and stderr of `statlint args` in `dir`.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let child = command(dir, args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child)
}

/// A FIFO at `path`, or `None` where `mkfifo` is missing.
#[cfg(unix)]
fn fifo(path: PathBuf) -> Option<PathBuf> {
    let made = Command::new("mkfifo").arg(&path).status();
    made.is_ok_and(|s| s.success()).then_some(path)
}

/// A FIFO named for checking blocked in `open()` for want of a writer.
#[cfg(unix)]
#[test]
fn a_fifo_named_for_checking_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pipe) = fifo(dir.path().join("draft.txt")) else {
        return;
    };
    let good = write(dir.path(), "good.txt", TEXT);
    let (code, stderr) = run(
        dir.path(),
        &["check", pipe.to_str().unwrap(), good.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        says(&stderr, "draft.txt: cannot read a FIFO by name"),
        "{stderr}"
    );
    assert!(says(&stderr, "statlint check -"), "{stderr}");
    let (code, stderr) = run(dir.path(), &["extract", pipe.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
}

/// `--config`, the `statlint.toml` found upward, `--rules` files and `--baseline` were read
/// whole, without a cap: a link to `/dev/zero` grew to out-of-memory, a FIFO hung.
#[cfg(target_os = "linux")]
#[test]
fn statlints_own_files_are_capped_and_never_block() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.txt", TEXT);
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.toml")).unwrap();
    let pipe = fifo(root.join("pipe.toml"));
    let mut sources: Vec<&str> = vec!["zero.toml"];
    if pipe.is_some() {
        sources.push("pipe.toml");
    }
    for source in sources {
        let reason = if source == "zero.toml" {
            "too large (1048577 bytes; the limit is 1048576 bytes)"
        } else {
            "cannot read a FIFO by name"
        };
        let cap = ["--max-file-size", "1M"];
        // --config
        let (code, stderr) = run(
            root,
            &[&["check", "--config", source][..], &cap, &["a.txt"]].concat(),
        );
        assert_eq!(code, 2, "{source}: {stderr}");
        assert!(
            says(
                &stderr,
                &format!("{source}: cannot read the configuration: {reason}")
            ),
            "{source}: {stderr}"
        );
        // --baseline
        let (code, stderr) = run(
            root,
            &[&["check", "--baseline", source][..], &cap, &["a.txt"]].concat(),
        );
        assert_eq!(code, 2, "{source}: {stderr}");
        assert!(
            says(
                &stderr,
                &format!("{source}: cannot read the baseline: {reason}")
            ),
            "{source}: {stderr}"
        );
        // a rule file of --rules DIR
        let rules = root.join(format!("rules-{source}"));
        fs::create_dir(&rules).unwrap();
        std::os::unix::fs::symlink(root.join(source), rules.join("team.toml")).unwrap();
        let rules = rules.to_str().unwrap();
        let (code, stderr) = run(
            root,
            &[&["check", "--rules", rules][..], &cap, &["a.txt"]].concat(),
        );
        assert_eq!(code, 2, "{source}: {stderr}");
        assert!(
            says(&stderr, &format!("team.toml: {reason}")),
            "{source}: {stderr}"
        );
        // the statlint.toml found from the current directory upward
        let project = root.join(format!("project-{source}"));
        fs::create_dir(&project).unwrap();
        std::os::unix::fs::symlink(root.join(source), project.join("statlint.toml")).unwrap();
        write(&project, "a.txt", TEXT);
        let (code, stderr) = run(&project, &[&["check"][..], &cap, &["a.txt"]].concat());
        assert_eq!(code, 2, "{source}: {stderr}");
        assert!(
            says(&stderr, "statlint.toml: cannot read the configuration"),
            "{stderr}"
        );
    }
}

/// `check nosuch.txt 2>/dev/full` panicked with exit 101 (`eprintln!`).
#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let child = command(dir.path(), &["check", "nosuch.txt"])
        .stdout(Stdio::null())
        .stderr(Stdio::from(full))
        .spawn()
        .unwrap();
    assert_eq!(finish(child).0, 2);
}

/// The same with stderr into a pipe nobody reads any more.
#[cfg(unix)]
#[test]
fn stderr_into_a_closed_pipe_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    for args in [
        &["check", "nosuch.txt"][..],
        &["check", "--write-baseline", "b.json", "a.txt"],
        &["test-rules", "nosuch-dir"],
    ] {
        let child = command(dir.path(), args)
            .stdout(Stdio::null())
            .stderr(writer.try_clone().unwrap())
            .spawn()
            .unwrap();
        let expected = if args[1] == "--write-baseline" { 0 } else { 2 };
        assert_eq!(finish(child).0, expected, "{args:?}");
    }
}

/// 8,000 mistakes in one rule file were 8,000 excerpts of it (and as many copies in memory).
#[test]
fn rule_file_diagnostics_are_capped_with_a_count_of_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let file: String = (0..300)
        .map(|i| {
            format!("{HEAD}id = \"r{i}\"\nfacts.a = '(?P<v>{{num}})人'\nassert = \"b > 1\"\nmessage = \"m\"\n\n")
        })
        .collect();
    let (code, stderr) = load_rules(dir.path(), &file);
    assert_eq!(code, 2);
    assert!(says(&stderr, "300 error(s) in rule files"), "{stderr}");
    // The set and 99 of its errors are shown, 201 counted.
    assert_eq!(stderr.matches("unknown fact `b`").count(), 99, "{stderr}");
    assert!(
        stderr.ends_with("statlint: 201 more diagnostic(s) not shown (the first 100 are above)\n"),
        "{stderr}"
    );
}

/// 10,000 failing examples in `test-rules` each held a copy of their file (5.8 GB).
#[test]
fn failing_examples_are_capped_with_a_count_of_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = format!(
        "{HEAD}id = \"r\"\nfacts.a = '抓获(?P<v>{{num}})人'\nassert = \"a > 1000\"\nmessage = \"m\"\n"
    );
    for i in 0..250 {
        file.push_str(&format!(
            "\n[[rule.example]]\ntext = \"抓获{i}人。\"\nexpect = \"pass\"\n"
        ));
    }
    write(dir.path(), "team.toml", &file);
    let output = command(dir.path(), &["test-rules", "."]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "test-rules: 0 passed, 250 failed (1 rules)\n"
    );
    assert_eq!(stderr.matches("example expected to pass").count(), 100);
    assert!(
        stderr.ends_with("statlint: 150 more diagnostic(s) not shown (the first 100 are above)\n"),
        "{stderr}"
    );
}

/// Configuration mistakes are capped too: here 150 unknown selectors on one line.
#[test]
fn configuration_diagnostics_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    let selectors: Vec<String> = (0..150)
        .map(|i| format!("\"nosuch-rule-with-a-long-name-{i}\""))
        .collect();
    write(
        dir.path(),
        "statlint.toml",
        &format!("ignore = [{}]\n", selectors.join(", ")),
    );
    let (code, stderr) = run(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.matches("unknown rule `nosuch-").count(),
        100,
        "{stderr}"
    );
    assert!(
        says(&stderr, "statlint: 50 more diagnostic(s) not shown"),
        "{stderr}"
    );
    // Each excerpt of the 5,500-character line is a window of it around its selector (the
    // line shown whole and padded to the label under it would be 17 KB a diagnostic).
    assert!(stderr.len() < 100 * 6000, "{} bytes", stderr.len());
}

/// `select = []` checked nothing and said nothing.
#[test]
fn an_empty_selection_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    write(
        dir.path(),
        "statlint.toml",
        "fail-on = \"warning\"\nselect = []\n",
    );
    let (code, stderr) = run(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        says(&stderr, "`select = []` selects no rule: nothing is checked"),
        "{stderr}"
    );
    assert!(says(&stderr, "statlint.toml:2:10]"), "{stderr}");
    // The command line can empty the selection too.
    fs::remove_file(dir.path().join("statlint.toml")).unwrap();
    let (code, stderr) = run(
        dir.path(),
        &[
            "check",
            "--select",
            "malformed-amount",
            "--ignore",
            "malformed",
            "a.txt",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(says(&stderr, "leave no rule to check"), "{stderr}");
    let (code, stderr) = run(
        dir.path(),
        &["check", "--select", "malformed-amount", "a.txt"],
    );
    assert_eq!(code, 1);
    assert!(!says(&stderr, "nothing is checked"), "{stderr}");
}

/// An invalid regex given to `all_match` loaded silently and never fired.
#[test]
fn an_invalid_regex_argument_is_an_error_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = load_rules(
        dir.path(),
        &format!(
            "{HEAD}id = \"names\"\nfacts.e = '(?P<items>{{list}})等(?P<n>{{count}})人'\nassert = 'all_match(e.items, \"某(((\")'\nmessage = \"m\"\n"
        ),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        says(&stderr, "invalid regex in `all_match`: unclosed group"),
        "{stderr}"
    );
    // Line 6, `assert = 'all_match(e.items, "某(((")'`: the last `(` is character 34.
    assert!(says(&stderr, "team.toml:6:34]"), "{stderr}");
}

/// A 100,000-digit literal's error echoed the literal whole.
#[test]
fn a_huge_literal_is_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let digits = "7".repeat(100_000);
    let (code, stderr) = load_rules(
        dir.path(),
        &format!(
            "{HEAD}id = \"huge\"\nfacts.a = '(?P<v>{{num}})人'\nassert = \"a > {digits}\"\nmessage = \"m\"\n"
        ),
    );
    assert_eq!(code, 2);
    assert!(
        says(&stderr, "(100000 digits) cannot be represented exactly"),
        "{stderr}"
    );
    assert!(stderr.len() < 8 * 1024, "{} bytes", stderr.len());
}

/// Under `--strict`, a division by zero said that the figures were approximate.
#[test]
fn a_division_by_zero_says_so() {
    let dir = tempfile::tempdir().unwrap();
    team_rules(
        dir.path(),
        &format!(
            "{HEAD}id = \"zero-share\"\nscope = \"sentence\"\nfacts.whole = '共抓获(?P<v>{{num}})人'\nfacts.part = '其中(?P<v>{{num}})人'\nfacts.share = '占(?P<v>{{pct}})'\nassert = \"within(pct(part, whole), share, 0.5)\"\nmessage = \"占比{{share}}与{{part}}/{{whole}}不符\"\n"
        ),
    );
    let output = command(
        dir.path(),
        &[
            "check",
            "--strict",
            "--select",
            "zero-share",
            "--format",
            "concise",
            "--rules",
            "rules",
            "-",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .spawn()
    .and_then(|mut child| {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all("共抓获0人，其中0人为外地人员，占25%。\n".as_bytes())?;
        child.wait_with_output()
    })
    .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "-:1:9: warning[zero-share] 占比25%与0/0不符（除数为0，无法确定是否成立）\n",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `--threads 65535` was accepted and started that many threads (16,000 took 107 s).
#[test]
fn threads_beyond_four_per_core_are_not_started() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    write(dir.path(), "b.txt", TEXT);
    let (code, stderr) = run(
        dir.path(),
        &["check", "--threads", "65535", "a.txt", "b.txt"],
    );
    assert_eq!(code, 1, "{stderr}");
    let help = command(dir.path(), &["check", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        says(&help, "At most 4 threads per core are started"),
        "{help}"
    );
}
