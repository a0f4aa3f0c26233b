//! The baseline: findings a project has accepted, for documents where no comment can be written
//! (plain text, `.docx`).
//!
//! `--write-baseline FILE` records every current finding by rule, file, the figures as written and
//! a little text around the primary figure (see [`crate::fingerprint`]), never by line: an edit
//! elsewhere in the document does not bring an accepted finding back, and changing one of its
//! figures does. `--baseline FILE` drops the findings it records and reports the rest. Entries
//! are counted: a document where the same accepted finding now occurs twice reports one.
//!
//! Paths are stored relative to the baseline's directory (with `/`), so the file works from any
//! working directory and on any system. It is JSON, sorted, one entry per finding, so that a
//! review of a change to it reads as a list of accepted findings. It is written atomically
//! (a temporary file in the same directory, then a rename) and never over an existing file
//! unless `--force` is given.
//!
//! Writing keeps what the user set up (issue 19): a replaced baseline keeps its file mode, a
//! baseline that is a symlink is written where it points, and nothing but a regular file is
//! ever replaced (`--write-baseline /dev/full --force` as root would have replaced the device).
//! The temporary file is named after the baseline (`baseline.json.statlint-tmp-XXXXXX`), so a
//! write killed half-way leaves a file that is seen beside the baseline; the next write
//! removes such leftovers once they are [`STALE_AFTER`] old.

use crate::config::absolute;
use crate::finding::Finding;
use crate::fingerprint;
use crate::load::{self, LoadError};
use miette::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    /// The figures as written, in source order.
    pub figures: Vec<String>,
    /// The primary figure with a few characters on either side.
    pub context: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Error, Diagnostic)]
pub enum BaselineError {
    #[error("{path}: cannot read the baseline: {}", .source.reason())]
    #[diagnostic(
        code(statlint::baseline),
        help(
            "a baseline is a regular file that --write-baseline wrote; raise --max-file-size if it is a big one"
        )
    )]
    Read { path: String, source: LoadError },
    #[error("{path}: not a statlint baseline: {message}")]
    #[diagnostic(
        code(statlint::baseline),
        help("write one with `statlint check --write-baseline {path} …`")
    )]
    Invalid { path: String, message: String },
    #[error("{path}: the baseline already exists")]
    #[diagnostic(
        code(statlint::baseline),
        help("pass --force to replace it, or choose another file")
    )]
    Exists { path: String },
    #[error("{path}: cannot write the baseline: {source}")]
    #[diagnostic(code(statlint::baseline))]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a regular file ({kind}); the baseline would replace it")]
    #[diagnostic(
        code(statlint::baseline),
        help(
            "--write-baseline replaces only a regular file, even with --force; choose a file name"
        )
    )]
    NotRegular { path: String, kind: &'static str },
}

/// The accepted findings of a baseline file, counted by entry.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    dir: PathBuf,
    counts: HashMap<Entry, usize>,
}

