//! GitHub Actions workflow commands: one `::error file=…,line=…,col=…,endLine=…,endColumn=…,
//! title=…::message` line per finding, which a workflow turns into an annotation on the pull
//! request. Columns are characters (GitHub counts them so), not bytes.

use super::{FileError, FileReport, Printer, positions};
use crate::rules::Severity;
use crate::span::LineIndex;
use std::io::{self, Write};

/// Annotations only: nothing before, between or after the documents.
pub struct Github;

impl Printer for Github {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        if report.findings.is_empty() {
            // Most files of a run have no finding: spare them the scan for line starts.
            return Ok(());
        }
        let index = LineIndex::new(&report.text);
        let file = workspace_path(&report.name);
        for finding in &report.findings {
            let (start, end) = positions(&index, &report.text, finding.span);
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push('\n');
                message.push_str(help);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&file),
                start.line,
                start.column,
                end.line,
                end.column,
                property(&format!("statlint [{}]", finding.rule)),
                data(&message),
            )?;
        }
        Ok(())
    }

    /// An annotation on the file that could not be checked, so the run shows it.
    fn failure(&mut self, error: &FileError, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "::error file={},title={}::{}",
            property(&workspace_path(&error.name)),
            property(&format!("statlint [{}]", error.reason)),
            data(&error.message),
        )
    }
}

/// A document name as GitHub resolves it against the workspace: `/` separators, no `./`.
fn workspace_path(name: &str) -> String {
    let file = name.replace('\\', "/");
    file.strip_prefix("./").unwrap_or(&file).to_string()
}

/// The message of a workflow command: `%`, CR and LF are escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which would end it.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_toolkit() {
        assert_eq!(data("50%\r\n下一行"), "50%25%0D%0A下一行");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
