//! The text of a file that diagnostics point into (a rule file, `statlint.toml`), shared by
//! every diagnostic about it.
//!
//! miette's `NamedSource<String>` owns its text, so each diagnostic used to carry a copy of the
//! whole file: 8,000 mistakes in a 1 MB rule file held 8 GB (issue 19). A [`SharedSource`] is
//! a name and a reference-counted text, and it shows miette only a window around a span, so
//! that a diagnostic on a file with one enormous line prints a bounded excerpt of it.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

/// Bytes of context shown at most on either side of a diagnostic's span, whatever its lines.
pub const MAX_CONTEXT_BYTES: usize = 1024;

/// A file's name and text for diagnostics; cloning it shares the text.
#[derive(Debug, Clone)]
pub struct SharedSource {
    name: String,
    text: Arc<str>,
    language: Option<&'static str>,
}

impl SharedSource {
    pub fn new(name: impl Into<String>, text: Arc<str>) -> SharedSource {
        SharedSource {
            name: name.into(),
            text,
            language: None,
        }
    }

    /// The language miette may highlight the text as (`toml`).
    pub fn with_language(mut self, language: &'static str) -> SharedSource {
        self.language = Some(language);
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether both share one text rather than holding copies of it.
    pub fn shares_text_with(&self, other: &SharedSource) -> bool {
        Arc::ptr_eq(&self.text, &other.text)
    }

    /// The stretch of the text miette is shown for `start..end`: whole lines, clipped to
    /// [`MAX_CONTEXT_BYTES`] on either side.
    fn window(&self, start: usize, end: usize) -> (usize, usize) {
        let text = &*self.text;
        let mut from = text.floor_char_boundary(start.saturating_sub(MAX_CONTEXT_BYTES));
        if from > 0 {
            // Start at a line start when there is one in reach, so that lines are shown whole.
            if let Some(i) = text[from..start].find('\n') {
                from += i + 1;
            }
        }
        let mut to = text.ceil_char_boundary(end.saturating_add(MAX_CONTEXT_BYTES));
        if to < text.len()
            && let Some(i) = text[end..to].rfind('\n')
        {
            to = end + i;
        }
        (from, to)
    }
}

impl SourceCode for SharedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &*self.text;
        let (start, len) = (span.offset(), span.len());
        let end = start.checked_add(len).ok_or(MietteError::OutOfBounds)?;
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(MietteError::OutOfBounds);
        }
        let (from, to) = self.window(start, end);
        // miette's own reading of the window, shifted back to offsets of the whole text.
        let inner: SourceSpan = (start - from, len).into();
        let contents =
            text[from..to].read_span(&inner, context_lines_before, context_lines_after)?;
        let data_start = from + contents.span().offset();
        let line = lines_before(text, from) + contents.line();
        // The header's column, in characters (miette counts bytes); with context lines the data
        // starts at a line start and the column is miette's 0.
        let column = if context_lines_before == 0 {
            let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            text[line_start..start].chars().count()
        } else {
            contents.column()
        };
        let mut contents = MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            (data_start, contents.span().len()).into(),
            line,
            column,
            contents.line_count(),
        );
        if let Some(language) = self.language {
            contents = contents.with_language(language);
        }
        Ok(Box::new(contents))
    }
}

/// The number of line ends in `text[..offset]`: `\n`, `\r\n` and a lone `\r` are one each.
fn lines_before(text: &str, offset: usize) -> usize {
    let bytes = &text.as_bytes()[..offset];
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SharedSource {
        SharedSource::new("f.toml", Arc::from(text))
    }

    /// Reads `needle`'s span as miette's header does (no context) and with one line either side.
    fn read(source: &SharedSource, needle: &str, context: usize) -> (String, usize, usize) {
        let start = source.text().find(needle).unwrap();
        let span: SourceSpan = (start, needle.len()).into();
        let contents = source.read_span(&span, context, context).unwrap();
        let data = std::str::from_utf8(contents.data()).unwrap().to_string();
        (data, contents.line(), contents.column())
    }

    #[test]
    fn small_files_read_as_miette_reads_them() {
        let text = "a = 1\nb = '驻村辅警'\nc = 3\n";
        let shared = source(text);
        for (needle, context) in [("'驻村辅警'", 0), ("'驻村辅警'", 1), ("c = 3", 1), ("a", 0)]
        {
            let start = text.find(needle).unwrap();
            let span: SourceSpan = (start, needle.len()).into();
            let theirs = text.read_span(&span, context, context).unwrap();
            let ours = shared.read_span(&span, context, context).unwrap();
            assert_eq!(ours.data(), theirs.data(), "{needle} {context}");
            assert_eq!(ours.span(), theirs.span(), "{needle} {context}");
            assert_eq!(ours.line(), theirs.line(), "{needle} {context}");
            assert_eq!(ours.name(), Some("f.toml"));
        }
        // Columns are characters: `'驻村辅警'` starts at the fifth character of line 2.
        assert_eq!(read(&shared, "'驻村辅警'", 0).2, 4);
        assert_eq!(read(&shared, "辅警", 0).2, 7);
    }

    #[test]
    fn a_huge_line_is_shown_as_a_window_around_the_span() {
        let long = "x".repeat(100 * MAX_CONTEXT_BYTES);
        let text = format!("a = 1\nb = '{long}BAD{long}'\nc = 3\n");
        let (data, line, column) = read(&source(&text), "BAD", 1);
        assert!(data.contains("BAD"));
        assert!(data.len() <= 2 * MAX_CONTEXT_BYTES + 3, "{}", data.len());
        assert_eq!(line, 1, "the window lies on the second line");
        let (_, line, column_alone) = read(&source(&text), "BAD", 0);
        assert_eq!(line, 1);
        assert_eq!(column_alone, 5 + long.len());
        assert_eq!(column, 0);
    }

    #[test]
    fn spans_outside_the_text_are_errors_not_panics() {
        let shared = source("ab驻");
        for (offset, len) in [(0, 10), (3, 1), (usize::MAX, 2)] {
            let span: SourceSpan = (offset, len).into();
            assert!(shared.read_span(&span, 0, 0).is_err(), "{offset} {len}");
        }
    }

    #[test]
    fn clones_share_the_text() {
        let a = source("text");
        let b = a.clone().with_language("toml");
        assert!(a.shares_text_with(&b));
        assert!(!a.shares_text_with(&source("text")));
    }
}
