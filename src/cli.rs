//! The command line: arguments are resolved into settings (compiled rules, output style) before
//! any document is read, then each command runs over the library and writes to the writers it
//! is given. Exit codes are decided in one place, [`ExitStatus`].

use crate::evaluate::{self, Analysis, Options};
use crate::finding::Finding;
use crate::load::{self, Document, LoadError};
use crate::recognize::Recognizer;
use crate::report::{self, FileReport, Format, Style};
use crate::rules::{Expect, Rule, RuleSet, RuleSetError, Severity};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "statlint",
    version,
    about = "Checks that the figures of a Chinese public-safety bulletin agree with each other"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check bulletins and report every figure that contradicts another.
    Check(CheckArgs),
    /// List every figure statlint recognizes in a file: what a rule author sees.
    Extract(ExtractArgs),
    /// List the loaded rules.
    Rules(RulesArgs),
    /// Explain one rule: summary, explanation and examples.
    Rule(RuleArgs),
    /// Run every rule's examples and report each that misbehaves.
    TestRules(TestRulesArgs),
}

#[derive(Debug, clap::Args)]
pub struct RuleSource {
    /// Add the rule files (*.toml) of this directory to the standard pack (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check (`.txt` and `.md` inside directories); `-` reads stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Also report relations that approximate figures leave undetermined (as warnings).
    #[arg(long)]
    pub strict: bool,
    /// The lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// The name to report for a document read from stdin.
    #[arg(long, value_name = "NAME", default_value = "-")]
    pub stdin_filename: String,
    /// Colour in human output: auto (when stdout is a terminal), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Refuse files larger than this (bytes, or with K/M/G: `50M`); the others are still checked.
    #[arg(long, value_name = "SIZE", default_value = "50M", value_parser = load::parse_size)]
    pub max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The file to read; `-` reads stdin.
    pub path: PathBuf,
    #[arg(long, value_enum, default_value_t = ExtractFormat::Human)]
    pub format: ExtractFormat,
    /// Refuse a file larger than this (bytes, or with K/M/G: `50M`).
    #[arg(long, value_name = "SIZE", default_value = "50M", value_parser = load::parse_size)]
    pub max_file_size: u64,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleSource,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// The rule id, e.g. `staff-exceeds-villages`.
    pub id: String,
    #[command(flatten)]
    pub rules: RuleSource,
}

#[derive(Debug, clap::Args)]
pub struct TestRulesArgs {
    /// A directory of rule files to test instead of the standard pack.
    pub dir: Option<PathBuf>,
}

/// How a run ended: 0 clean, 1 findings at or above the failing severity, 2 statlint failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Clean = 0,
    Findings = 1,
    Failure = 2,
}

/// Where a command writes: findings to `out`, problems to `err`.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub stdin: &'a mut dyn Read,
    pub stdout_is_terminal: bool,
}

/// A failure the user must fix before statlint can do its job (exit 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Failure {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] RuleSetError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] LoadError),
    #[error("unknown rule `{id}`")]
    #[diagnostic(code(statlint::usage), help("{help}"))]
    UnknownRule { id: String, help: String },
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
}

pub fn run(args: Args, io: &mut Io) -> Result<ExitStatus, Vec<Failure>> {
    let recognizer = Recognizer::standard();
    let result = match args.command {
        Command::Check(a) => check(a, recognizer, io),
        Command::Extract(a) => extract(a, recognizer, io).map_err(|e| vec![e]),
        Command::Rules(a) => list_rules(a, recognizer, io).map_err(|e| vec![e]),
        Command::Rule(a) => show_rule(a, recognizer, io).map_err(|e| vec![e]),
        Command::TestRules(a) => test_rules(a, recognizer, io).map_err(|e| vec![e]),
    };
    // `out` may be buffered: output that never reached its destination (a full disk) fails the
    // run instead of vanishing when the buffer is dropped.
    match (result, io.out.flush()) {
        (result, Ok(())) => result,
        (Ok(_), Err(e)) => Err(vec![Failure::Output(e)]),
        (Err(mut failures), Err(e)) => {
            if !failures.iter().any(|f| matches!(f, Failure::Output(_))) {
                failures.push(Failure::Output(e));
            }
            Err(failures)
        }
    }
}

fn rule_set(source: &RuleSource, recognizer: &Recognizer) -> Result<RuleSet, Failure> {
    let standard = RuleSet::standard(recognizer)?;
    if source.rule_dirs.is_empty() {
        return Ok(standard);
    }
    Ok(RuleSet::with_dirs(standard, &source.rule_dirs, recognizer)?)
}

