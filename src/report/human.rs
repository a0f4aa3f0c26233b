//! Human output: each finding rendered by miette with every involved figure underlined and
//! labelled in context, then a one-line summary. Text wraps at the terminal's width, between
//! words and CJK characters, never inside a rule id (`staff-exceeds-villages` is not split at
//! its hyphens). In a `.docx` or `.odt`, each finding also says where it is as Word shows it
//! (`第12段第10字`, `表1第2行第3列第1段第1字`). With [`Lang::Zh`] the frame is Chinese:
//! `帮助：`, `位置：`, `共发现2处问题（2个错误）`, `未发现数字矛盾`.

use super::{FileError, FileReport, Lang, Printer, Style, Summary, document_position};
use crate::finding::{Finding, Label};
use crate::rules::Severity;
use crate::span::{LineIndex, Span};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// Each finding rendered as it comes; the summary line needs only the counts.
pub struct Human {
    handler: GraphicalReportHandler,
    lang: Lang,
    /// The counts for the closing summary line; `None` with `--quiet`, which prints none.
    summary: Option<Summary>,
}

impl Human {
    pub fn new(style: Style, summary: bool) -> Human {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_break_words(false)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_context_lines(0);
        Human {
            handler,
            lang: style.lang,
            summary: summary.then(Summary::default),
        }
    }
}

impl Printer for Human {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        if let Some(summary) = &mut self.summary {
            summary.add(report);
        }
        if report.findings.is_empty() {
            // Most files of a run have no finding: spare them the scan for line starts.
            return Ok(());
        }
        let source = Source::new(&report.name, &report.text);
        for finding in &report.findings {
            let diagnostic = FindingDiagnostic {
                finding,
                source: &source,
            };
            let mut rendered = String::new();
            self.handler
                .render_report(&mut rendered, &diagnostic)
                .map_err(|_| io::Error::other("rendering a finding failed"))?;
            let mut rendered = localize_frame(&rendered, self.lang);
            if let Some(at) = document_position(report, finding.span.start, self.lang) {
                let label = match self.lang {
                    Lang::Zh => "位置：",
                    Lang::En => "where: ",
                };
                rendered.push_str(&format!("  {label}{at}\n"));
            }
            writeln!(out, "{rendered}")?;
        }
        Ok(())
    }

    /// Only counted: the message itself goes to stderr, as every error does.
    fn failure(&mut self, _error: &FileError, _out: &mut dyn Write) -> io::Result<()> {
        if let Some(summary) = &mut self.summary {
            summary.failed += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match &self.summary {
            Some(summary) => writeln!(out, "{}", summary_line(summary, self.lang)),
            None => Ok(()),
        }
    }
}

/// miette's frame in the language of the report: its `help:` (as wide as `帮助：`, so the
/// wrapping it did still fits).
pub fn localize_frame(rendered: &str, lang: Lang) -> String {
    match lang {
        Lang::En => rendered.to_string(),
        Lang::Zh => rendered
            .split_inclusive('\n')
            .map(|line| match line.strip_prefix("  help: ") {
                Some(rest) => format!("  帮助：{rest}"),
                None => line.to_string(),
            })
            .collect(),
    }
}

fn summary_line(summary: &Summary, lang: Lang) -> String {
    match lang {
        Lang::En => summary_line_en(summary),
        Lang::Zh => summary_line_zh(summary),
    }
}

/// `statlint：共发现2处问题（2个错误），共检查1个文件`.
fn summary_line_zh(summary: &Summary) -> String {
    let failed = if summary.failed > 0 {
        format!("，{}个文件无法检查", summary.failed)
    } else {
        String::new()
    };
    if summary.findings == 0 {
        return format!(
            "statlint：未发现数字矛盾（共检查{}个文件）{failed}",
            summary.files
        );
    }
    let mut kinds = Vec::new();
    if summary.errors > 0 {
        kinds.push(format!("{}个错误", summary.errors));
    }
    if summary.warnings > 0 {
        kinds.push(format!("{}个警告", summary.warnings));
    }
    let others = summary.findings - summary.errors - summary.warnings;
    if others > 0 {
        kinds.push(format!("{others}个提示"));
    }
    format!(
        "statlint：共发现{}处问题（{}），共检查{}个文件{failed}",
        summary.findings,
        kinds.join("，"),
        summary.files
    )
}

