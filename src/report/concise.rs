//! `path:line:col: severity[rule] message`, one finding a line: for grep, editors and logs.

use super::FileReport;
use crate::span::LineIndex;
use std::io::{self, Write};

pub fn print(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
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
    }
    Ok(())
}
