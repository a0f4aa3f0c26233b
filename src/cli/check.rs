//! `statlint check`: resolve the settings, find the documents, check them in parallel, apply
//! per-file ignores, suppressions, severity overrides and the baseline, report, and decide the
//! exit status.

use super::settings::{self, Settings};
use super::{CheckArgs, ExitStatus, Failure, Io};
use crate::baseline;
use crate::config::matches_rule;
use crate::evaluate;
use crate::finding::Finding;
use crate::load::{self, Kind, LoadError, markdown};
use crate::recognize::Recognizer;
use crate::report::{self, FileReport, Format};
use crate::suppress;
use crate::walk::{self, Input};
use rayon::prelude::*;

/// Sizes the thread pool that compiles the rules and checks the files: `n` threads, or rayon's
/// default of one per core. The pool is process-wide and set once; a later call (a second run
/// in the same process, as in tests) keeps the first size.
fn configure_threads(n: Option<u16>) {
    if let Some(n) = n {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global();
    }
}

pub(super) fn check(
    args: CheckArgs,
    recognizer: &Recognizer,
    io: &mut Io,
) -> Result<ExitStatus, Vec<Failure>> {
    configure_threads(args.threads);
    let mut settings = settings::resolve(args, recognizer, io.stdout_is_terminal)?;
    let (inputs, walk_errors) = walk::inputs(&settings.paths, &settings.filter);
    let mut failures: Vec<Failure> = walk_errors.into_iter().map(Failure::Walk).collect();
    let mut stdin = Vec::new();
    if inputs.contains(&Input::Stdin) {
        match load::read_limited(
            &settings.stdin_name,
            &mut io.stdin,
            settings.max_file_size,
            0,
        ) {
            Ok(bytes) => stdin = bytes,
            Err(e) => failures.push(Failure::Load(e)),
        }
    }
    // Files are independent: check them in parallel; `collect` keeps the sorted input order.
    let results: Vec<Result<FileReport, LoadError>> = inputs
        .par_iter()
        .map(|input| check_one(input, &stdin, &settings, recognizer))
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(e) => failures.push(Failure::Load(e)),
        }
    }

    if let Some(path) = settings.write_baseline.clone() {
        // A baseline of a run that could not read every file would accept too little.
        if !failures.is_empty() {
            return Err(failures);
        }
        let entries: Vec<_> = reports
            .iter()
            .flat_map(|r| baseline::entries(&path, &r.name, &r.text, &r.findings))
            .collect();
        let count = entries.len();
        baseline::write(&path, entries, settings.force).map_err(|e| vec![e.into()])?;
        if !settings.quiet {
            writeln!(
                io.err,
                "statlint: wrote {count} finding(s) to the baseline {}",
                path.display()
            )
            .map_err(|e| vec![e.into()])?;
        }
        return Ok(ExitStatus::Clean);
    }

    if let Some(accepted) = settings.baseline.as_mut() {
        let mut dropped = 0;
        for report in &mut reports {
            dropped += accepted.filter(&report.name, &report.text, &mut report.findings);
        }
        if dropped > 0 && !settings.quiet {
            writeln!(
                io.err,
                "statlint: {dropped} finding(s) recorded in the baseline were not reported"
            )
            .map_err(|e| vec![e.into()])?;
        }
    }

    let printed = if settings.statistics {
        let json = settings.format == Format::Json;
        let mut statistics = report::Statistics::new(&settings.rule_infos, json);
        report::print_all(&mut statistics, &reports, io.out)
    } else {
        let options = report::ReportOptions {
            rules: &settings.rule_infos,
            quiet: settings.quiet,
        };
        let mut printer = report::printer(settings.format, settings.style, options);
        report::print_all(&mut *printer, &reports, io.out)
    };
    if let Err(e) = printed {
        failures.push(Failure::Output(e));
    }
    if !failures.is_empty() {
        return Err(failures);
    }
    let failing = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f: &Finding| f.severity >= settings.fail_on);
    Ok(if failing && !settings.exit_zero {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Read and check one document.
fn check_one(
    input: &Input,
    stdin: &[u8],
    settings: &Settings,
    recognizer: &Recognizer,
) -> Result<FileReport, LoadError> {
    let document = match input {
        Input::Stdin => load::load_bytes(settings.stdin_name.clone(), stdin)?,
        Input::File(path) => load::load_path_limited(path, settings.max_file_size)?,
    };
    let check = |text: &str| evaluate::check(text, &settings.rules, recognizer, settings.options);
    let (mut findings, directives) = if Kind::of(&document.name) == Kind::Markdown {
        let prose = markdown::prose(&document.text);
        let mut findings = check(&prose.text);
        for finding in &mut findings {
            finding.span = prose.to_source(finding.span);
            for label in &mut finding.labels {
                label.span = prose.to_source(label.span);
            }
        }
        (findings, prose.directives)
    } else {
        (check(&document.text), Vec::new())
    };

    let ignored = settings.ignored_in(&document.name);
    findings.retain(|f| settings.checks(&f.rule, &ignored));
    let known = |s: &str| settings.known.iter().any(|id| matches_rule(s, id));
    let active = |s: &str| {
        let mut ids = settings.known.iter();
        ids.any(|id| matches_rule(s, id) && settings.checks(id, &ignored))
    };
    let rules = suppress::Rules {
        known: &known,
        active: &active,
    };
    let (mut findings, unused) = suppress::apply(&document.text, &directives, findings, &rules);
    if settings.checks(suppress::UNUSED_SUPPRESSION, &ignored) {
        findings.extend(unused);
    }
    for finding in &mut findings {
        if let Some(severity) = settings.severity.get(&finding.rule) {
            finding.severity = *severity;
        }
    }
    findings.sort_by(|a, b| (a.span, &a.rule).cmp(&(b.span, &b.rule)));
    Ok(FileReport {
        name: document.name,
        encoding: document.encoding,
        text: document.text,
        findings,
    })
}
