//! `statlint check`: resolve the settings, find the documents, check them in parallel, apply
//! per-file ignores, suppressions, severity overrides and the baseline, report each document as
//! soon as those before it are reported, and decide the exit status.

use super::ordered;
use super::settings::{self, Settings};
use super::{CheckArgs, ExitStatus, Failure, Io};
use crate::baseline;
use crate::config::matches_rule;
use crate::evaluate;
use crate::load::{self, Kind, LoadError, markdown};
use crate::recognize::Recognizer;
use crate::report::{self, FileError, FileReport, Format, Lang, Printer};
use crate::suppress;
use crate::walk::{self, Input};
use std::ops::ControlFlow;
use std::path::Path;

/// Sizes the thread pool that compiles the rules: `n` threads, or rayon's default of one per
/// core. The pool is process-wide and set once; a later call (a second run in the same process,
/// as in tests) keeps the first size. The files are checked on threads of their own, as many
/// as `--threads` says for this run (see [`ordered::for_each_ordered`]).
fn configure_threads(n: usize) {
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global();
}

/// Threads per core at most, whatever `--threads` asks: more only wait for a core, and each
/// costs its start-up (`--threads 16000` took 107 s to start, issue 19).
const MAX_THREADS_PER_CORE: usize = 4;

/// `--threads n` capped at [`MAX_THREADS_PER_CORE`] per core. [`ordered::for_each_ordered`]
/// starts no more than there are files.
fn capped_threads(requested: usize, cores: usize) -> usize {
    requested.clamp(1, cores.max(1).saturating_mul(MAX_THREADS_PER_CORE))
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Reports alive at once per worker thread: checked and waiting for an earlier file to be
/// printed, or being checked. Enough that a slow file does not leave the other threads idle
/// for long (bulletins vary from 2 to 10 KB), few enough that memory stays a small multiple of
/// the largest file.
const IN_FLIGHT_PER_THREAD: usize = 4;

pub(super) fn check(
    args: CheckArgs,
    recognizer: &Recognizer,
    io: &mut Io,
    lang: Lang,
) -> Result<ExitStatus, Vec<Failure>> {
    let threads = match args.threads {
        Some(n) => {
            let n = capped_threads(usize::from(n), cores());
            configure_threads(n);
            n
        }
        // rayon's default: one per core, or `RAYON_NUM_THREADS`, capped as `--threads` is.
        None => capped_threads(rayon::current_num_threads(), cores()),
    };
    let mut settings = settings::resolve(args, recognizer, io.stdout_is_terminal, lang)?;
    super::diagnostics::print(
        settings
            .warnings
            .iter()
            .map(|w| w as &dyn miette::Diagnostic),
        io.err,
    );
    let status = match settings.output_file.clone() {
        Some(path) => to_file(&path, &mut settings, threads, recognizer, io),
        None => check_with(&mut settings, threads, recognizer, io),
    };
    drop_in_background(settings);
    status
}

/// `--output-file`: the report goes to `path`, created (or replaced) once the settings are
/// known to be good, and flushed before the run ends; what cannot be written fails the run.
fn to_file(
    path: &Path,
    settings: &mut Settings,
    threads: usize,
    recognizer: &Recognizer,
    io: &mut Io,
) -> Result<ExitStatus, Vec<Failure>> {
    let failed = |error: std::io::Error| Failure::OutputFile {
        path: path.display().to_string(),
        error,
    };
    let file = std::fs::File::create(path).map_err(|e| vec![failed(e)])?;
    let mut out = std::io::BufWriter::new(file);
    let mut file_io = Io {
        out: &mut out,
        err: &mut *io.err,
        stdin: &mut *io.stdin,
        stdout_is_terminal: false,
    };
    let status = check_with(settings, threads, recognizer, &mut file_io);
    let flushed = std::io::Write::flush(&mut out);
    match (status, flushed) {
        (status, Ok(())) => status,
        (Ok(_), Err(e)) => Err(vec![failed(e)]),
        (Err(mut failures), Err(e)) => {
            failures.push(failed(e));
            Err(failures)
        }
    }
}

/// The report of a file that could not be checked.
fn file_error(error: &dyn miette::Diagnostic, name: &str) -> FileError {
    let reason = error
        .code()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "statlint::io".to_string());
    // The report names the file already: its message need not start with the name again.
    let message = error.to_string();
    let message = message
        .strip_prefix(name)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(&message)
        .to_string();
    FileError {
        name: name.to_string(),
        message,
        reason: reason.trim_start_matches("statlint::").to_string(),
    }
}

