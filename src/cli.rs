//! The command line: arguments are resolved into settings (compiled rules, output style) before
//! any document is read, then each command runs over the library and writes to the writers it
//! is given. Exit codes are decided in one place, [`ExitStatus`].

mod annotate;
mod check;
pub mod diagnostics;
mod ordered;
mod serve;
mod settings;

pub use serve::ServeArgs;

use crate::evaluate::Analysis;
use crate::load::{self, Document, LoadError};
use crate::recognize::Recognizer;
use crate::report::{self, Format, Lang};
use crate::rules::{Rule, RuleSet, RuleSetError, Severity};
use crate::suppress::{
    UNUSED_SUPPRESSION, UNUSED_SUPPRESSION_EXPLANATION, UNUSED_SUPPRESSION_SUMMARY,
};
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
    /// The language of messages and of the human output's frame: `en`, or `zh` for Chinese
    /// [default: `zh` when LANG/LC_ALL/LC_MESSAGES is Chinese, else `en`]. Rule messages are
    /// Chinese either way; JSON field names never change.
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
}

impl Args {
    /// The arguments of this process. `statlint` alone, started with no terminal on stdin (by a
    /// double click in a file manager), runs `serve --open`: an editor gets the page, not a
    /// help text in a window that closes at once. With a terminal it prints the help, as
    /// every command line tool does.
    pub fn from_env() -> Args {
        use std::io::IsTerminal;
        let alone = std::env::args_os().len() == 1;
        if alone && !std::io::stdin().is_terminal() {
            return Args::double_clicked();
        }
        Args::parse()
    }

    /// What `statlint` alone, without a terminal, runs: `serve --open` with every default.
    pub fn double_clicked() -> Args {
        Args {
            command: Command::Serve(ServeArgs::double_clicked()),
            lang: None,
        }
    }

    /// `--lang`, or the locale's language.
    pub fn language(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
    }
}

// Parsed once per run: the size of the `check` variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check bulletins and report every figure that contradicts another.
    Check(CheckArgs),
    /// Check one draft and write an annotated copy: a .docx with a Word comment (批注) on the
    /// figures of each finding.
    Annotate(AnnotateArgs),
    /// List every figure statlint recognizes in a file: what a rule author sees.
    Extract(ExtractArgs),
    /// List the loaded rules.
    Rules(RulesArgs),
    /// Explain one rule: summary, explanation and examples.
    Rule(RuleArgs),
    /// Run every rule's examples and report each that misbehaves.
    TestRules(TestRulesArgs),
    /// Serve the editors' page and LanguageTool's API on this machine (http://127.0.0.1:8081/).
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct RuleSource {
    /// Add the rule files (*.toml) of this directory to the standard pack (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct AnnotateArgs {
    /// The draft: a `.docx` (or `.txt`/`.md`, for which the copy is the HTML view of the
    /// report). It is only read.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Where to write the annotated copy: a new file (never the draft itself).
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT when it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Also report relations that approximate figures leave undetermined (as warnings).
    #[arg(long)]
    pub strict: bool,
    /// Read settings from this file instead of the `statlint.toml` found from the current
    /// directory upward.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check only these rules (ids or prefixes, comma-separated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not check these rules (ids or prefixes, comma-separated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Refuse a draft larger than this (bytes, or with K/M/G: `50M`).
    #[arg(long, value_name = "SIZE", default_value = "50M", value_parser = load::parse_size)]
    pub max_file_size: u64,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check (`.txt`, `.md`, `.docx` and `.odt` inside directories,
    /// honouring `.gitignore`); `-` reads stdin [default: `.`].
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of stdout (messages still go to stderr).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
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
    /// Colour in human output: auto (when stdout is a terminal, unless NO_COLOR is set or
    /// TERM=dumb; CLICOLOR_FORCE forces it), always or never.
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
    /// Print how many findings each rule produced instead of the findings (with `--format
    /// sarif` or `github`: besides them, on stderr).
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
    /// Also list what statlint understood of each figure: its measure, role, period and links
    /// (see docs/statements.md).
    #[arg(long)]
    pub statements: bool,
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
    #[error("invalid glob `{glob}`: {message}")]
    #[diagnostic(
        code(statlint::usage),
        help("globs use .gitignore syntax, e.g. `drafts/` or `*.bak.md`")
    )]
    Glob { glob: String, message: String },
    #[error("cannot write the report to {path}: {error}")]
    #[diagnostic(code(statlint::io))]
    OutputFile { path: String, error: io::Error },
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
    #[error(transparent)]
    #[diagnostic(transparent)]
    Annotate(#[from] annotate::AnnotateError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Serve(#[from] crate::serve::ServeError),
}