impl Baseline {
    /// Read a baseline: a regular file of at most `limit` bytes (`--max-file-size`), as the
    /// files statlint checks (see [`load::read_file`]).
    pub fn read(path: &Path, limit: u64) -> Result<Baseline, BaselineError> {
        let text = load::read_text_file(path, limit).map_err(|source| BaselineError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let invalid = |message: String| BaselineError::Invalid {
            path: path.display().to_string(),
            message,
        };
        let file: File = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if file.version != 1 {
            return Err(invalid(format!("unknown version {}", file.version)));
        }
        let mut counts = HashMap::new();
        for entry in file.findings {
            *counts.entry(entry).or_insert(0) += 1;
        }
        Ok(Baseline {
            dir: base_dir(path),
            counts,
        })
    }

    /// Drop the findings of document `name` (with `text`) that the baseline accepts; return how
    /// many were dropped. Call once per document: accepted entries are used up.
    pub fn filter(&mut self, name: &str, text: &str, findings: &mut Vec<Finding>) -> usize {
        let before = findings.len();
        let path = key_path(&self.dir, name);
        findings.retain(|f| {
            let entry = entry(&path, text, f);
            match self.counts.get_mut(&entry) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - findings.len()
    }
}

/// The entries for the findings of a document, keyed for a baseline written to `baseline`.
pub fn entries(baseline: &Path, name: &str, text: &str, findings: &[Finding]) -> Vec<Entry> {
    let path = key_path(&base_dir(baseline), name);
    findings.iter().map(|f| entry(&path, text, f)).collect()
}

/// How old a leftover temporary file of a baseline must be before a write removes it: a write
/// takes seconds (300,000 findings: under a second), so one this old was left by a write that
/// was killed, not by one still running beside this one.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Whether `--write-baseline path` may write: nothing is there, or (with `force`) a regular
/// file, or a symlink to one. Checked before the run and again when writing.
pub fn check_target(path: &Path, force: bool) -> Result<(), BaselineError> {
    let Ok(link) = std::fs::symlink_metadata(path) else {
        // Nothing there (or nothing statlint may look at: the write will say why).
        return Ok(());
    };
    let display = || path.display().to_string();
    if !force {
        return Err(BaselineError::Exists { path: display() });
    }
    // A dangling symlink would be replaced by a file: it is not a regular file either.
    let kind = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => return Ok(()),
        Ok(meta) if meta.is_dir() => "a directory",
        Ok(meta) => load::file_kind(&meta.file_type()),
        Err(_) if link.file_type().is_symlink() => "a dangling symlink",
        Err(_) => "a special file",
    };
    Err(BaselineError::NotRegular {
        path: display(),
        kind,
    })
}

/// Write a baseline atomically: a temporary file beside it, renamed over it. An existing file is
/// replaced only with `force`, only when it is a regular file, and keeps its mode; a symlink
/// is written through.
pub fn write(path: &Path, mut entries: Vec<Entry>, force: bool) -> Result<(), BaselineError> {
    entries.sort();
    let write_error = |source: std::io::Error| BaselineError::Write {
        path: path.display().to_string(),
        source,
    };
    check_target(path, force)?;
    // The file a symlink points to is replaced, not the link.
    let destination = match std::fs::canonicalize(path) {
        Ok(target) if path.is_symlink() => target,
        _ => path.to_path_buf(),
    };
    let existing_mode = std::fs::metadata(&destination)
        .ok()
        .map(|m| m.permissions());
    let dir = base_dir(&destination);
    let prefix = temp_prefix(&destination);
    remove_stale_temporaries(&dir, &prefix);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        // As any file the user creates: 0666 less the umask (tempfile's default is 0600).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(&dir).map_err(write_error)?;
    if let Some(permissions) = existing_mode {
        // Set on the open file, so the umask does not narrow it (`chmod 664` stays 664).
        temp.as_file()
            .set_permissions(permissions)
            .map_err(write_error)?;
    }
    let file = File {
        version: 1,
        findings: entries,
    };
    write_json(&file, temp.as_file_mut()).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    if force {
        temp.persist(&destination)
            .map_err(|e| write_error(e.error))?;
    } else {
        // Fails, leaving the existing file alone, if one appeared since the check above.
        temp.persist_noclobber(&destination).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                BaselineError::Exists {
                    path: path.display().to_string(),
                }
            } else {
                write_error(e.error)
            }
        })?;
    }
    Ok(())
}

/// The baseline as JSON, through a 64 KiB buffer: serde writes a pretty-printed file a few
/// bytes at a time, and unbuffered that was 63,000 `write()` calls for 1,000 findings (issue 19:
/// 27 s to write the baseline of a check that took 5 s).
fn write_json(file: &File, out: impl Write) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, file)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The start of the name of a temporary file of the baseline at `path`.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "baseline".into(), |n| n.to_string_lossy());
    format!("{name}.statlint-tmp-")
}

/// Removes the temporary files a killed write of this baseline left in `dir` (and those of
/// earlier versions, `.statlint-baselineXXXXXX`), once they are [`STALE_AFTER`] old. Only
/// regular files are removed; anything that cannot be looked at is left alone.
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(prefix) || name.starts_with(".statlint-baseline")) {
            continue;
        }
        let stale = entry.metadata().ok().filter(|m| m.is_file()).and_then(|m| {
            let age = m.modified().ok()?.elapsed().ok()?;
            Some(age >= STALE_AFTER)
        });
        if stale == Some(true) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn entry(path: &str, text: &str, finding: &Finding) -> Entry {
    Entry {
        path: path.to_string(),
        rule: finding.rule.clone(),
        figures: fingerprint::figures(text, finding),
        context: fingerprint::context(text, finding),
    }
}

