//! `statlint annotate IN -o OUT`: check one draft as `check` does and write an annotated copy:
//! a `.docx` with a Word comment on the figures of each finding (see [`crate::annotate`]), or,
//! for `.txt` and `.md`, the HTML view of the report. The draft is never written to.

use super::check::check_document;
use super::settings;
use super::{AnnotateArgs, CheckArgs, CiArgs, ColorChoice, ExitStatus, Failure, Io};
use crate::annotate::{self, Checked};
use crate::load::{self, Kind};
use crate::recognize::Recognizer;
use crate::report::{Format, Lang};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why no annotated copy was written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AnnotateError {
    #[error("{path}: already exists; statlint does not replace it without --force")]
    #[diagnostic(
        code(statlint::usage),
        help(
            "name another output file, or add --force to replace it (换一个输出文件名，或加 --force 覆盖)"
        )
    )]
    Exists { path: String },
    #[error("{path}: is the draft itself; the annotated copy must be another file")]
    #[diagnostic(
        code(statlint::usage),
        help(
            "statlint never writes into the draft: name a copy, e.g. `-o 稿件.checked.docx` (原稿不会被改动)"
        )
    )]
    SameFile { path: String },
    #[error("{name}: {format} files cannot be annotated")]
    #[diagnostic(
        code(statlint::unsupported_format),
        help(
            "save it as .docx in Word, WPS or LibreOffice, then annotate the .docx (请另存为 .docx 后再加批注)"
        )
    )]
    Format { name: String, format: &'static str },
    #[error("{name}: cannot add comments to this .docx: {reason}")]
    #[diagnostic(
        code(statlint::docx),
        help(
            "the file is damaged; open it in Word or WPS and save it again as .docx (文件已损坏，请另存后重试)"
        )
    )]
    Damaged { name: String, reason: String },
    #[error("cannot write {path}: {error}")]
    #[diagnostic(code(statlint::io))]
    Write { path: String, error: std::io::Error },
}