/// Frees the compiled rules on a thread of their own: freeing thousands of regex states takes
/// a millisecond or more (5 % of checking one bulletin), and the process exits right after
/// the report, ending that thread; a caller that goes on (a test) gets the memory back.
fn drop_in_background(settings: Settings) {
    // When no thread can be spawned, the failed spawn drops the closure, settings and all.
    let _ = std::thread::Builder::new().spawn(move || drop(settings));
}

fn check_with(
    settings: &mut Settings,
    threads: usize,
    recognizer: &Recognizer,
    io: &mut Io,
) -> Result<ExitStatus, Vec<Failure>> {
    let (inputs, walk_errors) = walk::inputs(&settings.paths, &settings.filter);
    let walk_reports: Vec<FileError> = walk_errors.iter().map(|e| file_error(e, &e.path)).collect();
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
    // Used up file by file as the reports come, while the checks read the rest of `settings`.
    let mut accepted = settings.baseline.take();

    // `--statistics` with a format a machine or a browser reads: the report as it is, the counts on stderr.
    let mut side_statistics = (settings.statistics
        && matches!(
            settings.format,
            Format::Sarif | Format::Github | Format::Html
        ))
    .then(|| report::Statistics::new(&settings.rule_infos, false));
    let mut sink = match &settings.write_baseline {
        // Nothing is printed; the entries are small (rule, figures, a few words of context).
        Some(path) => Sink::Baseline(path, Vec::new()),
        None => {
            let mut printer = if settings.statistics && side_statistics.is_none() {
                let json = settings.format == Format::Json;
                Box::new(report::Statistics::new(&settings.rule_infos, json))
            } else {
                let options = report::ReportOptions {
                    rules: &settings.rule_infos,
                    quiet: settings.quiet,
                };
                report::printer(settings.format, settings.style, options)
            };
            if let Err(e) = printer.begin(io.out) {
                failures.push(Failure::Output(e));
            }
            for error in &walk_reports {
                if let Err(e) = printer.failure(error, io.out) {
                    failures.push(Failure::Output(e));
                }
            }
            Sink::Printer(printer)
        }
    };
    let mut dropped = 0;
    let mut failing = false;
    // Files are independent: check them in parallel, and hand each report on as soon as every
    // report before it is (input order, whatever the threads do), then drop its text. At most
    // `IN_FLIGHT_PER_THREAD` reports a thread are alive at once, so memory is bounded by the
    // largest files, not by the corpus (issue 7). Load failures take their place in `failures`
    // in input order, as before. Output that cannot be written stops the run: nothing more
    // would reach the reader (`statlint check … | head`).
    if !output_failed(&failures) {
        ordered::for_each_ordered(
            &inputs,
            threads,
            threads * IN_FLIGHT_PER_THREAD,
            |input| check_one(input, &stdin, settings, recognizer),
            |result| {
                let mut report = match result {
                    Ok(report) => report,
                    Err(e) => {
                        let written = match &mut sink {
                            Sink::Printer(printer) => {
                                printer.failure(&file_error(&e, e.path()), io.out)
                            }
                            Sink::Baseline(..) => Ok(()),
                        };
                        failures.push(Failure::Load(e));
                        return match written {
                            Ok(()) => ControlFlow::Continue(()),
                            Err(e) => {
                                failures.push(Failure::Output(e));
                                ControlFlow::Break(())
                            }
                        };
                    }
                };
                let printer = match &mut sink {
                    Sink::Baseline(path, entries) => {
                        let found = &report.findings;
                        entries.extend(baseline::entries(path, &report.name, &report.text, found));
                        return ControlFlow::Continue(());
                    }
                    Sink::Printer(printer) => printer,
                };
                if let Some(accepted) = accepted.as_mut() {
                    dropped += accepted.filter(&report.name, &report.text, &mut report.findings);
                }
                failing |= report
                    .findings
                    .iter()
                    .any(|f| f.severity >= settings.fail_on);
                if let Some(statistics) = &mut side_statistics {
                    // Counting writes nothing.
                    let _ = statistics.file(&report, &mut std::io::sink());
                }
                match printer.file(&report, io.out) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(e) => {
                        failures.push(Failure::Output(e));
                        ControlFlow::Break(())
                    }
                }
            },
        );
    }

    let mut printer = match sink {
        Sink::Baseline(path, entries) => {
            // A baseline of a run that could not read every file would accept too little.
            if !failures.is_empty() {
                return Err(failures);
            }
            let count = entries.len();
            baseline::write(path, entries, settings.force).map_err(|e| vec![e.into()])?;
            if !settings.quiet {
                // A note on stderr: one that cannot be written changes nothing of the run.
                let _ = writeln!(
                    io.err,
                    "statlint: wrote {count} finding(s) to the baseline {}",
                    path.display()
                );
            }
            return Ok(ExitStatus::Clean);
        }
        Sink::Printer(printer) => printer,
    };
    if !output_failed(&failures)
        && let Err(e) = printer.finish(io.out)
    {
        failures.push(Failure::Output(e));
    }
    if let Some(mut statistics) = side_statistics
        && let Err(e) = statistics.finish(io.err)
    {
        failures.push(Failure::Output(e));
    }
    // After the report, not before it as when every report was kept: the count is known only
    // once the last file is filtered. It goes to stderr, so the report's bytes are unchanged.
    if dropped > 0 && !settings.quiet {
        // A note on stderr: one that cannot be written changes nothing of the run.
        let _ = writeln!(
            io.err,
            "statlint: {dropped} finding(s) recorded in the baseline were not reported"
        );
    }
    if !failures.is_empty() {
        return Err(failures);
    }
    Ok(if failing && !settings.exit_zero {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Output that could not be written: once it fails, nothing more is printed.
fn output_failed(failures: &[Failure]) -> bool {
    failures.iter().any(|f| matches!(f, Failure::Output(_)))
}

/// Where the reports of a run go: a printer, or the entries of the baseline being written.
enum Sink<'a> {
    Printer(Box<dyn Printer + 'a>),
    Baseline(&'a Path, Vec<baseline::Entry>),
}

/// Read and check one document.
fn check_one(
    input: &Input,
    stdin: &[u8],
    settings: &Settings,
    recognizer: &Recognizer,
) -> Result<FileReport, LoadError> {
    let document = match input {
        Input::Stdin => {
            load::load_bytes_limited(settings.stdin_name.clone(), stdin, settings.max_file_size)?
        }
        Input::File(path) => load::load_path_limited(path, settings.max_file_size)?,
    };
    Ok(check_document(document, settings, recognizer))
}

/// Check one loaded document as `check` does: the engine call every face (the command line, the
/// web page, the LanguageTool API, Word comments, the LSP server) goes through, so that all of them
/// report the same findings.
pub(crate) fn check_document(
    document: load::Document,
    settings: &Settings,
    recognizer: &Recognizer,
) -> FileReport {
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
    FileReport {
        name: document.name,
        encoding: document.encoding,
        text: document.text,
        findings,
        regions: document.regions,
        paragraphs: document.paragraphs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_at_four_per_core() {
        let cases = [
            (1, 2, 1),
            (8, 2, 8),
            (9, 2, 8),
            (usize::from(u16::MAX), 2, 8),
            (usize::from(u16::MAX), 64, 256),
            (0, 2, 1),
            (3, 0, 3),
            (5, 0, 4),
        ];
        for (requested, cores, expected) in cases {
            assert_eq!(
                capped_threads(requested, cores),
                expected,
                "{requested} on {cores} cores"
            );
        }
    }
}