fn base_dir(baseline: &Path) -> PathBuf {
    absolute(baseline)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A document's path relative to the baseline's directory, with `/`; stdin's name as given.
fn key_path(dir: &Path, name: &str) -> String {
    let path = absolute(Path::new(name));
    match path.strip_prefix(dir) {
        Ok(relative) if name != "-" => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::span::Span;

    fn finding(text: &str, figure: &str) -> Finding {
        let start = text.find(figure).unwrap();
        Finding {
            rule: "malformed-amount".into(),
            severity: Severity::Error,
            message: String::new(),
            help: None,
            span: Span::new(start, start + figure.len()),
            labels: Vec::new(),
        }
    }

    #[test]
    fn round_trip_counts_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("a.txt");
        let name = doc.to_str().unwrap();
        let text = "甲8亿余万元。乙8亿余万元。";
        let baseline = dir.path().join("baseline.json");
        let one = vec![finding(text, "8亿余万元")];
        write(&baseline, entries(&baseline, name, text, &one), false).unwrap();
        let written = std::fs::read_to_string(&baseline).unwrap();
        assert!(written.contains("\"path\": \"a.txt\""), "{written}");
        assert!(matches!(
            write(&baseline, Vec::new(), false),
            Err(BaselineError::Exists { .. })
        ));
        assert_eq!(std::fs::read_to_string(&baseline).unwrap(), written);

        let mut accepted = Baseline::read(&baseline, 1 << 20).unwrap();
        let mut findings = vec![finding(text, "8亿余万元"), finding(text, "8亿余万元")];
        assert_eq!(accepted.filter(name, text, &mut findings), 1);
        assert_eq!(findings.len(), 1);

        write(&baseline, Vec::new(), true).unwrap();
        assert!(
            Baseline::read(&baseline, 1 << 20)
                .unwrap()
                .counts
                .is_empty()
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no temporary file is left: {leftovers:?}"
        );
    }

    #[test]
    fn invalid_baseline_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, r#"{"version":1,"findings":[{"rule":"x"}]}"#).unwrap();
        assert!(matches!(
            Baseline::read(&path, 1 << 20),
            Err(BaselineError::Invalid { .. })
        ));
    }

    fn many_entries(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                path: format!("bulletins/{i}.txt"),
                rule: "malformed-amount".into(),
                figures: vec![format!("{i}亿余万元")],
                context: format!("止付涉诈资金{i}亿余万元"),
            })
            .collect()
    }

    /// Counts the writes that reach it.
    #[derive(Default)]
    struct Counting {
        writes: usize,
        bytes: usize,
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.writes += 1;
            self.bytes += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Issue 19: serde wrote the pretty JSON a few bytes at a time, 63,000 `write()` calls
    /// for 1,000 findings.
    #[test]
    fn the_json_reaches_the_file_in_large_writes() {
        let file = File {
            version: 1,
            findings: many_entries(1000),
        };
        let mut counting = Counting::default();
        write_json(&file, &mut counting).unwrap();
        assert!(counting.bytes > 100_000, "{} bytes", counting.bytes);
        assert!(
            counting.writes <= counting.bytes / (1 << 16) + 2,
            "{} writes for {} bytes",
            counting.writes,
            counting.bytes
        );
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    /// Issue 19: `--force` replaced a 0644 baseline by a 0600 one (tempfile's mode).
    #[cfg(unix)]
    #[test]
    fn a_replaced_baseline_keeps_its_mode_and_a_new_one_gets_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let baseline = dir.path().join("baseline.json");
        write(&baseline, many_entries(1), false).unwrap();
        // As any file created here: 0666 less the umask, whatever the umask is.
        let usual = dir.path().join("usual");
        std::fs::File::create(&usual).unwrap();
        assert_eq!(mode(&baseline), mode(&usual));
        // 0664 and 0640 survive whatever the umask would make of them.
        for wanted in [0o664, 0o640, 0o604] {
            std::fs::set_permissions(&baseline, std::fs::Permissions::from_mode(wanted)).unwrap();
            write(&baseline, many_entries(2), true).unwrap();
            assert_eq!(mode(&baseline), wanted, "{wanted:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_baseline_is_written_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/baseline.json");
        write(&target, many_entries(1), false).unwrap();
        let link = dir.path().join("baseline.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write(&link, many_entries(3), true).unwrap();
        assert!(link.is_symlink(), "the link is left a link");
        let file: File = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
        assert_eq!(file.findings.len(), 3);
    }

    /// Issue 19: as root, `--write-baseline /dev/full --force` replaced the device with a file.
    /// A FIFO, a directory and a dangling link stand for it here (no test touches `/dev`).
    #[cfg(unix)]
    #[test]
    fn nothing_but_a_regular_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let sub = dir.path().join("dir.json");
        std::fs::create_dir(&sub).unwrap();
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        let to_fifo = dir.path().join("to-fifo.json");
        let mut cases = vec![(sub, "a directory"), (dangling, "a dangling symlink")];
        if made.is_ok_and(|s| s.success()) {
            std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
            cases.push((fifo, "a FIFO"));
            cases.push((to_fifo, "a FIFO"));
        }
        for (path, kind) in cases {
            match write(&path, many_entries(1), true) {
                Err(BaselineError::NotRegular { kind: found, .. }) => {
                    assert_eq!(found, kind, "{}", path.display())
                }
                other => panic!("{}: {other:?}", path.display()),
            }
        }
        let listing: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("statlint-tmp"))
            .collect();
        assert!(listing.is_empty(), "{listing:?}");
    }

    /// Issue 19: a killed write left a hidden temporary file behind for good.
    #[test]
    fn stale_temporary_files_are_removed_and_fresh_ones_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let baseline = dir.path().join("baseline.json");
        let old = std::time::SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
        let names = [
            ("baseline.json.statlint-tmp-AAAAAA", true),
            (".statlint-baselineBBBBBB", true),
            ("baseline.json.statlint-tmp-CCCCCC", false),
            ("other.json.statlint-tmp-DDDDDD", true),
        ];
        for (name, stale) in names {
            let file = std::fs::File::create(dir.path().join(name)).unwrap();
            if stale {
                file.set_modified(old).unwrap();
            }
        }
        write(&baseline, many_entries(1), false).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // A fresh one may belong to a write still running; another baseline's is its own.
        assert_eq!(
            left,
            [
                "baseline.json",
                "baseline.json.statlint-tmp-CCCCCC",
                "other.json.statlint-tmp-DDDDDD"
            ]
        );
    }
}
