//! The docs cannot drift from the program (issue 18): every `statlint …` command shown in a
//! shell block of the README and of `docs/` runs, in the order a reader would run them, on
//! bulletins named as the command names them, and does its job (exit 0 or 1, never 2: an
//! unknown command or flag, a file format the docs promise and statlint refuses).

mod common;

use common::{fixture, seed_text};
use std::fs;
use std::path::Path;
use std::process::Command;

/// The `statlint …` lines of the ```sh blocks of a Markdown file, their comments cut.
fn commands(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_shell = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_shell = !in_shell && matches!(trimmed, "```sh" | "```bash" | "```console");
            continue;
        }
        if !in_shell || !trimmed.starts_with("statlint ") {
            continue;
        }
        let command = match trimmed.find(" #") {
            Some(at) => &trimmed[..at],
            None => trimmed,
        };
        // `[DIR]`: an optional argument, left out.
        let command: Vec<&str> = command
            .split_whitespace()
            .filter(|w| !w.starts_with('['))
            .collect();
        out.push(command.join(" "));
    }
    out
}

/// A directory holding the files the docs' commands name.
fn workspace(dir: &Path) {
    let seed = seed_text();
    for name in ["草稿.txt", "a.txt", "稿件.md", "docs/a.txt"] {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, &seed).unwrap();
    }
    fs::copy(fixture("office/table.docx"), dir.join("稿件.docx")).unwrap();
}

#[test]
fn every_command_in_the_docs_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = assert_cmd::cargo::cargo_bin("statlint");
    let bin_dir = binary.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<_> = fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    let mut ran = 0;
    for page in pages {
        let dir = tempfile::tempdir().unwrap();
        workspace(dir.path());
        // A baseline to read, for a page that reads one before writing it.
        let status = Command::new(&binary)
            .current_dir(dir.path())
            .args(["check", "--quiet", "--write-baseline", "b.json", "."])
            .status()
            .unwrap();
        assert!(status.success());
        for command in commands(&fs::read_to_string(&page).unwrap()) {
            let output = Command::new("sh")
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .args(["-c", &command])
                .output()
                .unwrap();
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{}: `{command}` exited {code:?}:\n{}",
                page.display(),
                String::from_utf8_lossy(&output.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 15, "only {ran} commands found in the docs");
}

#[test]
fn commands_are_found_in_shell_blocks_only() {
    let markdown = "```sh\nstatlint check a.txt   # comment\nstatlint test-rules [DIR]\nls\n```\n\
                    statlint check outside.txt\n```toml\nstatlint = 1\n```\n";
    assert_eq!(
        commands(markdown),
        ["statlint check a.txt", "statlint test-rules"]
    );
}
