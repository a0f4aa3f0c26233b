//! `statlint.toml`: a project's settings, found from the current directory upward or given with
//! `--config`.
//!
//! ```toml
//! rule-dirs = ["rules"]                 # extra rule directories, relative to this file
//! select = ["malformed-amount", "staff"] # rule ids or prefixes (`staff` selects `staff-…`)
//! ignore = ["unused-suppression"]
//! fail-on = "warning"                   # error | warning | info
//! include = ["bulletins/**"]            # gitignore-style globs, relative to this file
//! exclude = ["drafts/", "*.bak.md"]
//!
//! [severity]
//! staff-exceeds-villages = "warning"
//!
//! [per-file-ignores]
//! "archive/**" = ["staff-exceeds-villages"]
//! ```
//!
//! Strict, like the rule files: an unknown key, a bad value, or (once the rules are loaded, see
//! `cli::settings`) a rule id or prefix that names no rule is an error with a span into the file.
//! A misspelt `ignore` would otherwise be silently ignored itself.

use crate::load::{self, LoadError};
use crate::rules::Severity;
use crate::source::SharedSource;
use miette::{Diagnostic, SourceSpan};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;
use toml::Spanned;

pub const FILE_NAME: &str = "statlint.toml";

/// A parsed `statlint.toml`. Rule ids are checked against the loaded rules later, with
/// [`Config::error`] for the diagnostic.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as an absolute path.
    pub path: PathBuf,
    /// Its directory: relative paths and globs in the file are relative to it.
    pub dir: PathBuf,
    /// Shared with every diagnostic about the file, never copied into one (issue 19).
    pub text: Arc<str>,
    pub rule_dirs: Vec<Spanned<String>>,
    pub select: Option<Vec<Spanned<String>>>,
    /// Where `select`'s list is written, for a warning when it is empty.
    pub select_span: Option<Range<usize>>,
    pub ignore: Vec<Spanned<String>>,
    pub severity: Vec<(Spanned<String>, Severity)>,
    pub fail_on: Option<Severity>,
    pub include: Vec<Spanned<String>>,
    pub exclude: Vec<Spanned<String>>,
    pub per_file_ignores: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    rule_dirs: Vec<Spanned<String>>,
    select: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("{path}: cannot read the configuration: {}", .source.reason())]
    #[diagnostic(code(statlint::config))]
    Io { path: String, source: LoadError },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<Invalid>),
}

/// A mistake in a configuration file, with a span into it.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(statlint::config))]
pub struct Invalid {
    pub message: String,
    #[source_code]
    pub src: SharedSource,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl Config {
    /// The first `statlint.toml` in `dir` or one of its ancestors. One that is there but
    /// cannot be read (a directory, a FIFO, a link to `/dev/zero`) is an error, not passed
    /// over: the settings it was meant to hold would be silently lost.
    pub fn discover(dir: &Path, limit: u64) -> Result<Option<Config>, ConfigError> {
        for ancestor in dir.ancestors() {
            let candidate = ancestor.join(FILE_NAME);
            if candidate.symlink_metadata().is_ok() {
                return Config::load(&candidate, limit).map(Some);
            }
        }
        Ok(None)
    }

    /// Read and parse a configuration file: a regular file of at most `limit` bytes, as the
    /// files statlint checks (see [`load::read_file`]).
    pub fn load(path: &Path, limit: u64) -> Result<Config, ConfigError> {
        let text = load::read_text_file(path, limit).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Config::parse(&absolute(path), text)
    }

    /// Parse the text of the configuration file at `path` (absolute).
    pub fn parse(path: &Path, text: String) -> Result<Config, ConfigError> {
        let mut config = Config {
            path: path.to_path_buf(),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            text: Arc::from(text),
            rule_dirs: Vec::new(),
            select: None,
            select_span: None,
            ignore: Vec::new(),
            severity: Vec::new(),
            fail_on: None,
            include: Vec::new(),
            exclude: Vec::new(),
            per_file_ignores: Vec::new(),
        };
        let raw: Raw = toml::from_str(&config.text).map_err(|e| {
            let help = e.message().starts_with("unknown field").then(|| {
                "statlint.toml keys: rule-dirs, select, ignore, fail-on, include, exclude, \
                 [severity], [per-file-ignores]"
                    .to_string()
            });
            config.error(e.span(), e.message().trim().to_string(), "here", help)
        })?;
        let severity_of = |value: &Spanned<String>, what: &str| {
            Severity::parse(value.get_ref()).ok_or_else(|| {
                config.error(
                    Some(value.span()),
                    format!("unknown {what} `{}`", value.get_ref()),
                    "expected error, warning or info",
                    None,
                )
            })
        };
        let fail_on = raw
            .fail_on
            .as_ref()
            .map(|v| severity_of(v, "fail-on level"))
            .transpose()?;
        let severity = raw
            .severity
            .iter()
            .map(|(id, level)| Ok((id.clone(), severity_of(level, "severity")?)))
            .collect::<Result<Vec<_>, ConfigError>>()?;
        config.rule_dirs = raw.rule_dirs;
        config.select_span = raw.select.as_ref().map(Spanned::span);
        config.select = raw.select.map(Spanned::into_inner);
        config.ignore = raw.ignore;
        config.fail_on = fail_on;
        config.severity = severity;
        config.include = raw.include;
        config.exclude = raw.exclude;
        config.per_file_ignores = raw.per_file_ignores.into_iter().collect();
        Ok(config)
    }

    /// The file as a diagnostic's source: its text shared, not copied.
    pub fn source(&self) -> SharedSource {
        SharedSource::new(self.path.display().to_string(), Arc::clone(&self.text))
            .with_language("toml")
    }

    /// A diagnostic pointing into this file.
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError::Invalid(Box::new(Invalid {
            message: format!("{}: {message}", self.path.display()),
            src: self.source(),
            span: span.map(|r| (r.start, r.len()).into()),
            label: label.to_string(),
            help,
        }))
    }
}

