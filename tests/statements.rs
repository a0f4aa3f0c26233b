//! What statlint understands of each figure, pinned by the case table
//! `tests/data/statements.toml` (written by reading each text; see its header).

mod common;

use common::statlint;
use serde_json::Value;

#[derive(serde::Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    text: String,
    expect: Vec<Expect>,
}

#[derive(serde::Deserialize)]
struct Expect {
    figure: String,
    #[serde(default = "first")]
    nth: usize,
    role: Option<String>,
    direction: Option<String>,
    measure: Option<String>,
    qualifiers: Option<Vec<String>>,
    #[serde(default)]
    links: Vec<String>,
    #[serde(default)]
    no_links: Vec<String>,
}

fn first() -> usize {
    1
}

fn statements(text: &str) -> Vec<Value> {
    let output = statlint()
        .args(["extract", "--statements", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = report
        .get("files")
        .and_then(|f| f.get(0))
        .unwrap_or(&report);
    file["statements"].as_array().cloned().unwrap_or_default()
}

/// The index of the `nth` statement (1-based) whose text is `figure`.
fn find(all: &[Value], figure: &str, nth: usize) -> Option<usize> {
    all.iter()
        .enumerate()
        .filter(|(_, s)| s["text"] == figure)
        .nth(nth.checked_sub(1)?)
        .map(|(i, _)| i)
}

/// `earlier 3人#1` → (`earlier`, index of the first `3人`).
fn target(all: &[Value], link: &str) -> (String, usize) {
    let (kind, figure) = link.split_once(' ').expect("a link is `kind figure`");
    let (figure, nth) = match figure.split_once('#') {
        Some((f, n)) => (f, n.parse().expect("#nth is a number")),
        None => (figure, 1),
    };
    let at = find(all, figure, nth).unwrap_or_else(|| panic!("no statement {figure}#{nth}"));
    (kind.to_string(), at)
}

fn links_of(s: &Value) -> Vec<(String, usize)> {
    s["links"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l["link"].as_str().unwrap_or_default().to_string(),
                l["to"].as_u64().unwrap_or(u64::MAX) as usize,
            )
        })
        .collect()
}

#[test]
fn every_statement_case() {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/statements.toml"
    ))
    .unwrap();
    let table: Table = toml::from_str(&raw).unwrap();
    let mut failures = Vec::new();
    for case in &table.case {
        let all = statements(&case.text);
        for e in &case.expect {
            let Some(i) = find(&all, &e.figure, e.nth) else {
                failures.push(format!(
                    "[{}] no statement {}#{}",
                    case.name, e.figure, e.nth
                ));
                continue;
            };
            let s = &all[i];
            let mut fail = |what: &str, got: String| {
                failures.push(format!(
                    "[{}] {}#{}: {what}, got {got}",
                    case.name, e.figure, e.nth
                ));
            };
            if let Some(role) = &e.role
                && s["role"] != role.as_str()
            {
                fail(&format!("role {role}"), s["role"].to_string());
            }
            if let Some(direction) = &e.direction
                && s["direction"] != direction.as_str()
            {
                fail(
                    &format!("direction {direction}"),
                    s["direction"].to_string(),
                );
            }
            let m = &s["measure"];
            let measure = format!(
                "{}|{}",
                m["verb"].as_str().unwrap_or_default(),
                m["object"].as_str().unwrap_or_default()
            );
            if let Some(want) = &e.measure
                && &measure != want
            {
                fail(&format!("measure {want}"), measure.clone());
            }
            if let Some(want) = &e.qualifiers {
                let got: Vec<String> = m["qualifiers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|q| q.as_str().map(String::from))
                    .collect();
                if &got != want {
                    fail(&format!("qualifiers {want:?}"), format!("{got:?}"));
                }
            }
            let links = links_of(s);
            for link in &e.links {
                if !links.contains(&target(&all, link)) {
                    fail(&format!("link {link}"), format!("{links:?}"));
                }
            }
            for link in &e.no_links {
                if links.contains(&target(&all, link)) {
                    fail(&format!("no link {link}"), format!("{links:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
