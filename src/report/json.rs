//! The JSON report of DESIGN.md: one object, version 1. Other tools build on it; its shape
//! changes only with a new version number.
//!
//! The report is streamed: each document is written as `check` hands it over (see
//! [`super::Printer`]) and nothing of it is kept but the summary's counts; within a document
//! nothing but the findings themselves is held in memory, so a file with a million findings
//! costs no more than their own size. Keys are written in alphabetical
//! order (the order `serde_json::Value` objects print in).

use super::{FileError, FileReport, Printer, Summary, positions};
use crate::finding::Finding;
use crate::span::{LineIndex, Span};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use std::io::{self, Write};

/// The JSON report, written a document at a time: `{"files": [` first, each document's object as
/// it comes, then `], "summary": …, "version": 1}`. Only the summary's counts are kept between
/// documents.
#[derive(Default)]
pub struct Json {
    files: PrettyArray,
    summary: Summary,
}

impl Printer for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{{\n  \"files\": ")?;
        self.files = PrettyArray::open(out, 1)?;
        Ok(())
    }

    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        self.summary.add(report);
        let file = FileJson {
            encoding: Some(report.encoding),
            errors: Vec::new(),
            findings: Findings {
                report: Some(report),
            },
            path: &report.name,
        };
        self.files.push(out, &file)
    }

    /// The file in its place, with no encoding, no findings and its `errors`.
    fn failure(&mut self, error: &FileError, out: &mut dyn Write) -> io::Result<()> {
        self.summary.failed += 1;
        let file = FileJson {
            encoding: None,
            errors: vec![ErrorJson {
                message: &error.message,
                reason: &error.reason,
            }],
            findings: Findings { report: None },
            path: &error.name,
        };
        self.files.push(out, &file)
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.files.close(out)?;
        let summary = SummaryJson {
            errors: self.summary.errors,
            failed_files: self.summary.failed,
            files: self.summary.files,
            findings: self.summary.findings,
            warnings: self.summary.warnings,
        };
        write!(out, ",\n  \"summary\": ")?;
        write_pretty(out, &summary, 1)?;
        writeln!(out, ",\n  \"version\": 1\n}}")
    }
}

/// A JSON array written one element at a time, byte for byte as `serde_json::to_writer_pretty`
/// lays out the whole value (two spaces an indent, `[]` when empty), so a report can be
/// streamed without changing a byte of it.
#[derive(Default)]
pub(crate) struct PrettyArray {
    /// The nesting depth of the array itself: its elements are one deeper.
    depth: usize,
    empty: bool,
}

impl PrettyArray {
    /// Write `[` for an array at nesting `depth` (the value of a key of the outermost object is
    /// at depth 1).
    pub(crate) fn open(out: &mut dyn Write, depth: usize) -> io::Result<PrettyArray> {
        out.write_all(b"[")?;
        Ok(PrettyArray { depth, empty: true })
    }

    pub(crate) fn push(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        out.write_all(if self.empty { b"\n" } else { b",\n" })?;
        self.empty = false;
        indent(out, self.depth + 1)?;
        write_pretty(out, value, self.depth + 1)
    }

    pub(crate) fn close(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.empty {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(b"]")
    }
}

/// `value` pretty-printed as it would be at nesting `depth` of a larger value: its lines after
/// the first indented `depth` levels further. Written straight through, never buffered whole,
/// so a document with a million findings costs no more than the findings themselves.
pub(crate) fn write_pretty(
    out: &mut dyn Write,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    serde_json::to_writer_pretty(Indented { out, depth }, value)?;
    Ok(())
}

fn indent(out: &mut dyn Write, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// A writer that indents every line after the first by `depth` levels. JSON strings escape line
/// breaks, so every `\n` serde_json writes is layout and may be followed by more of it.
struct Indented<'a> {
    out: &'a mut dyn Write,
    depth: usize,
}

impl Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for line in buf.split_inclusive(|&b| b == b'\n') {
            self.out.write_all(line)?;
            if line.ends_with(b"\n") {
                indent(self.out, self.depth)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[derive(serde::Serialize)]
struct SummaryJson {
    /// Findings of severity `error` (not files that could not be checked: `failed_files`).
    errors: usize,
    failed_files: usize,
    /// Files checked; `failed_files` are not among them.
    files: usize,
    findings: usize,
    warnings: usize,
}

#[derive(serde::Serialize)]
struct FileJson<'a> {
    /// `null` for a file that could not be read.
    encoding: Option<&'a str>,
    /// Why the file could not be checked; empty for a checked one.
    errors: Vec<ErrorJson<'a>>,
    findings: Findings<'a>,
    path: &'a str,
}

#[derive(serde::Serialize)]
struct ErrorJson<'a> {
    message: &'a str,
    reason: &'a str,
}

struct Findings<'a> {
    /// `None` for a file that could not be checked: no findings.
    report: Option<&'a FileReport>,
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(report) = self.report else {
            return s.serialize_seq(Some(0))?.end();
        };
        let text = &report.text;
        let mut seq = s.serialize_seq(Some(report.findings.len()))?;
        if !report.findings.is_empty() {
            // Only a file with findings needs its line starts: most files of a run have none.
            let index = LineIndex::new(text);
            for f in &report.findings {
                seq.serialize_element(&finding_json(&index, text, f))?;
            }
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct FindingJson<'a> {
    help: Option<&'a str>,
    labels: Vec<LabelJson<'a>>,
    message: &'a str,
    rule: &'a str,
    severity: &'a str,
    span: SpanJson,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct LabelJson<'a> {
    message: &'a str,
    span: SpanJson,
}

fn finding_json<'a>(index: &LineIndex, text: &'a str, f: &'a Finding) -> FindingJson<'a> {
    FindingJson {
        help: f.help.as_deref(),
        labels: f
            .labels
            .iter()
            .map(|l| LabelJson {
                message: &l.message,
                span: SpanJson::new(index, text, l.span),
            })
            .collect(),
        message: &f.message,
        rule: &f.rule,
        severity: f.severity.as_str(),
        span: SpanJson::new(index, text, f.span),
        text: text.get(f.span.range()).unwrap_or(""),
    }
}

/// `{"start","end","line","column","end_line","end_column"}`: byte offsets and 1-based
/// line/character-column of both ends.
#[derive(serde::Serialize)]
pub(crate) struct SpanJson {
    column: usize,
    end: usize,
    end_column: usize,
    end_line: usize,
    line: usize,
    start: usize,
}

impl SpanJson {
    pub(crate) fn new(index: &LineIndex, text: &str, span: Span) -> SpanJson {
        let (start, end) = positions(index, text, span);
        SpanJson {
            column: start.column,
            end: span.end,
            end_column: end.column,
            end_line: end.line,
            line: start.line,
            start: span.start,
        }
    }
}
