//! `check`'s settings: the command line and `statlint.toml` resolved once, before any document
//! is read, into one immutable [`Settings`] (ripgrep's low-args → high-args habit). Every
//! mistake in either is found here, so a run never stops halfway through a repository.

use super::{CheckArgs, ColorChoice, FailOn, Failure, unused_suppression_text};
use crate::baseline::Baseline;
use crate::config::{Config, matches_rule};
use crate::evaluate::Options;
use crate::recognize::Recognizer;
use crate::report::{self, Format, Lang, RuleInfo, Style};
use crate::rules::{RuleSet, Severity};
use crate::suppress::{
    UNUSED_SUPPRESSION, UNUSED_SUPPRESSION_EXPLANATION, UNUSED_SUPPRESSION_SUMMARY,
};
use crate::walk::{Filter, Globs};
use std::collections::HashMap;
use std::io::IsTerminal;

use std::path::{Path, PathBuf};
use toml::Spanned;

pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub stdin_name: String,
    /// The rules checked: the loaded packs less what `select`/`ignore` leave out.
    pub rules: RuleSet,
    /// Every rule id statlint knows, checked or not, the meta rule included.
    pub known: Vec<String>,
    /// Is `unused-suppression` reported?
    pub report_unused: bool,
    /// The rules checked, as reports describe them.
    pub rule_infos: Vec<RuleInfo>,
    /// Severity overrides by rule id.
    pub severity: HashMap<String, Severity>,
    /// Globs, and the rule selectors not checked in files matching them.
    pub per_file_ignores: Vec<(Globs, Vec<String>)>,
    pub filter: Filter,
    pub options: Options,
    pub fail_on: Severity,
    pub format: Format,
    /// `--output-file`: the report goes there instead of stdout.
    pub output_file: Option<PathBuf>,
    pub style: Style,
    /// `--quiet`: findings only, no summary line or notes.
    pub quiet: bool,
    pub exit_zero: bool,
    pub statistics: bool,
    pub baseline: Option<Baseline>,
    pub write_baseline: Option<PathBuf>,
    pub force: bool,
    /// `--max-file-size`: larger files are refused, each with its own message.
    pub max_file_size: u64,
    /// Settings that are valid but most likely not what was meant, for stderr.
    pub warnings: Vec<SettingsWarning>,
}

/// A setting that is valid but most likely a mistake: printed as a warning, the run goes on.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(statlint::config), severity(Warning))]
pub struct SettingsWarning {
    pub message: String,
    #[source_code]
    pub src: Option<crate::source::SharedSource>,
    #[label("{label}")]
    pub span: Option<miette::SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl Settings {
    /// Is rule `id` checked in the document named `name`?
    pub fn checks(&self, id: &str, ignored_here: &[&str]) -> bool {
        let loaded = self.rules.rules.iter().any(|r| r.id == id)
            || (id == UNUSED_SUPPRESSION && self.report_unused);
        loaded && !ignored_here.iter().any(|s| matches_rule(s, id))
    }

    /// The selectors `per-file-ignores` applies to the document named `name`.
    pub fn ignored_in(&self, name: &str) -> Vec<&str> {
        let path = crate::config::absolute(Path::new(name));
        self.per_file_ignores
            .iter()
            .filter(|(globs, _)| globs.matches(&path, false))
            .flat_map(|(_, selectors)| selectors.iter().map(String::as_str))
            .collect()
    }
}

/// Is colour on, for `--color` and the environment? `never`/`always` win; `auto` colours a
/// terminal unless `NO_COLOR` is set (no-color.org) or `TERM=dumb`, and `CLICOLOR_FORCE` (set,
/// not `0`) colours whatever the output is.
pub fn colour(
    choice: ColorChoice,
    is_terminal: bool,
    var: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto
            if set("CLICOLOR_FORCE") && var("CLICOLOR_FORCE").as_deref() != Some("0") =>
        {
            true
        }
        ColorChoice::Auto if var("TERM").as_deref() == Some("dumb") => false,
        ColorChoice::Auto => is_terminal,
    }
}

/// The width the human output wraps at: the terminal's, or `COLUMNS`, or 100 when the output
/// is not a terminal (a file, a pipe, a CI log).
pub fn width(is_terminal: bool, var: impl Fn(&str) -> Option<String>) -> usize {
    let columns = var("COLUMNS").and_then(|c| c.trim().parse::<usize>().ok());
    let terminal = is_terminal
        .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .flatten();
    // Narrower than this, miette's frame leaves no room for the text.
    terminal.or(columns).unwrap_or(100).max(40)
}

