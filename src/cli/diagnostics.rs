//! Diagnostics on stderr: failures, warnings and misbehaving rule examples, rendered by miette.
//!
//! Two limits keep this part of a run as bounded as the rest (issue 19). At most
//! [`MAX_DIAGNOSTICS`] are printed, counting the related errors of a rule set one by one, then
//! how many more there were: 8,000 mistakes in a generated rule file are one screen and a
//! count, not 8,000 excerpts of it. And writing is best effort: a diagnostic that cannot be
//! written (stderr on a full disk or a closed pipe) is dropped without a panic, and the run's
//! exit status stays what the run decided.

use miette::{Diagnostic, LabeledSpan, ReportHandler, Severity, SourceCode};
use std::fmt;
use std::io::Write;

/// Diagnostics printed at most per run; the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 100;

/// Writes `diagnostics` to `err` as miette's default report handler renders them (colour and
/// width as it decides from the environment), at most [`MAX_DIAGNOSTICS`] in all, then a line
/// saying how many were not shown. Each is rendered whole before it is written, in one write,
/// so that an unbuffered stderr is not written to a character at a time.
pub fn print<'a>(diagnostics: impl IntoIterator<Item = &'a dyn Diagnostic>, err: &mut dyn Write) {
    let handler = miette::MietteHandlerOpts::new().build();
    print_with(&handler, diagnostics, err);
}

pub(super) fn print_with<'a>(
    handler: &dyn ReportHandler,
    diagnostics: impl IntoIterator<Item = &'a dyn Diagnostic>,
    err: &mut dyn Write,
) {
    let mut budget = MAX_DIAGNOSTICS;
    let mut hidden = 0usize;
    for diagnostic in diagnostics {
        let related = diagnostic.related().map_or(0, Iterator::count);
        if budget == 0 {
            hidden += 1 + related;
            continue;
        }
        let shown = related.min(budget - 1);
        budget -= 1 + shown;
        hidden += related - shown;
        let capped = Capped {
            inner: diagnostic,
            related: shown,
        };
        let rendered = format!(
            "{}\n",
            Rendered {
                handler,
                diagnostic: &capped
            }
        );
        // Best effort: nowhere is left to report a failure to write a failure.
        let _ = err.write_all(rendered.as_bytes());
    }
    if hidden > 0 {
        let note = format!(
            "statlint: {hidden} more diagnostic(s) not shown (the first {MAX_DIAGNOSTICS} are above)\n"
        );
        let _ = err.write_all(note.as_bytes());
    }
    let _ = err.flush();
}

/// A diagnostic through a report handler, as `miette::Report`'s `Debug` shows it.
struct Rendered<'a> {
    handler: &'a dyn ReportHandler,
    diagnostic: &'a dyn Diagnostic,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.handler.debug(self.diagnostic, f)
    }
}

/// A diagnostic showing only its first `related` related diagnostics.
struct Capped<'a> {
    inner: &'a dyn Diagnostic,
    related: usize,
}

impl fmt::Debug for Capped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Capped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Capped<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Capped<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.inner.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        let related = self.inner.related()?;
        Some(Box::new(related.take(self.related)))
    }

    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("mistake {0}")]
    struct Mistake(usize);

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("{} mistakes", mistakes.len())]
    struct Mistakes {
        #[related]
        mistakes: Vec<Mistake>,
    }

    fn printed(diagnostics: &[&dyn Diagnostic]) -> String {
        let handler = miette::NarratableReportHandler::new();
        let mut err = Vec::new();
        print_with(&handler, diagnostics.iter().copied(), &mut err);
        String::from_utf8(err).unwrap()
    }

    #[test]
    fn related_diagnostics_count_against_the_cap() {
        let many = Mistakes {
            mistakes: (0..250).map(Mistake).collect(),
        };
        let single = Mistake(1000);
        let out = printed(&[&many, &single]);
        assert!(out.contains("250 mistakes"), "{out}");
        // The set itself and its first 99 related mistakes, then the rest counted.
        assert!(out.contains("mistake 98\n"), "{out}");
        assert!(!out.contains("mistake 99\n"), "{out}");
        assert!(!out.contains("mistake 1000"), "{out}");
        assert!(
            out.ends_with("statlint: 152 more diagnostic(s) not shown (the first 100 are above)\n"),
            "{out}"
        );
    }

    #[test]
    fn few_diagnostics_are_all_printed_without_a_count() {
        let out = printed(&[&Mistake(1), &Mistake(2)]);
        assert!(
            out.contains("mistake 1") && out.contains("mistake 2"),
            "{out}"
        );
        assert!(!out.contains("not shown"), "{out}");
    }

    /// A writer that fails as `/dev/full` does.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::from_raw_os_error(28))
        }
    }

    #[test]
    fn a_stderr_that_cannot_be_written_is_not_a_panic() {
        let many = Mistakes {
            mistakes: (0..300).map(Mistake).collect(),
        };
        print([&many as &dyn Diagnostic], &mut Full);
    }
}
