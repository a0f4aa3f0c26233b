//! The command line: arguments are resolved into settings (compiled rules, output style) before
//! any document is read, then each command runs over the library and writes to the writers it
//! is given. Exit codes are decided in one place, [`ExitStatus`].

mod check;
pub mod diagnostics;
mod ordered;
mod settings;

use crate::evaluate::Analysis;
use crate::load::{self, Document, LoadError};
use crate::recognize::Recognizer;
use crate::report::{self, Format};
use crate::rules::{Rule, RuleSet, RuleSetError, Severity};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, Read, Write};
use std::path::PathBuf;

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

// Parsed once per run: the size of the `check` variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
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
    /// Files or directories to check (`.txt`, `.md` and `.docx` inside directories, honouring
    /// `.gitignore`); `-` reads stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Also report relations that approximate figures leave undetermined (as warnings).
    #[arg(long)]
    pub strict: bool,
    /// The lowest severity that makes the run fail (exit 1) [default: error, or `fail-on` in
    /// statlint.toml].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The name to report for a document read from stdin.
    #[arg(long, value_name = "NAME", default_value = "-")]
    pub stdin_filename: String,
    /// Colour in human output: auto (when stdout is a terminal), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Refuse files larger than this (bytes, or with K/M/G: `50M`); the others are still checked.
    #[arg(long, value_name = "SIZE", default_value = "50M", value_parser = load::parse_size)]
    pub max_file_size: u64,
    /// Worker threads (default: one per core); `--threads 1` checks on one core. At most 4
    /// threads per core are started, and no more than there are files to check.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    #[command(flatten)]
    pub ci: CiArgs,
}

/// Options for repositories, CI and hooks (issue 5).
#[derive(Debug, clap::Args)]
pub struct CiArgs {
    /// Read settings from this file instead of the `statlint.toml` found from the current
    /// directory upward.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check only these rules (ids or prefixes, comma-separated); replaces `select` of the
    /// config.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not check these rules (ids or prefixes, comma-separated); adds to `ignore`.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// In directories, check only files matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip paths matching this gitignore-style glob (repeatable), even when named.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Exit 0 even when findings are reported (2 still means statlint failed).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print the findings and nothing else (no summary line, no notes).
    #[arg(long, short)]
    pub quiet: bool,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (JSON) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Let --write-baseline replace an existing file.
    #[arg(long)]
    pub force: bool,
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
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Walk(#[from] crate::walk::WalkError),
}

pub fn run(args: Args, io: &mut Io) -> Result<ExitStatus, Vec<Failure>> {
    let recognizer = Recognizer::standard();
    let result = match args.command {
        Command::Check(a) => check::check(a, recognizer, io),
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

/// The standard pack and the rule files of `source`'s directories, each file at most `limit`
/// bytes.
fn rule_set(source: &RuleSource, recognizer: &Recognizer, limit: u64) -> Result<RuleSet, Failure> {
    let standard = RuleSet::standard(recognizer)?;
    if source.rule_dirs.is_empty() {
        return Ok(standard);
    }
    Ok(RuleSet::with_dirs_limited(
        standard,
        &source.rule_dirs,
        recognizer,
        limit,
    )?)
}

fn read_stdin(name: &str, stdin: &mut dyn Read, limit: u64) -> Result<Document, LoadError> {
    let bytes = load::read_limited(name, stdin, limit, 0)?;
    load::load_bytes(name.to_string(), &bytes)
}

fn extract(args: ExtractArgs, recognizer: &Recognizer, io: &mut Io) -> Result<ExitStatus, Failure> {
    let document = if args.path.as_os_str() == "-" {
        read_stdin("-", io.stdin, args.max_file_size)?
    } else {
        load::load_path_limited(&args.path, args.max_file_size)?
    };
    // Markdown is read as `check` reads it: prose only, spans mapped back into the source.
    let prose = (load::Kind::of(&document.name) == load::Kind::Markdown)
        .then(|| load::markdown::prose(&document.text));
    let text = prose
        .as_ref()
        .map_or(document.text.as_str(), |p| p.text.as_str());
    let analysis = Analysis::new(text, recognizer);
    let quantities: Vec<_> = analysis
        .quantities
        .iter()
        .map(|q| {
            let span = analysis.view.to_source(q.span);
            (prose.as_ref().map_or(span, |p| p.to_source(span)), q)
        })
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
    let rules = rule_set(&args.rules, recognizer, load::DEFAULT_MAX_FILE_SIZE)?;
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
    let rules = rule_set(&args.rules, recognizer, load::DEFAULT_MAX_FILE_SIZE)?;
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

/// The documentation of one rule, as `statlint rule ID` prints it (and the rule reference).
pub fn write_rule(rule: &Rule, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(report::rule_section(rule).as_bytes())
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
    diagnostics::print(
        failures.iter().map(|f| f as &dyn miette::Diagnostic),
        io.err,
    );
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

/// What the binary does with the failures of a run: nothing when the output went into a closed
/// pipe, else each on `err` (at most [`diagnostics::MAX_DIAGNOSTICS`], writing best effort);
/// the status is [`ExitStatus::Clean`] for the closed pipe and [`ExitStatus::Failure`] else.
pub fn report_failures(failures: &[Failure], err: &mut dyn Write) -> ExitStatus {
    if failures.iter().any(is_broken_pipe) {
        return ExitStatus::Clean;
    }
    diagnostics::print(failures.iter().map(|f| f as &dyn miette::Diagnostic), err);
    ExitStatus::Failure
}
