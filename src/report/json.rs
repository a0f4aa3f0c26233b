//! The JSON report of DESIGN.md: one object, version 1. Other tools build on it; its shape
//! changes only with a new version number.

use super::{FileReport, Summary, positions};
use crate::span::{LineIndex, Span};
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn print(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(reports);
    let files: Vec<Value> = reports.iter().map(file).collect();
    let document = json!({
        "version": 1,
        "files": files,
        "summary": {
            "files": summary.files,
            "findings": summary.findings,
            "errors": summary.errors,
            "warnings": summary.warnings,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn file(report: &FileReport) -> Value {
    let index = LineIndex::new(&report.text);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message,
                "help": f.help,
                "text": report.text.get(f.span.range()).unwrap_or(""),
                "span": span_json(&index, &report.text, f.span),
                "labels": f.labels.iter().map(|l| json!({
                    "message": l.message,
                    "span": span_json(&index, &report.text, l.span),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "path": report.name,
        "encoding": report.encoding,
        "findings": findings,
    })
}

/// `{"start","end","line","column","end_line","end_column"}`: byte offsets and 1-based
/// line/character-column of both ends.
pub(crate) fn span_json(index: &LineIndex, text: &str, span: Span) -> Value {
    let (start, end) = positions(index, text, span);
    json!({
        "start": span.start,
        "end": span.end,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
    })
}