pub(super) fn annotate(
    args: AnnotateArgs,
    recognizer: &Recognizer,
    io: &mut Io,
    lang: Lang,
) -> Result<ExitStatus, Vec<Failure>> {
    let one = |e: AnnotateError| vec![Failure::Annotate(e)];
    let input = args.input.clone();
    let output = args.output.clone();
    let force = args.force;
    let name = input.display().to_string();
    let kind = Kind::of(&name);
    if let Kind::Odt = kind {
        return Err(one(AnnotateError::Format {
            name,
            format: ".odt",
        }));
    }
    if same_file(&input, &output) {
        return Err(one(AnnotateError::SameFile {
            path: output.display().to_string(),
        }));
    }
    if !force && output.symlink_metadata().is_ok() {
        return Err(one(AnnotateError::Exists {
            path: output.display().to_string(),
        }));
    }
    let settings = settings::resolve(check_args(args), recognizer, false, lang)?;
    super::diagnostics::print(
        settings
            .warnings
            .iter()
            .map(|w| w as &dyn miette::Diagnostic),
        io.err,
    );
    let limit = settings.max_file_size;
    let bytes = load::read_file(&input, limit).map_err(|e| vec![e.into()])?;
    let mut document =
        load::load_bytes_limited(name.clone(), &bytes, limit).map_err(|e| vec![e.into()])?;
    let is_docx = matches!(kind, Kind::Docx) || !document.origins.is_empty();
    let origins = std::mem::take(&mut document.origins);
    let report = check_document(document, &settings, recognizer);
    let (written, comments) = if is_docx {
        let checked = Checked {
            text: &report.text,
            regions: &report.regions,
            origins: &origins,
            findings: &report.findings,
        };
        let annotated = annotate::annotate_docx(&bytes, &checked, limit).map_err(
            |annotate::Damage(reason)| {
                one(AnnotateError::Damaged {
                    name: name.clone(),
                    reason,
                })
            },
        )?;
        (annotated.bytes, Some(annotated.comments))
    } else {
        // A text draft has no place for comments: the HTML view of `check --format html`.
        (crate::report::html::render_html(&report).into_bytes(), None)
    };
    write_output(&output, &written, force).map_err(one)?;
    let findings = report.findings.len();
    let out = output.display();
    // A note on stderr: one that cannot be written changes nothing of the run.
    let _ = match (lang, comments) {
        (Lang::Zh, Some(n)) => writeln!(
            io.err,
            "statlint：发现{findings}处问题，已写入 {out}（{n}条批注）"
        ),
        (Lang::Zh, None) => writeln!(io.err, "statlint：发现{findings}处问题，已写入 {out}"),
        (Lang::En, Some(n)) => writeln!(
            io.err,
            "statlint: {findings} finding(s); wrote {out} with {n} comment(s)"
        ),
        (Lang::En, None) => writeln!(io.err, "statlint: {findings} finding(s); wrote {out}"),
    };
    let failing = report
        .findings
        .iter()
        .any(|f| f.severity >= settings.fail_on);
    Ok(if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// The settings of `check` for the one draft: its rules, configuration and selection.
fn check_args(args: AnnotateArgs) -> CheckArgs {
    CheckArgs {
        paths: vec![args.input],
        format: Format::Human,
        output_file: None,
        rules: args.rules,
        strict: args.strict,
        fail_on: None,
        stdin_filename: "-".into(),
        color: ColorChoice::Never,
        max_file_size: args.max_file_size,
        threads: None,
        ci: CiArgs {
            config: args.config,
            select: args.select,
            ignore: args.ignore,
            include: Vec::new(),
            exclude: Vec::new(),
            exit_zero: false,
            statistics: false,
            quiet: false,
            baseline: None,
            write_baseline: None,
            force: false,
        },
    }
}

/// Do `input` and `output` name the same file (through links too)?
fn same_file(input: &Path, output: &Path) -> bool {
    let canonical = |path: &Path| -> Option<PathBuf> {
        if let Ok(path) = path.canonicalize() {
            return Some(path);
        }
        // Not there yet: its directory, canonical, and its name.
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(parent.join(path.file_name()?))
    };
    if let (Some(a), Some(b)) = (canonical(input), canonical(output))
        && a == b
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (input.metadata(), output.metadata()) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    false
}

/// Write `bytes` to `path`: a new file only, unless `force`, in which case the file is
/// written beside it and renamed over it, so that a failed write leaves the old one whole.
fn write_output(path: &Path, bytes: &[u8], force: bool) -> Result<(), AnnotateError> {
    let failed = |error| AnnotateError::Write {
        path: path.display().to_string(),
        error,
    };
    if !force {
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(AnnotateError::Exists {
                    path: path.display().to_string(),
                });
            }
            Err(e) => return Err(failed(e)),
        };
        return match file.write_all(bytes).and_then(|()| file.sync_all()) {
            Ok(()) => Ok(()),
            Err(e) => {
                drop(file);
                let _ = std::fs::remove_file(path);
                Err(failed(e))
            }
        };
    }
    let file_name = path
        .file_name()
        .map_or_else(|| "statlint".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{file_name}.statlint-{}", std::process::id()));
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(e));
    }
    Ok(())
}

/// The message and help of `error` in Chinese (`--lang zh`, a Chinese locale).
pub(super) fn chinese(error: &AnnotateError) -> (String, Option<String>) {
    match error {
        AnnotateError::Exists { path } => (
            format!("{path}：文件已存在，statlint 不会覆盖它"),
            Some("换一个输出文件名，或加 --force 覆盖".into()),
        ),
        AnnotateError::SameFile { path } => (
            format!("{path}：就是原稿本身；加批注的副本必须另存为一个文件"),
            Some("statlint 从不改动原稿：请另起文件名，如 `-o 稿件.checked.docx`".into()),
        ),
        AnnotateError::Format { name, format } => (
            format!("{name}：无法给{format}文件加批注"),
            Some("请在 Word、WPS 或 LibreOffice 中另存为 .docx 后再加批注".into()),
        ),
        AnnotateError::Damaged { name, reason } => (
            format!("{name}：无法给此 .docx 加批注：{reason}"),
            Some("文件可能已损坏；请在 Word 或 WPS 中打开并另存为 .docx 后重试".into()),
        ),
        AnnotateError::Write { path, error } => (format!("无法写入{path}：{error}"), None),
    }
}