fn check(
    args: CheckArgs,
    recognizer: &Recognizer,
    io: &mut Io,
) -> Result<ExitStatus, Vec<Failure>> {
    let rules = rule_set(&args.rules, recognizer).map_err(|e| vec![e])?;
    let options = Options {
        strict: args.strict,
    };
    let mut failures = Vec::new();
    let mut reports = Vec::new();
    let limit = args.max_file_size;
    for document in documents(&args.paths, &args.stdin_filename, io.stdin, limit) {
        match document {
            Ok(doc) => {
                let findings = evaluate::check(&doc.text, &rules, recognizer, options);
                reports.push(FileReport {
                    name: doc.name,
                    encoding: doc.encoding,
                    text: doc.text,
                    findings,
                });
            }
            Err(e) => failures.push(Failure::Load(e)),
        }
    }
    let style = Style {
        color: match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => io.stdout_is_terminal,
        },
        width: 100,
    };
    if let Err(e) = report::print_findings(args.format, style, &reports, io.out) {
        failures.push(Failure::Output(e));
    }
    if !failures.is_empty() {
        return Err(failures);
    }
    let fail_on = args.fail_on.severity();
    let failing = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f: &Finding| f.severity >= fail_on);
    Ok(if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// The documents named on the command line, in order; directories contribute their `.txt`
/// and `.md` files, sorted by path.
fn documents(
    paths: &[PathBuf],
    stdin_name: &str,
    stdin: &mut dyn Read,
    limit: u64,
) -> Vec<Result<Document, LoadError>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(read_stdin(stdin_name, stdin, limit));
        } else if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files);
            files.sort();
            out.extend(files.iter().map(|f| load::load_path_limited(f, limit)));
        } else {
            out.push(load::load_path_limited(path, limit));
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        // `file_type` does not follow symlinks: a link to a parent directory would recurse
        // forever. A symlinked file is still checked.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
            files.push(path);
        }
    }
}

fn read_stdin(name: &str, stdin: &mut dyn Read, limit: u64) -> Result<Document, LoadError> {
    let bytes = load::read_limited(name, stdin, limit, 0)?;
    load::decode(name.to_string(), &bytes)
}

fn extract(args: ExtractArgs, recognizer: &Recognizer, io: &mut Io) -> Result<ExitStatus, Failure> {
    let document = if args.path.as_os_str() == "-" {
        read_stdin("-", io.stdin, args.max_file_size)?
    } else {
        load::load_path_limited(&args.path, args.max_file_size)?
    };
    let analysis = Analysis::new(&document.text, recognizer);
    let quantities: Vec<_> = analysis
        .quantities
        .iter()
        .map(|q| (analysis.view.to_source(q.span), q))
        .collect();
    match args.format {
        ExtractFormat::Json => {
            report::print_quantities_json(&document.name, &document.text, &quantities, io.out)?
        }
        ExtractFormat::Human => {
            report::print_quantities_human(&document.text, &quantities, io.out)?
        }
    }
    Ok(ExitStatus::Clean)
}

fn list_rules(
    args: RulesArgs,
    recognizer: &Recognizer,
    io: &mut Io,
) -> Result<ExitStatus, Failure> {
    let rules = rule_set(&args.rules, recognizer)?;
    let width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in &rules.rules {
        writeln!(
            io.out,
            "{:width$}  {:7}  {}",
            rule.id,
            rule.severity.as_str(),
            rule.summary
        )?;
    }
    Ok(ExitStatus::Clean)
}

fn show_rule(args: RuleArgs, recognizer: &Recognizer, io: &mut Io) -> Result<ExitStatus, Failure> {
    let rules = rule_set(&args.rules, recognizer)?;
    let Some(rule) = rules.get(&args.id) else {
        let ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
        return Err(Failure::UnknownRule {
            id: args.id,
            help: format!("`statlint rules` lists them: {}", ids.join(", ")),
        });
    };
    write_rule(rule, io.out)?;
    Ok(ExitStatus::Clean)
}

/// The documentation of one rule, as `statlint rule ID` prints it.
pub fn write_rule(rule: &Rule, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} ({})", rule.id, rule.severity.as_str())?;
    writeln!(out, "\n{}\n", rule.summary)?;
    writeln!(out, "{}", rule.explanation.trim_end())?;
    for (expect, title) in [
        (Expect::Fail, "Fires on"),
        (Expect::Pass, "Stays silent on"),
    ] {
        let examples: Vec<_> = rule
            .examples
            .iter()
            .filter(|e| e.expect == expect)
            .collect();
        if !examples.is_empty() {
            writeln!(out, "\n{title}:")?;
            for example in examples {
                writeln!(out, "  {}", example.text.trim())?;
            }
        }
    }
    Ok(())
}

fn test_rules(
    args: TestRulesArgs,
    recognizer: &Recognizer,
    io: &mut Io,
) -> Result<ExitStatus, Failure> {
    let rules = match &args.dir {
        Some(dir) => RuleSet::with_dirs(RuleSet::default(), std::slice::from_ref(dir), recognizer)?,
        None => RuleSet::standard(recognizer)?,
    };
    let failures = crate::rules::examples::run(&rules, recognizer);
    let total: usize = rules.rules.iter().map(|r| r.examples.len()).sum();
    if failures.is_empty() {
        writeln!(
            io.out,
            "test-rules: {} passed, 0 failed ({} rules)",
            total,
            rules.rules.len()
        )?;
        return Ok(ExitStatus::Clean);
    }
    for failure in &failures {
        writeln!(io.err, "{:?}", miette::Report::new(failure.clone()))?;
    }
    writeln!(
        io.out,
        "test-rules: {} passed, {} failed ({} rules)",
        total - failures.len(),
        failures.len(),
        rules.rules.len()
    )?;
    Ok(ExitStatus::Failure)
}

/// A closed pipe (`statlint check … | head -1`) is not an error worth a message.
pub fn is_broken_pipe(failure: &Failure) -> bool {
    matches!(failure, Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
}
