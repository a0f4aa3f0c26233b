//! The finding model shared by the evaluator and every printer: spans are byte ranges into the
//! decoded source text; lines and columns are computed only when printing.

use crate::rules::Severity;
use crate::span::Span;

/// One violated relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// One sentence in Chinese with the figures as written and the relation that fails.
    pub message: String,
    pub help: Option<String>,
    /// The figure the finding is about (the first one the rule's `assert` names).
    pub span: Span,
    /// Every figure involved, in source order, each with what it is.
    pub labels: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}
