//! Report: printers for findings and quantities, one file per output format. The library
//! never prints; each printer writes to the `Write` it is given.

mod concise;
mod extract;
mod github;
mod human;
mod json;
mod reference;
mod sarif;
mod statistics;

pub use extract::{print_quantities_human, print_quantities_json};
pub use reference::{rule_reference, rule_section};
pub use statistics::print_statistics;

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

pub fn print_findings(
    format: Format,
    style: Style,
    reports: &[FileReport],
    out: &mut dyn Write,
) -> io::Result<()> {
    print_report(format, style, reports, ReportOptions::default(), out)
}

/// Print findings, knowing the rules of the run and whether to be quiet.
pub fn print_report(
    format: Format,
    style: Style,
    reports: &[FileReport],
    options: ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::print(reports, style, !options.quiet, out),
        Format::Concise => concise::print(reports, out),
        Format::Json => json::print(reports, out),
        Format::Sarif => sarif::print(reports, options.rules, out),
        Format::Github => github::print(reports, out),
    }
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
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for finding in reports.iter().flat_map(|r| &r.findings) {
            summary.findings += 1;
            match finding.severity {
                crate::rules::Severity::Error => summary.errors += 1,
                crate::rules::Severity::Warning => summary.warnings += 1,
                crate::rules::Severity::Info => {}
            }
        }
        summary
    }
}