pub fn run(args: Args, io: &mut Io) -> Result<ExitStatus, Vec<Failure>> {
    let recognizer = Recognizer::standard();
    let lang = args.language();
    let result = match args.command {
        Command::Check(a) => check::check(a, recognizer, io, lang),
        Command::Annotate(a) => annotate::annotate(a, recognizer, io, lang),
        Command::Extract(a) => extract(a, recognizer, io).map_err(|e| vec![e]),
        Command::Rules(a) => list_rules(a, recognizer, io).map_err(|e| vec![e]),
        Command::Rule(a) => show_rule(a, recognizer, io).map_err(|e| vec![e]),
        Command::TestRules(a) => test_rules(a, recognizer, io).map_err(|e| vec![e]),
        Command::Serve(a) => serve::serve(a, recognizer, io, lang),
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
    load::load_bytes_limited(name.to_string(), &bytes, limit)
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
    if args.statements {
        let to_source = |span| {
            let span = analysis.view.to_source(span);
            prose.as_ref().map_or(span, |p| p.to_source(span))
        };
        let view = report::StatementsView {
            statements: &analysis.statements,
            lexicon: crate::statements::Lexicon::standard(),
            to_source: &to_source,
            source: &document.text,
        };
        match args.format {
            ExtractFormat::Json => {
                let mut json =
                    report::quantities_json_value(&document.name, &document.text, &quantities)
                        .map_err(io::Error::other)?;
                if let (Some(object), serde_json::Value::Object(more)) =
                    (json.as_object_mut(), report::statements_json(&view))
                {
                    object.extend(more);
                }
                serde_json::to_writer_pretty(&mut *io.out, &json).map_err(io::Error::other)?;
                writeln!(io.out)?;
            }
            ExtractFormat::Human => report::print_statements_human(&view, io.out)?,
        }
        return Ok(ExitStatus::Clean);
    }
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
    let mut rows: Vec<(&str, &str, &str)> = rules
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.severity.as_str(), r.summary.as_str()))
        .collect();
    rows.push((UNUSED_SUPPRESSION, "warning", UNUSED_SUPPRESSION_SUMMARY));
    rows.sort();
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (id, severity, summary) in rows {
        writeln!(io.out, "{id:width$}  {severity:7}  {summary}")?;
    }
    Ok(ExitStatus::Clean)
}

fn show_rule(args: RuleArgs, recognizer: &Recognizer, io: &mut Io) -> Result<ExitStatus, Failure> {
    let rules = rule_set(&args.rules, recognizer, load::DEFAULT_MAX_FILE_SIZE)?;
    if args.id == UNUSED_SUPPRESSION {
        io.out.write_all(unused_suppression_text().as_bytes())?;
        return Ok(ExitStatus::Clean);
    }
    let Some(rule) = rules.get(&args.id) else {
        let mut ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
        ids.push(UNUSED_SUPPRESSION);
        ids.sort_unstable();
        let help = match did_you_mean(&args.id, &ids) {
            Some(id) => format!("did you mean `{id}`? (`statlint rules` lists them all)"),
            None => format!("`statlint rules` lists them: {}", ids.join(", ")),
        };
        return Err(Failure::UnknownRule { id: args.id, help });
    };
    write_rule(rule, io.out)?;
    Ok(ExitStatus::Clean)
}

/// The documentation of one rule for a terminal, as `statlint rule ID` prints it.
pub fn write_rule(rule: &Rule, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(report::rule_text(rule).as_bytes())
}

/// The meta rule explained as the rules of a pack are.
pub fn unused_suppression_text() -> String {
    format!(
        "{UNUSED_SUPPRESSION} (warning)\n\n{UNUSED_SUPPRESSION_SUMMARY}\n\n{UNUSED_SUPPRESSION_EXPLANATION}\n"
    )
}

/// The rule id meant by a mistyped `given`: the only id it is a prefix of, or else the id
/// closest to it in edits, when it is close enough to be a typo (at most a third of it wrong).
pub fn did_you_mean<'a>(given: &str, ids: &[&'a str]) -> Option<&'a str> {
    let prefixed: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| id.starts_with(given))
        .collect();
    if let [only] = prefixed.as_slice() {
        return Some(only);
    }
    ids.iter()
        .map(|id| (edit_distance(given, id), *id))
        .filter(|(d, id)| *d <= id.chars().count().max(3) / 3)
        .min()
        .map(|(_, id)| id)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
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

/// A failure as `main` prints it, in `lang`: miette's rendering, with the message and help in
/// Chinese for the failures an editor meets (a file that cannot be read, a rule id mistyped).
pub fn render_failure(failure: Failure, lang: Lang) -> String {
    let localized = match lang {
        Lang::Zh => chinese(&failure),
        Lang::En => None,
    };
    match localized {
        Some((message, help)) => {
            let report = miette::Report::new(Localized {
                inner: failure,
                message,
                help,
            });
            crate::report::localize_frame(&format!("{report:?}"), lang)
        }
        None => crate::report::localize_frame(&format!("{:?}", miette::Report::new(failure)), lang),
    }
}

