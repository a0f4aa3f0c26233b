//! Human output: each finding rendered by miette with every involved figure underlined and
//! labelled in context, then a one-line summary.

use super::{FileReport, Style, Summary};
use crate::finding::Finding;
use crate::rules::Severity;
use crate::span::LineIndex;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

pub fn print(reports: &[FileReport], style: Style, out: &mut dyn Write) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(1);
    for report in reports {
        let source = Source::new(&report.name, &report.text);
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
    source: &'a Source<'a>,
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

/// Context shown around a finding, at most this many bytes either side of the underlined
/// figures: a bulletin's paragraph fits, a 20 MB single-line file does not get printed whole
/// under each of its findings.
const MAX_CONTEXT_BYTES: usize = 4096;

/// The source text of a report as miette reads it: lines found through a [`LineIndex`]
/// (miette's own `str` source scans from the start of the text for every label, which is
/// quadratic in a file with many findings), and context clipped to [`MAX_CONTEXT_BYTES`].
/// Within those bounds it reads exactly the bytes miette's `str` source reads, so the
/// rendering is unchanged.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
    index: LineIndex,
}

impl<'a> Source<'a> {
    fn new(name: &'a str, text: &'a str) -> Source<'a> {
        Source {
            name,
            text,
            index: LineIndex::new(text),
        }
    }

    /// Where the line after `line` starts, or the end of the text.
    fn end_of_line(&self, line: usize) -> usize {
        self.index.line_start(line + 1).unwrap_or(self.text.len())
    }

    /// Line terminators in `text[..end]`.
    fn terminators_before(&self, end: usize) -> usize {
        match end {
            0 => 0,
            _ => self.index.line_of(end),
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (offset, len) = (span.offset(), span.len());
        let text = self.text;
        if offset.checked_add(len).is_none_or(|end| end > text.len()) {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.index.line_of(offset);
        let last_line = self.index.line_of((offset + len).saturating_sub(1));
        let (mut start, mut line, mut column) = if before == 0 {
            let line_start = self.index.line_start(first_line).unwrap_or(0);
            (offset, first_line, offset - line_start)
        } else {
            let line = first_line.saturating_sub(before);
            (self.index.line_start(line).unwrap_or(0), line, 0)
        };
        let mut end = if after == 0 {
            offset + len
        } else {
            self.end_of_line(last_line + after)
        };
        let low = floor_char_boundary(text, offset.saturating_sub(MAX_CONTEXT_BYTES));
        if start < low {
            start = low;
            line = self.index.line_of(start);
            column = start - self.index.line_start(line).unwrap_or(0);
        }
        end = end.min(ceil_char_boundary(text, offset + len + MAX_CONTEXT_BYTES));
        let contents = MietteSpanContents::new_named(
            self.name.to_string(),
            &text.as_bytes()[start..end],
            (start, end - start).into(),
            line,
            column,
            self.terminators_before(end),
        );
        Ok(Box::new(contents))
    }
}
