//! `path:line:col: severity[rule] message`, one finding a line: for grep, editors and logs.

use super::{FileError, FileReport, Printer};
use crate::span::LineIndex;
use std::io::{self, Write};

/// Lines only: nothing before, between or after the documents.
pub struct Concise;

impl Printer for Concise {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        if report.findings.is_empty() {
            // Most files of a run have no finding: spare them the scan for line starts.
            return Ok(());
        }
        let index = LineIndex::new(&report.text);
        for finding in &report.findings {
            let at = index.position(&report.text, finding.span.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                report.name,
                at.line,
                at.column,
                finding.severity.as_str(),
                finding.rule,
                finding.message
            )?;
        }
        Ok(())
    }

    /// `path:1:1: error[io] …`: the line a problem matcher and a grep find like any finding.
    fn failure(&mut self, error: &FileError, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{}:1:1: error[{}] {}",
            error.name, error.reason, error.message
        )
    }
}
