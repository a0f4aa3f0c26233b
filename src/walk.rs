//! Which files a `check` reads: the paths on the command line, and the files found in the
//! directories among them.
//!
//! Directories are walked recursively with the `ignore` crate, as ripgrep walks them: hidden
//! files and directories are skipped, and `.gitignore` (inside a git repository or not),
//! `.ignore` and the global git excludes are honoured. A directory contributes its `.txt`, `.md`
//! (`.markdown`), `.docx` and `.odt` files, whatever the case of their extension (`报告.DOCX`),
//! except Word's lock files (`~$稿件.docx`, written while a document is open), which are
//! skipped even when named (a pre-commit hook names every staged file). `include` globs, when given, narrow that further; `exclude` globs apply to
//! every path, named or found, so a pre-commit hook that names files honours them too. Globs use
//! gitignore syntax relative to their base directory (the config file's, or the current one for
//! command-line globs): `drafts/` excludes a directory anywhere, `/drafts/` only at the base.

use crate::config::absolute;
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use miette::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// The extensions a directory contributes.
pub const TYPES: &[&str] = &["txt", "md", "markdown", "docx", "odt"];

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

/// Gitignore-style globs, each set relative to its own base directory.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    sets: Vec<(PathBuf, Gitignore)>,
}

/// A glob that does not parse: its index in the list given to [`Globs::add`], and why.
#[derive(Debug)]
pub struct BadGlob {
    pub index: usize,
    pub message: String,
}

impl Globs {
    /// Add globs relative to `base` (made absolute).
    pub fn add(&mut self, base: &Path, globs: &[&str]) -> Result<(), BadGlob> {
        if globs.is_empty() {
            return Ok(());
        }
        let base = absolute(base);
        let mut builder = GitignoreBuilder::new(&base);
        for (index, glob) in globs.iter().enumerate() {
            builder.add_line(None, glob).map_err(|e| BadGlob {
                index,
                message: e.to_string(),
            })?;
        }
        let set = builder.build().map_err(|e| BadGlob {
            index: 0,
            message: e.to_string(),
        })?;
        self.sets.push((base, set));
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Does a glob match `path` (absolute) or one of its directories?
    pub fn matches(&self, path: &Path, is_dir: bool) -> bool {
        self.sets.iter().any(|(base, set)| {
            let Ok(relative) = path.strip_prefix(base) else {
                return set.matched(path, is_dir).is_ignore();
            };
            let mut candidate = Some(relative);
            let mut dir = is_dir;
            while let Some(p) = candidate.filter(|p| !p.as_os_str().is_empty()) {
                match set.matched(p, dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
                candidate = p.parent();
                dir = true;
            }
            false
        })
    }
}

/// Which found files are checked.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub include: Globs,
    pub exclude: Globs,
}

#[derive(Debug, Error, Diagnostic)]
#[error("{path}: cannot walk: {message}")]
#[diagnostic(code(statlint::io))]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// The documents to check, sorted by path and without duplicates (stdin, `-`, first), and
/// every directory that could not be walked.
pub fn inputs(paths: &[PathBuf], filter: &Filter) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let exclude = Arc::new(filter.exclude.clone());
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        if filter.exclude.matches(&absolute(path), path.is_dir()) || is_lock_file(path) {
            continue;
        }
        if !path.is_dir() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        let exclude = Arc::clone(&exclude);
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                entry.depth() == 0 || !exclude.matches(&absolute(entry.path()), is_dir)
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    // Links are not followed into directories (a link to a parent would loop),
                    // but a linked file is a file.
                    let is_file = entry
                        .file_type()
                        .is_some_and(|t| t.is_file() || (t.is_symlink() && entry.path().is_file()));
                    if is_file
                        && is_checked_type(entry.path())
                        && (filter.include.is_empty()
                            || filter.include.matches(&absolute(entry.path()), false))
                    {
                        inputs.push(Input::File(entry.into_path()));
                    }
                }
                Err(e) => errors.push(WalkError {
                    path: path.display().to_string(),
                    message: e.to_string(),
                }),
            }
        }
    }
    inputs.sort();
    inputs.dedup();
    (inputs, errors)
}

/// Word's and WPS's lock file of an open document (`~$稿件.docx`): a few bytes of the user's
/// name, never a document.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

fn is_checked_type(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    !is_lock_file(path) && extension.is_some_and(|e| TYPES.contains(&e.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(inputs: &[Input], root: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|i| match i {
                Input::Stdin => "-".to_string(),
                Input::File(p) => p
                    .strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/"),
            })
            .collect()
    }

    #[test]
    fn walks_types_honours_gitignore_hidden_and_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.txt",
            "b.md",
            "c.docx",
            "报告.DOCX",
            "e.odt",
            "~$c.docx",
            "d.rs",
            "sub/e.txt",
            "sub/skip.txt",
            ".hidden/f.txt",
            ".g.txt",
            "build/g.txt",
            "drafts/h.txt",
        ] {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        fs::write(root.join(".gitignore"), "build/\nsub/skip.txt\n").unwrap();
        let mut filter = Filter::default();
        let (inputs, errors) = inputs(&[root.to_path_buf()], &filter);
        assert!(errors.is_empty());
        assert_eq!(
            names(&inputs, root),
            [
                "a.txt",
                "b.md",
                "c.docx",
                "drafts/h.txt",
                "e.odt",
                "sub/e.txt",
                "报告.DOCX"
            ]
        );

        filter.exclude.add(root, &["drafts/", "*.md"]).unwrap();
        filter
            .include
            .add(root, &["/sub", "*.docx", "drafts/**"])
            .unwrap();
        let explicit = [
            root.to_path_buf(),
            root.join("b.md"),
            root.join("d.rs"),
            root.join("~$c.docx"),
        ];
        let (inputs, _) = super::inputs(&explicit, &filter);
        assert_eq!(names(&inputs, root), ["c.docx", "d.rs", "sub/e.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn linked_files_are_checked_linked_directories_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        std::os::unix::fs::symlink(root.join("a.txt"), root.join("link.txt")).unwrap();
        let (inputs, errors) = inputs(&[root.to_path_buf()], &Filter::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(names(&inputs, root), ["a.txt", "link.txt"]);
    }

    #[test]
    fn bad_glob_is_reported_with_its_index() {
        let mut globs = Globs::default();
        let err = globs.add(Path::new("/"), &["ok", "a{b"]).unwrap_err();
        assert_eq!(err.index, 1);
    }
}
