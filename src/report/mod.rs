//! Report: printers for findings and quantities, one file per output format. The library
//! never prints; each printer writes to the `Write` it is given.

mod concise;
mod extract;
mod github;
pub mod html;
mod human;
mod json;
mod reference;
mod sarif;
mod statements;
mod statistics;

pub use extract::{print_quantities_human, print_quantities_json, quantities_json_value};
pub use html::render_html;
pub use human::localize_frame;
pub use reference::{rule_reference, rule_section, rule_text};
pub use sarif::line_hashes as sarif_line_hashes;
pub use statements::{StatementsView, print_statements_human, statements_json};
pub use statistics::Statistics;

use crate::finding::Finding;
use crate::load::{Region, RegionKind};
use crate::span::{LineIndex, Position, Span};
use std::io::{self, Write};

/// The findings of one checked document, with the text their spans point into.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub name: String,
    pub encoding: &'static str,
    pub text: String,
    pub findings: Vec<Finding>,
    /// The document's parts that are not body text (see [`crate::load::Document::regions`]).
    pub regions: Vec<Region>,
    /// A word-processor document's paragraphs (see [`crate::load::Document::paragraphs`]).
    pub paragraphs: Vec<Span>,
}

/// A document that could not be checked, as every report shows it: a CI reading a report
/// must see that it is not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The name of the document, as its report would have shown it.
    pub name: String,
    /// What went wrong, one line.
    pub message: String,
    /// Why, as a stable word: `io`, `too_large`, `binary`, `encoding`, `docx`,
    /// `unsupported_format` (the error's code without `statlint::`).
    pub reason: String,
}

/// The language of the frame of the human output and of error messages (summary, `help:`,
/// positions); rule messages are Chinese whatever it is, and machine formats never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language the locale asks for: Chinese when `LC_ALL`, `LC_MESSAGES` or `LANG` (the
    /// first one set) starts with `zh`, English otherwise.
    pub fn from_env() -> Lang {
        Lang::from_locale(|name| std::env::var(name).ok())
    }

    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()));
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// Where a byte of a report's text lies, as an editor finds it in a word-processor document:
/// the part (body, table cell, note…) and the paragraph and character within it. `None` for a
/// document without paragraphs (plain text, Markdown), whose line and column say it.
pub fn document_position(report: &FileReport, offset: usize, lang: Lang) -> Option<String> {
    let index = report
        .paragraphs
        .partition_point(|p| p.start <= offset)
        .checked_sub(1)?;
    let paragraph = report.paragraphs[index];
    let character = report.text[paragraph.start..offset.min(paragraph.end).max(paragraph.start)]
        .chars()
        .count()
        + 1;
    let inside = |r: &&Region| r.span.start <= paragraph.start && paragraph.end <= r.span.end;
    // The innermost region holding the paragraph: regions are ordered outer first.
    let region = report.regions.iter().rfind(inside);
    let in_part = |span: Span| {
        report.paragraphs[..=index]
            .iter()
            .filter(|p| span.start <= p.start && p.end <= span.end)
            .count()
    };
    let number = match region {
        Some(r) => in_part(r.span),
        None => {
            // Body paragraphs are counted without those of the parts.
            report.paragraphs[..=index]
                .iter()
                .filter(|p| {
                    !report
                        .regions
                        .iter()
                        .any(|r| r.span.start <= p.start && p.end <= r.span.end)
                })
                .count()
        }
    };
    // Notes and text boxes are numbered in the order they come, each kind on its own.
    let ordinal = |kind: RegionKind| {
        report
            .regions
            .iter()
            .filter(|r| std::mem::discriminant(&r.kind) == std::mem::discriminant(&kind))
            .position(|r| Some(r) == region)
            .map_or(1, |i| i + 1)
    };
    let part = region.map(|r| match (r.kind, lang) {
        (RegionKind::TableCell { table, row, column }, Lang::Zh) => {
            format!("表{table}第{row}行第{column}列")
        }
        (RegionKind::TableCell { table, row, column }, Lang::En) => {
            format!("table {table}, row {row}, column {column}, ")
        }
        (kind, Lang::Zh) => {
            let name = match kind {
                RegionKind::TextBox => "文本框",
                RegionKind::Footnote => "脚注",
                RegionKind::Endnote => "尾注",
                RegionKind::Header => "页眉",
                _ => "页脚",
            };
            format!("{name}{}", ordinal(kind))
        }
        (kind, Lang::En) => {
            let name = match kind {
                RegionKind::TextBox => "text box",
                RegionKind::Footnote => "footnote",
                RegionKind::Endnote => "endnote",
                RegionKind::Header => "header",
                _ => "footer",
            };
            format!("{name} {}, ", ordinal(kind))
        }
    });
    let part = part.unwrap_or_default();
    Some(match lang {
        Lang::Zh => format!("{part}第{number}段第{character}字"),
        Lang::En => format!("{part}paragraph {number}, character {character}"),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each finding with the figures underlined in context (miette).
    Human,
    /// `path:line:col: severity[rule] message`, one line each.
    Concise,
    /// One JSON object (see DESIGN.md); stable for tools.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, IDEs).
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// One self-contained HTML page (Chinese): the text with the figures highlighted and
    /// linked to the findings, for an editor to open or mail.
    Html,
}

/// What a report says about a rule (SARIF lists the rules of a run).
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub summary: String,
    pub explanation: String,
    /// The rule's documentation as `statlint rule ID` prints it.
    pub help: String,
    /// The same in Markdown, as the rule reference has it (SARIF's `help.markdown`).
    pub help_markdown: String,
    /// The severity its findings are reported with (after configuration).
    pub severity: crate::rules::Severity,
}

/// How the human printer draws.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Terminal width for wrapping; tests fix it for deterministic output.
    pub width: usize,
    /// The language of the frame (summary line, `help:`, positions).
    pub lang: Lang,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            color: false,
            width: 100,
            lang: Lang::En,
        }
    }
}