/// Does a selector (`select`, `ignore`, a suppression comment) name rule `id`? A selector names
/// the rule with that id, and every rule whose id continues it after a `-`: `staff` names
/// `staff-exceeds-villages`, `sta` names nothing.
pub fn matches_rule(selector: &str, id: &str) -> bool {
    id == selector
        || (id.starts_with(selector)
            && (selector.ends_with('-') || id[selector.len()..].starts_with('-')))
}

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically
/// (symlinks are not followed: globs and baselines speak of paths as the user wrote them).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/p/statlint.toml"), text.to_string())
    }

    fn error_at(text: &str) -> (String, usize) {
        match parse(text).unwrap_err() {
            ConfigError::Invalid(e) => (e.message, e.span.unwrap().offset()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn full_file_parses() {
        let config = parse(
            r#"rule-dirs = ["team"]
select = ["malformed-amount", "staff"]
ignore = ["unused-suppression"]
fail-on = "warning"
include = ["bulletins/**"]
exclude = ["drafts/"]
[severity]
staff-exceeds-villages = "warning"
[per-file-ignores]
"archive/**" = ["staff-exceeds-villages"]
"#,
        )
        .unwrap();
        assert_eq!(config.dir, Path::new("/p"));
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert_eq!(config.severity[0].1, Severity::Warning);
        assert_eq!(config.per_file_ignores[0].0.get_ref(), "archive/**");
        assert_eq!(config.select.unwrap().len(), 2);
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "select = []\nfail_on = \"error\"\n";
        let (message, at) = error_at(text);
        assert!(message.contains("unknown field `fail_on`"), "{message}");
        assert_eq!(at, text.find("fail_on").unwrap());
        let text = "[severity]\nmalformed-amount = \"fatal\"\n";
        let (message, at) = error_at(text);
        assert!(message.contains("unknown severity `fatal`"), "{message}");
        assert_eq!(at, text.find("\"fatal\"").unwrap());
    }

    /// Issue 19: each diagnostic held a copy of the whole file.
    #[test]
    fn diagnostics_share_the_text() {
        let config = parse("select = []\n").unwrap();
        assert_eq!(config.select_span, Some(9..11));
        let errors = [0..6, 9..11].map(|span| config.error(Some(span), "m".into(), "l", None));
        let shared = config.source();
        for error in errors {
            let ConfigError::Invalid(error) = error else {
                panic!("{error:?}")
            };
            assert!(error.src.shares_text_with(&shared));
        }
    }

    #[test]
    fn selectors_match_whole_words() {
        let cases = [
            ("staff", "staff-exceeds-villages", true),
            ("staff-", "staff-exceeds-villages", true),
            ("staff-exceeds-villages", "staff-exceeds-villages", true),
            ("sta", "staff-exceeds-villages", false),
            ("villages", "staff-exceeds-villages", false),
        ];
        for (selector, id, expected) in cases {
            assert_eq!(matches_rule(selector, id), expected, "{selector} {id}");
        }
    }

    #[test]
    fn absolute_resolves_dots_lexically() {
        assert_eq!(absolute(Path::new("/a/./b/../c")), Path::new("/a/c"));
    }
}
