//! Every fixture's findings equal the expectations written beside it by reading the bulletin:
//! nothing missing, nothing extra. `NAME.expected` holds one finding a line,
//! `rule<TAB>text under label 1<TAB>…` (labels in source order); `#` starts a comment.

mod common;

use common::{check_json, finding_lines};
use std::path::{Path, PathBuf};

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixtures(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt")
            && path.with_extension("expected").exists()
        {
            out.push(path);
        }
    }
}

fn expected(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path.with_extension("expected")).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_fixture_matches_its_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths = Vec::new();
    fixtures(&root, &mut paths);
    paths.sort();
    assert!(paths.len() >= 6, "fixtures are missing: {paths:?}");
    let mut mismatches = Vec::new();
    for path in &paths {
        let (json, _) = check_json(&[path.to_str().unwrap()]);
        let file = &json["files"][0];
        let text = statlint::load::load_path(path).unwrap().text;
        let got = finding_lines(file, &text);
        let want = expected(path);
        if got != want {
            mismatches.push(format!(
                "{}\n  expected: {want:#?}\n  got:      {got:#?}",
                path.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