pub fn resolve(
    args: CheckArgs,
    recognizer: &Recognizer,
    stdout_is_terminal: bool,
    lang: Lang,
) -> Result<Settings, Vec<Failure>> {
    let one = |e: Failure| vec![e];
    let ci = args.ci;
    let cwd = std::env::current_dir().map_err(|e| one(Failure::Output(e)))?;
    let limit = args.max_file_size;
    let config = match &ci.config {
        Some(path) => Some(Config::load(path, limit).map_err(|e| one(e.into()))?),
        None => Config::discover(&cwd, limit).map_err(|e| one(e.into()))?,
    };

    // Rules: the standard pack, `--rules` directories, then the config's `rule-dirs`.
    let mut rule_dirs = args.rules.rule_dirs.clone();
    if let Some(config) = &config {
        for dir in &config.rule_dirs {
            let path = config.dir.join(dir.get_ref());
            if !path.is_dir() {
                return Err(one(config
                    .error(
                        Some(dir.span()),
                        format!("rule directory `{}` does not exist", path.display()),
                        "relative to this file",
                        None,
                    )
                    .into()));
            }
            rule_dirs.push(path);
        }
    }
    let source = super::RuleSource { rule_dirs };
    let mut rules = super::rule_set(&source, recognizer, limit).map_err(one)?;
    let mut known: Vec<String> = rules.rules.iter().map(|r| r.id.clone()).collect();
    known.push(UNUSED_SUPPRESSION.to_string());

    // Every selector must name a rule: a typo in `ignore` would otherwise ignore nothing.
    let mut failures = Vec::new();
    let names_a_rule = |s: &str| known.iter().any(|id| matches_rule(s, id));
    if let Some(config) = &config {
        let mut check = |selectors: &mut dyn Iterator<Item = &Spanned<String>>| {
            for s in selectors {
                if !names_a_rule(s.get_ref()) {
                    failures.push(Failure::Config(config.error(
                        Some(s.span()),
                        format!("unknown rule `{}`", s.get_ref()),
                        "no rule has this id or prefix",
                        Some(format!("`statlint rules` lists them: {}", known.join(", "))),
                    )));
                }
            }
        };
        check(&mut config.select.iter().flatten());
        check(&mut config.ignore.iter());
        check(&mut config.severity.iter().map(|(s, _)| s));
        check(&mut config.per_file_ignores.iter().flat_map(|(_, v)| v));
    }
    for s in ci.select.iter().chain(&ci.ignore) {
        if !names_a_rule(s) {
            failures.push(Failure::UnknownRule {
                id: s.clone(),
                help: format!("`statlint rules` lists them: {}", known.join(", ")),
            });
        }
    }

    // Which rules run.
    let select: Option<Vec<String>> = if !ci.select.is_empty() {
        Some(ci.select.clone())
    } else {
        config
            .as_ref()
            .and_then(|c| c.select.as_ref())
            .map(|v| v.iter().map(|s| s.get_ref().clone()).collect())
    };
    let mut ignore: Vec<String> = config
        .iter()
        .flat_map(|c| c.ignore.iter().map(|s| s.get_ref().clone()))
        .collect();
    ignore.extend(ci.ignore.iter().cloned());
    let active = |id: &str| {
        select
            .as_ref()
            .is_none_or(|v| v.iter().any(|s| matches_rule(s, id)))
            && !ignore.iter().any(|s| matches_rule(s, id))
    };
    rules.rules.retain(|r| active(&r.id));
    let report_unused = active(UNUSED_SUPPRESSION);
    let mut warnings = Vec::new();
    if rules.rules.is_empty() && !report_unused {
        warnings.push(nothing_checked(config.as_ref(), !ci.select.is_empty()));
    }

    let mut severity = HashMap::new();
    for (selector, level) in config.iter().flat_map(|c| &c.severity) {
        for id in known
            .iter()
            .filter(|id| matches_rule(selector.get_ref(), id))
        {
            severity.insert(id.clone(), *level);
        }
    }

    // Paths: the config's globs are relative to it, the command line's to the current directory.
    let mut filter = Filter::default();
    let mut per_file_ignores = Vec::new();
    if let Some(config) = &config {
        let mut add = |globs: &mut Globs, list: &[Spanned<String>]| {
            let patterns: Vec<&str> = list.iter().map(|s| s.get_ref().as_str()).collect();
            if let Err(bad) = globs.add(&config.dir, &patterns) {
                failures.push(Failure::Config(config.error(
                    Some(list[bad.index].span()),
                    format!("invalid glob: {}", bad.message),
                    "this glob",
                    None,
                )));
            }
        };
        add(&mut filter.include, &config.include);
        add(&mut filter.exclude, &config.exclude);
        for (glob, selectors) in &config.per_file_ignores {
            let mut globs = Globs::default();
            add(&mut globs, std::slice::from_ref(glob));
            let selectors = selectors.iter().map(|s| s.get_ref().clone()).collect();
            per_file_ignores.push((globs, selectors));
        }
    }
    for (globs, list) in [
        (&mut filter.include, &ci.include),
        (&mut filter.exclude, &ci.exclude),
    ] {
        let patterns: Vec<&str> = list.iter().map(String::as_str).collect();
        if let Err(bad) = globs.add(&cwd, &patterns) {
            failures.push(Failure::Glob {
                glob: list[bad.index].clone(),
                message: bad.message,
            });
        }
    }

    let baseline = match &ci.baseline {
        Some(path) => match Baseline::read(path, limit) {
            Ok(b) => Some(b),
            Err(e) => {
                failures.push(e.into());
                None
            }
        },
        None => None,
    };
    if let Some(path) = &ci.write_baseline
        && let Err(e) = crate::baseline::check_target(path, ci.force)
    {
        failures.push(e.into());
    }
    if !failures.is_empty() {
        return Err(failures);
    }

    let mut rule_infos: Vec<RuleInfo> = rules
        .rules
        .iter()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            summary: r.summary.clone(),
            explanation: r.explanation.clone(),
            help: report::rule_text(r),
            help_markdown: report::rule_section(r),
            severity: *severity.get(&r.id).unwrap_or(&r.severity),
        })
        .collect();
    if report_unused {
        rule_infos.push(RuleInfo {
            id: UNUSED_SUPPRESSION.to_string(),
            summary: UNUSED_SUPPRESSION_SUMMARY.to_string(),
            explanation: UNUSED_SUPPRESSION_EXPLANATION.to_string(),
            help: unused_suppression_text(),
            help_markdown: format!(
                "## {UNUSED_SUPPRESSION}\n\n**{UNUSED_SUPPRESSION_SUMMARY}** (warning)\n\n{UNUSED_SUPPRESSION_EXPLANATION}\n"
            ),
            severity: *severity
                .get(UNUSED_SUPPRESSION)
                .unwrap_or(&Severity::Warning),
        });
    }

    let fail_on = args
        .fail_on
        .map(FailOn::severity)
        .or(config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(Severity::Error);
    Ok(Settings {
        paths: args.paths,
        stdin_name: args.stdin_filename,
        rules,
        known,
        report_unused,
        rule_infos,
        severity,
        per_file_ignores,
        filter,
        options: Options {
            strict: args.strict,
        },
        fail_on,
        format: args.format,
        style: {
            // A report written to a file is not written to the terminal.
            let is_terminal = stdout_is_terminal && args.output_file.is_none();
            let env = |name: &str| std::env::var(name).ok();
            Style {
                color: colour(args.color, is_terminal, env),
                width: width(is_terminal && std::io::stdout().is_terminal(), env),
                lang,
            }
        },
        output_file: args.output_file,
        quiet: ci.quiet,
        exit_zero: ci.exit_zero,
        statistics: ci.statistics,
        baseline,
        write_baseline: ci.write_baseline,
        force: ci.force,
        max_file_size: args.max_file_size,
        warnings,
    })
}

