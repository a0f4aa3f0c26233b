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

use crate::config::absolute;
use crate::finding::Finding;
use crate::fingerprint;
use miette::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
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
    #[error("{path}: cannot read the baseline: {source}")]
    #[diagnostic(code(statlint::baseline))]
    Read {
        path: String,
        source: std::io::Error,
    },
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
}

/// The accepted findings of a baseline file, counted by entry.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    dir: PathBuf,
    counts: HashMap<Entry, usize>,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
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

/// Write a baseline atomically: a temporary file beside it, renamed over it. An existing file is
/// replaced only with `force`.
pub fn write(path: &Path, mut entries: Vec<Entry>, force: bool) -> Result<(), BaselineError> {
    entries.sort();
    let write_error = |source: std::io::Error| BaselineError::Write {
        path: path.display().to_string(),
        source,
    };
    if !force && path.exists() {
        return Err(BaselineError::Exists {
            path: path.display().to_string(),
        });
    }
    let dir = base_dir(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".statlint-baseline")
        .tempfile_in(&dir)
        .map_err(write_error)?;
    let file = File {
        version: 1,
        findings: entries,
    };
    serde_json::to_writer_pretty(&mut temp, &file).map_err(|e| write_error(e.into()))?;
    temp.write_all(b"\n").map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    if force {
        temp.persist(path).map_err(|e| write_error(e.error))?;
    } else {
        // Fails, leaving the existing file alone, if one appeared since the check above.
        temp.persist_noclobber(path).map_err(|e| {
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

        let mut accepted = Baseline::read(&baseline).unwrap();
        let mut findings = vec![finding(text, "8亿余万元"), finding(text, "8亿余万元")];
        assert_eq!(accepted.filter(name, text, &mut findings), 1);
        assert_eq!(findings.len(), 1);

        write(&baseline, Vec::new(), true).unwrap();
        assert!(Baseline::read(&baseline).unwrap().counts.is_empty());
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
            Baseline::read(&path),
            Err(BaselineError::Invalid { .. })
        ));
    }
}