fn summary_line_en(summary: &Summary) -> String {
    let line = summary_line_counts(summary);
    if summary.failed == 0 {
        return line;
    }
    let failed = plural(summary.failed, "file");
    format!("{line}; {failed} could not be checked")
}

fn summary_line_counts(summary: &Summary) -> String {
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
        let labels = &self.finding.labels;
        let hidden = labels.len() - shown_labels(labels, self.finding.span).count();
        if hidden == 0 {
            return self
                .finding
                .help
                .as_ref()
                .map(|h| Box::new(h) as Box<dyn fmt::Display>);
        }
        let note =
            format!("{hidden} more labelled figures are not shown; `--format json` lists them all");
        Some(Box::new(match &self.finding.help {
            Some(help) => format!("{help}\n{note}"),
            None => note,
        }))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.finding.span;
        let labels: Vec<LabeledSpan> = if self.finding.labels.is_empty() {
            vec![LabeledSpan::new_primary_with_span(None, primary)]
        } else {
            shown_labels(&self.finding.labels, primary)
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

/// Labels drawn at most under one finding. miette draws each label of a line on a row of its
/// own with a connector for every label before it, so a finding with n labels on one line
/// printed n² characters: 8,000 labels made 481 MB of output (issue 19). The rest are
/// counted in the help; JSON and SARIF keep them all.
const MAX_LABELS: usize = 16;

/// The labels drawn for a finding: the primary one and the first others in source order, at
/// most [`MAX_LABELS`] in all.
fn shown_labels(labels: &[Label], primary: Span) -> impl Iterator<Item = &Label> {
    let mut others = 0;
    labels.iter().filter(move |l| {
        if l.span == primary {
            return true;
        }
        others += 1;
        others < MAX_LABELS
    })
}

/// Context shown around a finding, at most this many bytes either side of the underlined
/// figures, whatever the lines: a 20 MB single-line file is not scanned or printed whole under
/// each of its findings.
const MAX_CONTEXT_BYTES: usize = 4096;

/// Characters of context kept on each side of the figures when a line is cut: bulletins put a
/// whole paragraph on one line, and 300 columns of CJK text bury the underline.
const WINDOW_CHARS: usize = 24;

/// The source text of a report as miette reads it:
/// - columns counted in characters (miette's own `str` source counts bytes, which puts
///   `8亿余万元` at column 254 instead of 96);
/// - lines found through a [`LineIndex`] (the `str` source scans from the start of the text
///   for every label, quadratic in a file with many findings);
/// - a one-line context cut to the figures and [`WINDOW_CHARS`] characters either side, any
///   context clipped to [`MAX_CONTEXT_BYTES`].
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

    /// The stretch of text to show for `start..end`: its lines, cut to the span and
    /// [`WINDOW_CHARS`] characters either side when the span lies on one line.
    fn window(&self, line_start: usize, start: usize, end: usize) -> (usize, usize) {
        let text = self.text;
        let limit = text.ceil_char_boundary(end + MAX_CONTEXT_BYTES);
        let line_end = text[end..limit]
            .find(['\n', '\r'])
            .map_or(limit, |i| end + i);
        let floor = text.floor_char_boundary(start.saturating_sub(MAX_CONTEXT_BYTES));
        let line_start = line_start.max(floor);
        if text[start..end].contains(['\n', '\r']) {
            return (line_start, line_end);
        }
        let from = text[line_start..start]
            .char_indices()
            .rev()
            .nth(WINDOW_CHARS - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let to = text[end..line_end]
            .char_indices()
            .nth(WINDOW_CHARS)
            .map_or(line_end, |(i, _)| end + i);
        (from, to)
    }
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (offset, len) = (span.offset(), span.len());
        if offset
            .checked_add(len)
            .is_none_or(|end| end > self.text.len())
        {
            return Err(MietteError::OutOfBounds);
        }
        let line = self.index.line_of(offset);
        let line_start = self.index.line_start(line).unwrap_or(0);
        let column = self.index.position(self.text, offset).column - 1;
        let (start, end) = self.window(line_start, offset, offset + len);
        let data = &self.text[start..end];
        let line_count = data.matches('\n').count() + 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            data.as_bytes(),
            SourceSpan::from((start, end - start)),
            self.index.line_of(start),
            column,
            line_count,
        )))
    }
}
