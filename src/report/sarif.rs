//! SARIF 2.1.0, the format code-scanning services read (GitHub's `upload-sarif`, GitLab, IDE
//! viewers): one run, the rules checked with their summaries and documentation, and a result
//! per finding with its region in lines and *characters* (`columnKind: unicodeCodePoints`), the
//! other figures as related locations, and a partial fingerprint that survives edits elsewhere
//! in the document (see [`crate::fingerprint`]), so a service tracks a finding across commits.
//! Beside it, `primaryLocationLineHash` is computed as GitHub code scanning computes it
//! ([`line_hashes`]), so `upload-sarif` has nothing to compute and matches its own alerts. A
//! document that could not be checked is a notification of the run's invocation, which then
//! says `executionSuccessful: false`.

use super::json::{PrettyArray, write_pretty};
use super::{FileError, FileReport, Printer, RuleInfo, positions};
use crate::fingerprint;
use crate::rules::Severity;
use crate::span::{LineIndex, Span};
use serde_json::{Value, json};
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the rule reference is published: each rule's `helpUri` is this with `#rule-id`. Set
/// `STATLINT_RULE_REFERENCE_URL` when building statlint to point at your own copy.
const RULE_REFERENCE_URL: &str = match option_env!("STATLINT_RULE_REFERENCE_URL") {
    Some(url) => url,
    None => "https://git.example.org/statlint/blob/main/docs/rule-reference.md",
};

/// `staff-exceeds-villages` → `StaffExceedsVillages`: SARIF's `name` of a rule, the identifier
/// code scanning shows beside the id.
fn rule_name(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// The SARIF log, written a document at a time: the log's opening up to `"results": [` first,
/// each document's results as it comes, then the rest of the log (the rules, which SARIF prints
/// after the results because keys are in alphabetical order). Nothing of a document is kept.
pub struct Sarif<'a> {
    rules: &'a [RuleInfo],
    /// The log without results, cut where they go: written before and after them.
    head: String,
    tail: String,
    results: PrettyArray,
    /// The documents that could not be checked: kept to the end, where the invocation that
    /// reports them is written. Small: one line of text a document.
    notifications: Vec<Value>,
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
                    "name": rule_name(&r.id),
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.explanation.trim()},
                    "help": {"text": r.help, "markdown": r.help_markdown},
                    "helpUri": format!("{RULE_REFERENCE_URL}#{}", r.id),
                    "defaultConfiguration": {"level": level(r.severity)},
                    "properties": {
                        // Findings are relations that fail for every reading of the figures
                        // (approximate ones widen to intervals): definite, not heuristics.
                        "precision": "very-high",
                        "tags": ["statistics", "consistency"],
                    },
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
            notifications: Vec::new(),
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
        let hashes = line_hashes(&report.text);
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
            let line = index.line_of(finding.span.start);
            let mut fingerprints = json!({"statlint/v1": key});
            if let Some(hash) = hashes.get(line) {
                fingerprints["primaryLocationLineHash"] = json!(hash);
            }
            let mut result = json!({
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": {"text": message},
                "locations": [{"physicalLocation": location(finding.span)}],
                "partialFingerprints": fingerprints,
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

    fn failure(&mut self, error: &FileError, _out: &mut dyn Write) -> io::Result<()> {
        self.notifications.push(json!({
            "level": "error",
            "message": {"text": error.message},
            "descriptor": {"id": error.reason},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&error.name)}}}],
        }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.results.close(out)?;
        // After the results, where the stream is: a reader of SARIF does not care for the
        // order of keys.
        let invocation = json!([{
            "executionSuccessful": self.notifications.is_empty(),
            "toolExecutionNotifications": self.notifications,
        }]);
        out.write_all(b",\n")?;
        let depth = self.depth();
        for _ in 0..depth {
            out.write_all(b"  ")?;
        }
        out.write_all(b"\"invocations\": ")?;
        write_pretty(out, &invocation, depth)?;
        out.write_all(self.tail.as_bytes())?;
        writeln!(out)
    }
}

