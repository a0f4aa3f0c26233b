//! Human output: each finding rendered by miette with every involved figure underlined and
//! labelled in context, then a one-line summary.

use super::{FileReport, Style, Summary};
use crate::finding::Finding;
use crate::rules::Severity;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// `summary`: end with the one-line summary (not with `--quiet`).
pub fn print(
    reports: &[FileReport],
    style: Style,
    summary: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(0);
    for report in reports {
        let source = CharColumns {
            name: &report.name,
            text: &report.text,
        };
        for finding in &report.findings {
            let diagnostic = FindingDiagnostic {
                finding,
                source: &source,
            };
            let mut rendered = String::new();
            handler
                .render_report(&mut rendered, &diagnostic)
                .map_err(|_| io::Error::other("rendering a finding failed"))?;
            writeln!(out, "{rendered}")?;
        }
    }
    if !summary {
        return Ok(());
    }
    writeln!(out, "{}", summary_line(&Summary::of(reports)))
}

fn summary_line(summary: &Summary) -> String {
    let files = plural(summary.files, "file");
    if summary.findings == 0 {
        return format!("statlint: no findings in {files}");
    }
    format!(
        "statlint: {} ({}, {}) in {files}",
        plural(summary.findings, "finding"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A finding as miette sees it.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: &'a CharColumns<'a>,
}

/// The document as miette reads it, with columns counted in characters: miette's own
/// `String` source counts bytes, which puts `8亿余万元` at column 254 instead of 96.
struct CharColumns<'a> {
    name: &'a str,
    text: &'a str,
}

/// Characters of context kept on each side of the figures when a line is cut: bulletins put a
/// whole paragraph on one line, and 300 columns of CJK text bury the underline.
const WINDOW_CHARS: usize = 24;

impl SourceCode for CharColumns<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let requested = span.offset().min(self.text.len());
        let line_start = self.text[..requested]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let column = self.text[line_start..requested].chars().count();
        let (start, end) = self.window(line_start, span);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            &self.text.as_bytes()[start..end],
            SourceSpan::from((start, end - start)),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl CharColumns<'_> {
    /// The stretch of text to show for `span`: its lines, cut to the span and
    /// [`WINDOW_CHARS`] characters either side when the span lies on one line.
    fn window(&self, line_start: usize, span: &SourceSpan) -> (usize, usize) {
        let span_end = (span.offset() + span.len()).min(self.text.len());
        let line_end = self.text[span_end..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| span_end + i);
        let from = span.offset().clamp(line_start, span_end);
        if self.text[from..span_end].contains(['\n', '\r']) {
            return (line_start, line_end);
        }
        let start = self.text[line_start..from]
            .char_indices()
            .rev()
            .nth(WINDOW_CHARS - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let end = self.text[span_end..line_end]
            .char_indices()
            .nth(WINDOW_CHARS)
            .map_or(line_end, |(i, _)| span_end + i);
        (start, end)
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.finding.span;
        let labels: Vec<LabeledSpan> = if self.finding.labels.is_empty() {
            vec![LabeledSpan::new_primary_with_span(None, primary)]
        } else {
            self.finding
                .labels
                .iter()
                .map(|l| {
                    let text = Some(l.message.clone());
                    if l.span == primary {
                        LabeledSpan::new_primary_with_span(text, l.span)
                    } else {
                        LabeledSpan::new_with_span(text, l.span)
                    }
                })
                .collect()
        };
        Some(Box::new(labels.into_iter()))
    }
}
