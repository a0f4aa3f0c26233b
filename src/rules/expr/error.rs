//! The two error types of the expression language and the "did you mean" helper they share.

use crate::span::Span;

/// A mistake in an expression found before evaluation: by the lexer, the parser or the type
/// checker. The span is a byte range of the expression's source text; the rule loader shifts
/// it into the rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct ExprError {
    /// What is wrong, one line, without a trailing period: "unknown fact `stafff`".
    pub message: String,
    /// Where: the offending token, name or argument.
    #[label("{label}")]
    pub span: Span,
    /// The short text printed under the span: "found `;`", "this is a number".
    pub label: String,
    /// How to fix it, when there is something specific to say.
    #[help]
    pub help: Option<String>,
}

impl ExprError {
    /// Where, in bytes of the expression source.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The help text, if any.
    pub fn help_text(&self) -> Option<String> {
        self.help.clone()
    }

    pub(super) fn new(message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
        ExprError {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    pub(super) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(super) fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// Trouble while evaluating a checked expression against the facts of one match. These arise
/// only when the environment disagrees with what the checker was told, or lacks a fact: the
/// caller decides whether that skips the rule or is an internal error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum EvalError {
    /// The environment has no value for a referenced fact (`name` as written, `a` or `a.g`).
    #[error("fact `{name}` has no value here")]
    MissingFact {
        name: String,
        #[label("referenced here")]
        span: Span,
    },
    /// A figure-property function was given a fact for which the environment has no figure.
    #[error("fact `{name}` is not a captured figure")]
    NotAFigure {
        name: String,
        #[label("referenced here")]
        span: Span,
    },
    /// A value of the wrong type reached an operator or a function.
    #[error("{message}")]
    Type {
        message: String,
        #[label("here")]
        span: Span,
    },
}

/// Characters of source text a message quotes at most: a 100,000-digit literal or a generated
/// expression is cut, not echoed whole (issue 19).
pub(super) const MAX_QUOTED_CHARS: usize = 40;

/// `text` as a message quotes it: whole when short, else its first [`MAX_QUOTED_CHARS`]
/// characters and `…`.
pub(super) fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be a plausible typo:
/// at most two edits, and fewer edits than `name` has characters.
pub(super) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = 2.min(name.chars().count().saturating_sub(1));
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let names = ["sum", "count", "min", "max", "staff"];
        let cases = [
            ("summ", Some("sum")),
            ("cuont", Some("count")),
            ("stafff", Some("staff")),
            ("mx", Some("max")),
            ("x", None),
            ("villages", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(did_you_mean(name, names), want, "{name}");
        }
    }

    #[test]
    fn diagnostics_carry_span_label_and_help() {
        use miette::Diagnostic;
        let err = ExprError::new("unknown function `summ`", Span::new(0, 4), "not a function")
            .with_help("did you mean `sum`?");
        let labels: Vec<_> = err.labels().unwrap().collect();
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].label(), Some("not a function"));
        assert_eq!((labels[0].offset(), labels[0].len()), (0, 4));
        assert_eq!(err.help().unwrap().to_string(), "did you mean `sum`?");
        let missing = EvalError::MissingFact {
            name: "staff".into(),
            span: Span::new(3, 8),
        };
        assert_eq!(missing.to_string(), "fact `staff` has no value here");
        assert_eq!(missing.labels().unwrap().next().unwrap().offset(), 3);
    }

    #[test]
    fn long_quotes_are_cut() {
        assert_eq!(excerpt("count(items)"), "count(items)");
        let forty = "驻".repeat(MAX_QUOTED_CHARS);
        assert_eq!(excerpt(&forty), forty);
        let long = "7".repeat(100_000);
        assert_eq!(excerpt(&long), format!("{}…", &long[..MAX_QUOTED_CHARS]));
        assert_eq!(excerpt(&format!("{forty}村")), format!("{forty}…"));
    }

    #[test]
    fn distances() {
        let cases = [
            ("", "", 0),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("行政村", "行政区", 1),
        ];
        for (a, b, want) in cases {
            assert_eq!(edit_distance(a, b), want, "{a} {b}");
        }
    }
}
