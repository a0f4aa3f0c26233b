//! SARIF 2.1.0, the format code-scanning services read (GitHub's `upload-sarif`, GitLab, IDE
//! viewers): one run, the rules checked with their summaries and documentation, and a result
//! per finding with its region in lines and *characters* (`columnKind: unicodeCodePoints`), the
//! other figures as related locations, and a partial fingerprint that survives edits elsewhere
//! in the document (see [`crate::fingerprint`]), so a service tracks a finding across commits.

use super::json::PrettyArray;
use super::{FileReport, Printer, RuleInfo, positions};
use crate::fingerprint;
use crate::rules::Severity;
use crate::span::{LineIndex, Span};
use serde_json::{Value, json};
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log, written a document at a time: the log's opening up to `"results": [` first,
/// each document's results as it comes, then the rest of the log (the rules, which SARIF prints
/// after the results because keys are in alphabetical order). Nothing of a document is kept.
pub struct Sarif<'a> {
    rules: &'a [RuleInfo],
    /// The log without results, cut where they go: written before and after them.
    head: String,
    tail: String,
    results: PrettyArray,
}

/// Stands for the results in the log without them, where the stream cuts it in two.
const RESULTS: &str = "\"results\": []";

impl<'a> Sarif<'a> {
    pub fn new(rules: &'a [RuleInfo]) -> Sarif<'a> {
        let descriptors: Vec<Value> = rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.explanation.trim()},
                    "help": {"text": r.help},
                    "defaultConfiguration": {"level": level(r.severity)},
                })
            })
            .collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "statlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }},
                "columnKind": "unicodeCodePoints",
                "results": [],
            }],
        });
        // A string value cannot hold `"results": []` unescaped, so the only match is the key.
        let text = serde_json::to_string_pretty(&log).expect("a JSON value serializes");
        let (head, tail) = text
            .split_once(RESULTS)
            .expect("the log has a results array");
        Sarif {
            rules,
            head: format!("{head}\"results\": "),
            tail: tail.to_string(),
            results: PrettyArray::default(),
        }
    }

    /// How deep the results array is nested: the indentation of its key, two spaces a level.
    fn depth(&self) -> usize {
        let line = self.head.rsplit('\n').next().unwrap_or("");
        (line.len() - line.trim_start_matches(' ').len()) / 2
    }
}

impl Printer for Sarif<'_> {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.head.as_bytes())?;
        self.results = PrettyArray::open(out, self.depth())?;
        Ok(())
    }

    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        if report.findings.is_empty() {
            // Most files of a run have no finding: spare them the scan for line starts.
            return Ok(());
        }
        let index = LineIndex::new(&report.text);
        let uri = uri(&report.name);
        let location = |span: Span| {
            let (start, end) = positions(&index, &report.text, span);
            json!({
                "artifactLocation": {"uri": uri},
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                    "snippet": {"text": report.text.get(span.range()).unwrap_or("")},
                },
            })
        };
        for finding in &report.findings {
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push('\n');
                message.push_str(help);
            }
            let related: Vec<Value> = finding
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    json!({
                        "id": i,
                        "physicalLocation": location(label.span),
                        "message": {"text": label.message},
                    })
                })
                .collect();
            let key = fingerprint::fingerprint(
                &finding.rule,
                &fingerprint::figures(&report.text, finding),
                &fingerprint::context(&report.text, finding),
            );
            let mut result = json!({
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": {"text": message},
                "locations": [{"physicalLocation": location(finding.span)}],
                "partialFingerprints": {"statlint/v1": key},
            });
            if let Some(i) = self.rules.iter().position(|r| r.id == finding.rule) {
                result["ruleIndex"] = json!(i);
            }
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            self.results.push(out, &result)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.results.close(out)?;
        out.write_all(self.tail.as_bytes())?;
        writeln!(out)
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A document name as a URI reference: relative paths stay relative (code scanning resolves them
/// against the repository root), absolute ones become `file://` URIs; everything but unreserved
/// characters and `/` is percent-encoded (Chinese file names included).
fn uri(name: &str) -> String {
    let name = name.replace('\\', "/");
    let name = name.strip_prefix("./").unwrap_or(&name);
    let mut out = String::new();
    if name.starts_with('/') {
        out.push_str("file://");
    }
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("./通报/a b.txt"), "%E9%80%9A%E6%8A%A5/a%20b.txt");
        assert_eq!(uri("/tmp/x.md"), "file:///tmp/x.md");
        assert_eq!(uri("dir\\x.txt"), "dir/x.txt");
    }
}