/// The message and help of `failure` in Chinese, for those an editor meets.
fn chinese(failure: &Failure) -> Option<(String, Option<String>)> {
    Some(match failure {
        Failure::Load(error) => chinese_load(error),
        Failure::UnknownRule { id, help } => (format!("未知规则“{id}”"), Some(help.clone())),
        Failure::Glob { glob, message } => (format!("无效的通配符“{glob}”：{message}"), None),
        Failure::Output(error) => (format!("无法写出结果：{error}"), None),
        Failure::OutputFile { path, error } => (format!("无法将结果写入{path}：{error}"), None),
        Failure::Annotate(error) => annotate::chinese(error),
        _ => return None,
    })
}

/// The message and help of a document that cannot be read, in Chinese (the command line's
/// `--lang zh`, and the page of `statlint serve`).
fn chinese_load(error: &LoadError) -> (String, Option<String>) {
    let save_as = "请在 Word/WPS 中打开并另存为 .docx 后再检查".to_string();
    match error {
        LoadError::Io { path, error } => (format!("{path}：无法读取文件：{error}"), None),
        LoadError::TooLarge { path, size, limit } => (
            format!("{path}：文件过大，无法检查（{size}字节，上限为{limit}字节）"),
            Some("通报远小于此；如确是通报，请用 --max-file-size 提高上限".into()),
        ),
        LoadError::IsDirectory { path } => (format!("{path}：是目录，不是文件"), None),
        LoadError::NotAFile { path, kind } => (
            format!("{path}：无法按文件名读取{kind}"),
            Some("请改用管道输入：`… | statlint check -`".into()),
        ),
        LoadError::Binary { name, offset } => (
            format!("{name}：看起来是二进制文件（第{offset}字节处为NUL）"),
            Some(
                "statlint 读取纯文本（UTF-8、UTF-16、GB18030/GBK、Big5）、Markdown、.docx 和 .odt"
                    .into(),
            ),
        ),
        LoadError::InvalidEncoding {
            name,
            encoding,
            offset,
        } => (
            format!("{name}：第{offset}字节处不是有效的{encoding}编码"),
            Some("请将文件另存为 UTF-8 编码".into()),
        ),
        LoadError::Office {
            name,
            format,
            reason,
        } => (
            format!("{name}：无法读取此{format}文件：{reason}"),
            Some(format!("文件已损坏或不是{format}文档；{save_as}")),
        ),
        LoadError::Unsupported { name, format } => {
            (format!("{name}：无法检查{format}文件"), Some(save_as))
        }
    }
}

/// A failure with its message and help replaced (translated); everything else is its own.
struct Localized {
    inner: Failure,
    message: String,
    help: Option<String>,
}

impl std::fmt::Debug for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner, f)
    }
}

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Localized {}

impl miette::Diagnostic for Localized {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.inner.code()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match &self.help {
            Some(help) => Some(Box::new(help)),
            None => self.inner.help(),
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.inner.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.inner.labels()
    }
}

/// A closed pipe (`statlint check … | head -1`) is not an error worth a message.
pub fn is_broken_pipe(failure: &Failure) -> bool {
    matches!(failure, Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
}

/// What the binary does with the failures of a run: nothing when the output went into a closed
/// pipe, else each on `err` (at most [`diagnostics::MAX_DIAGNOSTICS`], writing best effort);
/// the status is [`ExitStatus::Clean`] for the closed pipe and [`ExitStatus::Failure`] else.
///
/// In Chinese (`--lang zh` or a Chinese locale) each failure is rendered in Chinese where it has
/// a translation (see [`render_failure`]), with the same cap and the same best-effort writes.
pub fn report_failures(failures: Vec<Failure>, lang: Lang, err: &mut dyn Write) -> ExitStatus {
    if failures.iter().any(is_broken_pipe) {
        return ExitStatus::Clean;
    }
    match lang {
        Lang::En => diagnostics::print(failures.iter().map(|f| f as &dyn miette::Diagnostic), err),
        Lang::Zh => {
            let total = failures.len();
            for failure in failures.into_iter().take(diagnostics::MAX_DIAGNOSTICS) {
                let _ = writeln!(err, "{}", render_failure(failure, lang));
            }
            if total > diagnostics::MAX_DIAGNOSTICS {
                let hidden = total - diagnostics::MAX_DIAGNOSTICS;
                let _ = writeln!(err, "statlint：另有{hidden}条诊断未显示");
            }
            let _ = err.flush();
        }
    }
    ExitStatus::Failure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistyped_rule_ids_are_recognized() {
        let ids = [
            "malformed-amount",
            "staff-exceeds-villages",
            "unused-suppression",
        ];
        let cases = [
            ("staff", Some("staff-exceeds-villages")),
            ("staff-exceeds-vilages", Some("staff-exceeds-villages")),
            ("malformed-amont", Some("malformed-amount")),
            ("unused", Some("unused-suppression")),
            ("zzz", None),
            ("", None),
        ];
        for (given, expected) in cases {
            assert_eq!(did_you_mean(given, &ids), expected, "{given}");
        }
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