/// The warning for a selection that leaves no rule to check (`select = []`, or `--select`
/// and `--ignore` that cancel out): every file would pass, and nothing says why (issue 19).
fn nothing_checked(config: Option<&Config>, select_on_command_line: bool) -> SettingsWarning {
    let help = Some(
        "list rule ids or prefixes in `select` (or leave it out to check every rule); \
         `statlint rules` lists them"
            .to_string(),
    );
    let empty_select = config
        .filter(|_| !select_on_command_line)
        .and_then(|c| c.select.as_ref().map(|s| (c, s)))
        .filter(|(_, select)| select.is_empty());
    match empty_select {
        Some((config, _)) => {
            let span = config.select_span.clone();
            SettingsWarning {
                message: format!(
                    "{}: `select = []` selects no rule: nothing is checked",
                    config.path.display()
                ),
                src: Some(config.source()),
                span: span.map(|r| (r.start, r.len()).into()),
                label: "no rule selected".to_string(),
                help,
            }
        }
        None => SettingsWarning {
            message: "`select` and `ignore` leave no rule to check: nothing is checked".into(),
            src: None,
            span: None,
            label: String::new(),
            help,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        type Case = (
            ColorChoice,
            bool,
            &'static [(&'static str, &'static str)],
            bool,
        );
        let cases: [Case; 8] = [
            (ColorChoice::Auto, true, &[], true),
            (ColorChoice::Auto, false, &[], false),
            (ColorChoice::Auto, true, &[("NO_COLOR", "1")], false),
            (ColorChoice::Auto, true, &[("NO_COLOR", "")], true),
            (ColorChoice::Auto, false, &[("CLICOLOR_FORCE", "1")], true),
            (ColorChoice::Auto, false, &[("CLICOLOR_FORCE", "0")], false),
            (ColorChoice::Auto, true, &[("TERM", "dumb")], false),
            (ColorChoice::Always, false, &[("NO_COLOR", "1")], true),
        ];
        for (choice, terminal, vars, expected) in cases {
            assert_eq!(
                colour(choice, terminal, env(vars)),
                expected,
                "{choice:?} {vars:?}"
            );
        }
        assert_eq!(width(false, env(&[("COLUMNS", "60")])), 60);
        assert_eq!(width(false, env(&[])), 100);
    }
}