/// The `primaryLocationLineHash` of every line of `text`, as GitHub's `upload-sarif` computes
/// them (`fingerprints.ts` of github/codeql-action): a rolling hash over the 100 characters
/// (UTF-16 code units) from the start of each line, spaces and tabs skipped, every line end
/// read as `\n`, with `:n` for the n-th line of the file with the same hash.
pub fn line_hashes(text: &str) -> Vec<String> {
    const BLOCK: usize = 100;
    const MOD: i64 = 37;
    const EOF: i64 = 65535;
    let first_mod = (0..BLOCK).fold(1i64, |m, _| m.wrapping_mul(MOD));
    let mut window = [0i64; BLOCK];
    let mut line_numbers = [None::<usize>; BLOCK];
    let mut hash = 0i64;
    let mut index = 0;
    let mut line = 0;
    let mut line_start = true;
    let mut previous_cr = false;
    let mut counts: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let mut out: Vec<String> = Vec::new();
    let mut emit = |at: usize, hash: i64, line_numbers: &mut [Option<usize>; BLOCK]| {
        if let Some(number) = line_numbers[at].take() {
            let value = hash as u64;
            let count = counts.entry(value).or_insert(0);
            *count += 1;
            if out.len() < number {
                out.resize(number, String::new());
            }
            out[number - 1] = format!("{value:x}:{count}");
        }
    };
    let update = |current: i64, hash: &mut i64, index: &mut usize, window: &mut [i64; BLOCK]| {
        let begin = window[*index];
        window[*index] = current;
        *hash = MOD
            .wrapping_mul(*hash)
            .wrapping_add(current)
            .wrapping_sub(first_mod.wrapping_mul(begin));
        *index = (*index + 1) % BLOCK;
    };
    let units = text.encode_utf16().map(i64::from).chain([EOF]);
    for mut current in units {
        let (space, tab, lf, cr) = (i64::from(b' '), i64::from(b'\t'), 10, 13);
        if current == space || current == tab || (previous_cr && current == lf) {
            previous_cr = false;
            continue;
        }
        if current == cr {
            current = lf;
            previous_cr = true;
        } else {
            previous_cr = false;
        }
        emit(index, hash, &mut line_numbers);
        if line_start {
            line_start = false;
            line += 1;
            line_numbers[index] = Some(line);
        }
        if current == lf {
            line_start = true;
        }
        update(current, &mut hash, &mut index, &mut window);
    }
    for _ in 0..BLOCK {
        emit(index, hash, &mut line_numbers);
        update(0, &mut hash, &mut index, &mut window);
    }
    out
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

    /// The cases of `fingerprints.test.ts` in github/codeql-action.
    #[test]
    fn line_hashes_are_the_ones_github_computes() {
        let cases: [(&str, &[&str]); 5] = [
            ("", &["c129715d7a2bc9a3:1"]),
            (
                " a\nb\n  \t\tc\n d",
                &[
                    "271789c17abda88f:1",
                    "54703d4cd895b18:1",
                    "180aee12dab6264:1",
                    "a23a3dc5e078b07b:1",
                ],
            ),
            (
                " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
                &[
                    "8b7cf3e952e7aeb2:1",
                    "b1ae1287ec4718d9:1",
                    "bff680108adb0fcc:1",
                    "c6805c5e1288b612:1",
                    "b86d3392aea1be30:1",
                    "e6ceba753e1a442:1",
                ],
            ),
            (
                " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
                &[
                    "e9496ae3ebfced30:1",
                    "fb7c023a8b9ccb3f:1",
                    "ce8ba1a563dcdaca:1",
                    "e20e36e16fcb0cc8:1",
                    "b3edc88f2938467e:1",
                    "c8e28b0b4002a3a0:1",
                    "c129715d7a2bc9a3:1",
                ],
            ),
            (
                " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
                &[
                    "e9496ae3ebfced30:1",
                    "fb7c023a8b9ccb3f:1",
                    "ce8ba1a563dcdaca:1",
                    "e20e36e16fcb0cc8:1",
                    "b3edc88f2938467e:1",
                    "c8e28b0b4002a3a0:1",
                    "c129715d7a2bc9a3:1",
                ],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(line_hashes(text), expected, "{text:?}");
        }
        let repeated = line_hashes(&"Lorem ipsum dolor sit amet.\n".repeat(10));
        assert_eq!(
            repeated,
            [
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1"
            ]
        );
    }

    #[test]
    fn rule_names_are_camel_case() {
        assert_eq!(rule_name("staff-exceeds-villages"), "StaffExceedsVillages");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("./通报/a b.txt"), "%E9%80%9A%E6%8A%A5/a%20b.txt");
        assert_eq!(uri("/tmp/x.md"), "file:///tmp/x.md");
        assert_eq!(uri("dir\\x.txt"), "dir/x.txt");
    }
}
