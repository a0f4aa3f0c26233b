//! The JSON report of DESIGN.md: one object, version 1. Other tools build on it; its shape
//! changes only with a new version number.
//!
//! The report is streamed: nothing but the findings themselves is held in memory, so a file
//! with a million findings costs no more than their own size. Keys are written in alphabetical
//! order (the order `serde_json::Value` objects print in).

use super::{FileReport, Summary, positions};
use crate::finding::Finding;
use crate::span::{LineIndex, Span};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::io::{self, Write};

pub fn print(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(reports);
    let document = Document {
        files: Files(reports),
        summary: SummaryJson {
            errors: summary.errors,
            files: summary.files,
            findings: summary.findings,
            warnings: summary.warnings,
        },
        version: 1,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[derive(serde::Serialize)]
struct Document<'a> {
    files: Files<'a>,
    summary: SummaryJson,
    version: u32,
}

#[derive(serde::Serialize)]
struct SummaryJson {
    errors: usize,
    files: usize,
    findings: usize,
    warnings: usize,
}

struct Files<'a>(&'a [FileReport]);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for report in self.0 {
            seq.serialize_element(&FileJson {
                encoding: report.encoding,
                findings: Findings {
                    index: LineIndex::new(&report.text),
                    report,
                },
                path: &report.name,
            })?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct FileJson<'a> {
    encoding: &'a str,
    findings: Findings<'a>,
    path: &'a str,
}

struct Findings<'a> {
    index: LineIndex,
    report: &'a FileReport,
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = &self.report.text;
        let mut seq = s.serialize_seq(Some(self.report.findings.len()))?;
        for f in &self.report.findings {
            seq.serialize_element(&finding_json(&self.index, text, f))?;
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