/// What a `check` report needs beyond the findings and the style.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions<'a> {
    /// The rules the run checked (SARIF lists them).
    pub rules: &'a [RuleInfo],
    /// Findings only: no closing summary line.
    pub quiet: bool,
}

/// A report written one document at a time: [`begin`](Printer::begin) once, then
/// [`file`](Printer::file) for each checked document in input order, then
/// [`finish`](Printer::finish) once.
///
/// `check` hands each document to the printer as soon as it is checked and drops its text
/// afterwards, so a run's memory is bounded by the documents in flight, not by the corpus
/// (issue 7). A printer keeps between calls only what its closing part needs: counts, never
/// texts.
pub trait Printer {
    /// What comes before the first document (the opening of a JSON object).
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// The part of the report for one document.
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()>;

    /// A document that could not be checked, in its place among the others. Every machine
    /// format shows it; the human output leaves it to the error message on stderr and counts
    /// it in its summary.
    fn failure(&mut self, error: &FileError, out: &mut dyn Write) -> io::Result<()>;

    /// What comes after the last document (a summary, the closing of a JSON object).
    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// The printer of a `check` report in `format`.
pub fn printer<'a>(
    format: Format,
    style: Style,
    options: ReportOptions<'a>,
) -> Box<dyn Printer + 'a> {
    match format {
        Format::Human => Box::new(human::Human::new(style, !options.quiet)),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::Json::default()),
        Format::Sarif => Box::new(sarif::Sarif::new(options.rules)),
        Format::Github => Box::new(github::Github),
        Format::Html => Box::new(html::Html::default()),
    }
}

/// Print the findings of documents already in memory (tests, the fuzz harness): the same bytes
/// as `check` streams.
pub fn print_findings(
    format: Format,
    style: Style,
    reports: &[FileReport],
    out: &mut dyn Write,
) -> io::Result<()> {
    print_all(
        &mut *printer(format, style, ReportOptions::default()),
        reports,
        out,
    )
}

/// Run `printer` over `reports`: begin, every file, finish.
fn print_all(
    printer: &mut dyn Printer,
    reports: &[FileReport],
    out: &mut dyn Write,
) -> io::Result<()> {
    printer.begin(out)?;
    for report in reports {
        printer.file(report, out)?;
    }
    printer.finish(out)
}

/// Line/column of both ends of a span, computed at the edge (columns in characters).
pub(crate) fn positions(index: &LineIndex, text: &str, span: Span) -> (Position, Position) {
    (
        index.position(text, span.start),
        index.position(text, span.end),
    )
}

/// Counts for the closing summary line and the JSON summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Documents that could not be checked.
    pub failed: usize,
}

impl Summary {
    /// Count one more document and its findings.
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        for finding in &report.findings {
            self.findings += 1;
            match finding.severity {
                crate::rules::Severity::Error => self.errors += 1,
                crate::rules::Severity::Warning => self.warnings += 1,
                crate::rules::Severity::Info => {}
            }
        }
    }
}
