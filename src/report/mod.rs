//! Report: printers for findings and quantities, one file per output format. The library
//! never prints; each printer writes to the `Write` it is given.

mod concise;
mod extract;
mod github;
mod human;
mod json;
mod reference;
mod sarif;
mod statements;
mod statistics;

pub use extract::{print_quantities_human, print_quantities_json, quantities_json_value};
pub use statements::{StatementsView, print_statements_human, statements_json};
pub use reference::{rule_reference, rule_section};
pub use statistics::Statistics;

use crate::finding::Finding;
use crate::span::{LineIndex, Position, Span};
use std::io::{self, Write};

/// The findings of one checked document, with the text their spans point into.
pub struct FileReport {
    pub name: String,
    pub encoding: &'static str,
    pub text: String,
    pub findings: Vec<Finding>,
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
}

/// What a report says about a rule (SARIF lists the rules of a run).
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub summary: String,
    pub explanation: String,
    /// The rule's documentation as `statlint rule ID` prints it.
    pub help: String,
    /// The severity its findings are reported with (after configuration).
    pub severity: crate::rules::Severity,
}

/// How the human printer draws.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Terminal width for wrapping; tests fix it for deterministic output.
    pub width: usize,
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
