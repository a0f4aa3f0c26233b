//! Rules: the rule files of the standard pack and of a project, compiled before any document
//! is read.
//!
//! A rule is data (see `docs/rules.md`): facts are regex patterns with macros that capture
//! figures, lists and words; an `assert` expression states the relation that must hold between
//! them. The engine knows no rule by name; everything a rule needs is a general capability of
//! the pattern macros ([`pattern`]) or of the expression language ([`expr`]).

pub mod examples;
pub mod expr;
mod load;
pub mod pattern;

pub use load::{RuleError, RuleSetError, SourceFile};

use crate::recognize::Recognizer;
use expr::{Expr, Type};
use std::sync::Arc;

/// How bad a violation is. `fail-on` (default `error`) decides which severities fail a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The stretch of text within which a rule's facts are matched and paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Sentence,
    Paragraph,
    Document,
}

impl Scope {
    pub fn as_str(&self) -> &'static str {
        match self {
            Scope::Sentence => "sentence",
            Scope::Paragraph => "paragraph",
            Scope::Document => "document",
        }
    }
}

/// Which part of the document a fact is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Any,
    Title,
    Body,
    /// The title, lead lines, headings and captions: the parts that sum up the body (statement
    /// facts only).
    Headline,
}

/// Which statements a statement fact is bound to, one binding each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// Statements of one role (`total`, `part`, `change_rate`, …).
    Role(crate::statements::Role),
    /// Statements that have parts.
    Whole,
    /// The first value of each run of a `分别` group.
    Respectively,
    /// Every statement.
    Any,
}

/// Where a linked fact leads from the statement of another fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// A link between statements (`whole`, `parts`, `base`, …).
    Statement(crate::statements::Link),
    /// The subjects of the `分别` group a value opens: listed words or figures.
    Subjects,
    /// The items of the list a count counts.
    Items,
}

impl LinkTarget {
    pub fn parse(s: &str) -> Option<LinkTarget> {
        match s {
            "subjects" => Some(LinkTarget::Subjects),
            "items" => Some(LinkTarget::Items),
            other => crate::statements::Link::parse(other).map(LinkTarget::Statement),
        }
    }

    /// A list (several statements or words) rather than one statement.
    pub fn is_list(self) -> bool {
        match self {
            LinkTarget::Statement(link) => link.is_many(),
            LinkTarget::Subjects | LinkTarget::Items => true,
        }
    }
}

/// A fact about statements rather than a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementFact {
    /// Every statement the selector admits (in the fact's part) is bound in turn.
    Anchor(Selector),
    /// What a link leads to from the statement of an earlier fact (`of`, by index). An
    /// `optional` link that leads nowhere leaves the fact unset instead of the binding undone.
    Linked {
        target: LinkTarget,
        of: usize,
        optional: bool,
    },
}

/// How the matches of several facts within one scope are combined into bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairing {
    /// One binding, only when every fact matched exactly once (after `where`); a scope where a
    /// fact matches twice is ambiguous and stays silent. Default for rules with several facts.
    Unique,
    /// Every combination is a binding, each checked on its own. Default for one-fact rules.
    All,
    /// The relation must hold for at least one combination; it fires when none satisfies it.
    Any,
}

/// One named capture group of a fact's pattern, and what it holds.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub kind: GroupKind,
}

/// What a capture group holds, decided by the macro inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// `{num}`, `{count}`, `{pct}`: one figure.
    Figure,
    /// `{list}`: an enumeration of words.
    List,
    /// `{figures}`: an enumeration of figures, `38.2%、25%、23.5%`.
    Figures,
    /// Anything else: the text as matched.
    Text,
}

impl Group {
    pub fn ty(&self) -> Type {
        match self.kind {
            GroupKind::Figure => Type::Num,
            GroupKind::List | GroupKind::Figures => Type::List,
            GroupKind::Text => Type::Text,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Fact {
    pub name: String,
    /// One or more patterns; a match of any of them is a match of the fact. All have the
    /// same named groups.
    pub regexes: Vec<pattern::FactRegex>,
    /// For a statement fact (no patterns): which statements it is bound to.
    pub statement: Option<StatementFact>,
    pub part: Part,
    pub groups: Vec<Group>,
    /// Shown under the figures this fact captured, unless a group has its own.
    pub label: Option<String>,
    /// Per-group labels: `label = { items = "列举", n = "数量" }`.
    pub group_labels: indexmap::IndexMap<String, String>,
}

impl Fact {
    /// What a finding says under the figure of `group` (`None`: the fact's value group).
    pub fn label_for(&self, group: Option<&str>) -> String {
        let group_name = self.group(group).map(|g| g.name.as_str());
        group_name
            .and_then(|g| self.group_labels.get(g).cloned())
            .or_else(|| self.label.clone())
            .unwrap_or_else(|| match group {
                Some(g) => format!("{}.{g}", self.name),
                None => self.name.clone(),
            })
    }
}

impl Fact {
    /// The group a bare `fact` reference means: `v`, or the only group.
    pub fn value_group(&self) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.name == "v")
            .or(match self.groups.as_slice() {
                [only] => Some(only),
                _ => None,
            })
    }

    pub fn group(&self, name: Option<&str>) -> Option<&Group> {
        match name {
            None => self.value_group(),
            Some(name) => self.groups.iter().find(|g| g.name == name),
        }
    }
}

/// A message with `{expression}` placeholders, rendered with the figures as written.
#[derive(Debug, Clone)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
pub enum Piece {
    Text(String),
    Expr(Expr),
    /// `{relation}`: the comparison that failed, with the figures as written (`901 ≤ 889 不成立`).
    Relation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Pass,
    Fail,
    /// Silent by default, a warning under `--strict`: approximate figures leave the relation
    /// open. Proves the facts matched, which a `pass` example cannot.
    Undetermined,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub expect: Expect,
    /// Where the example stands in its rule file, for `test-rules` diagnostics.
    pub span: crate::span::Span,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub summary: String,
    pub explanation: String,
    pub severity: Severity,
    pub scope: Scope,
    pub pairing: Pairing,
    /// `split`: where a scope's units are cut further, e.g. at `去年同期` so that figures of two
    /// periods in one paragraph are never paired.
    pub split: Option<regex::Regex>,
    pub facts: Vec<Fact>,
    pub filter: Option<Expr>,
    pub assert: Expr,
    pub message: Template,
    pub help: Option<Template>,
    pub examples: Vec<Example>,
    /// The rule file, for diagnostics about this rule.
    pub source: Arc<SourceFile>,
    /// The span of the rule's `id` value in its file.
    pub id_span: crate::span::Span,
}

impl Rule {
    /// Whether the rule's facts are statements (it has no patterns).
    pub fn is_on_statements(&self) -> bool {
        self.facts.iter().any(|f| f.statement.is_some())
    }

    /// Every pattern of the rule's facts, fact by fact.
    pub fn patterns(&self) -> impl Iterator<Item = &pattern::FactRegex> + Clone {
        self.facts.iter().flat_map(|fact| &fact.regexes)
    }

    pub fn fact(&self, name: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.name == name)
    }

    /// The rule file as a diagnostic's source, its text shared.
    pub fn named_source(&self) -> crate::source::SharedSource {
        self.source.named()
    }
}

/// The compiled rules of one run, in a stable order (by file, then position in the file).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

/// The standard pack, embedded at build time by `build.rs` from `rules/*.toml`.
const STANDARD_PACK: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/standard_pack.rs"));

/// The files of the standard pack, named `<standard>/FILE` in diagnostics.
fn standard_files() -> Vec<Arc<SourceFile>> {
    STANDARD_PACK
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<standard>/{name}"), *text))
        .collect()
}

impl RuleSet {
    /// The embedded standard pack. Its fact regexes are compiled when a document first needs
    /// them (see [`RuleSet::compile_needed`]): a pre-commit run on one bulletin compiles only
    /// what that bulletin can match.
    pub fn standard(recognizer: &Recognizer) -> Result<RuleSet, RuleSetError> {
        load::compile(standard_files(), recognizer, pattern::Compilation::Lazy)
    }

    /// Every fact pattern, rule by rule and fact by fact: the order of a
    /// [`pattern::LiteralIndex`] over the set.
    pub fn patterns(&self) -> impl Iterator<Item = &pattern::FactRegex> + Clone {
        self.rules.iter().flat_map(Rule::patterns)
    }

    /// Compile, in parallel, the fact regexes not compiled yet that `text` may match (it has a
    /// stretch with their required literals, `found` in [`RuleSet::patterns`] order), so that
    /// checking it does not compile them one by one.
    pub fn compile_needed(&self, text: &str, found: &[pattern::Occurrences]) {
        use rayon::prelude::*;
        let mut needed: Vec<(&pattern::FactRegex, pattern::Automaton)> = self
            .patterns()
            .zip(found)
            .filter(|(regex, found)| regex.needed_by(text, found))
            .flat_map(|(regex, _)| regex.uncompiled().into_iter().map(move |a| (regex, a)))
            .collect();
        // Most documents of a run need nothing new: handing an empty or single job to the
        // thread pool would only cost a wake-up of another thread.
        match needed.as_slice() {
            [] => {}
            [(regex, automaton)] => regex.compile_automaton(*automaton),
            _ => {
                // Longest (costliest) first, one automaton a task: the threads take the next
                // as they finish, so that no thread is left with the two biggest.
                needed.sort_by_key(|(regex, _)| std::cmp::Reverse(regex.pattern().len()));
                needed
                    .into_par_iter()
                    .with_max_len(1)
                    .for_each(|(regex, automaton)| regex.compile_automaton(automaton))
            }
        }
    }

    /// Rule files from disk (every `*.toml` of each directory, sorted by name), compiled
    /// together with `base`'s rules so that duplicate ids across packs are caught. A rule file
    /// larger than [`crate::load::DEFAULT_MAX_FILE_SIZE`] is refused.
    pub fn with_dirs(
        base: RuleSet,
        dirs: &[std::path::PathBuf],
        recognizer: &Recognizer,
    ) -> Result<RuleSet, RuleSetError> {
        Self::with_dirs_limited(base, dirs, recognizer, crate::load::DEFAULT_MAX_FILE_SIZE)
    }

    /// [`RuleSet::with_dirs`], refusing rule files larger than `limit` bytes (`check`'s
    /// `--max-file-size`) or that are not regular files.
    pub fn with_dirs_limited(
        mut base: RuleSet,
        dirs: &[std::path::PathBuf],
        recognizer: &Recognizer,
        limit: u64,
    ) -> Result<RuleSet, RuleSetError> {
        let files = load::read_dirs(dirs, limit)?;
        let extra = load::compile(files, recognizer, pattern::Compilation::Eager)?;
        load::check_unique_ids(&base, &extra)?;
        base.rules.extend(extra.rules);
        Ok(base)
    }

    /// Compile rule files given as text (tests and `test-rules` on single files use this).
    pub fn from_sources(
        files: Vec<Arc<SourceFile>>,
        recognizer: &Recognizer,
    ) -> Result<RuleSet, RuleSetError> {
        load::compile(files, recognizer, pattern::Compilation::Eager)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The standard pack is compiled lazily, where a pattern that fails to compile could only
    /// panic; compiled eagerly here, every failure is an error this test reports.
    #[test]
    fn every_standard_pattern_compiles() {
        let recognizer = Recognizer::standard();
        let eager = load::compile(standard_files(), recognizer, pattern::Compilation::Eager)
            .unwrap_or_else(|e| panic!("the standard pack does not compile: {e:?}"));
        let lazy = RuleSet::standard(recognizer).unwrap();
        let patterns =
            |set: &RuleSet| -> Vec<String> { set.patterns().map(|r| r.pattern().into()).collect() };
        assert_eq!(patterns(&eager), patterns(&lazy));
        assert!(!patterns(&lazy).is_empty());
        // Group lookups read the names from the parsed pattern; they are the regex's own.
        for regex in eager.patterns() {
            let compiled: Vec<Option<&str>> = regex.regex().capture_names().collect();
            assert_eq!(regex.capture_names(), compiled, "{}", regex.pattern());
        }
    }

    #[test]
    fn compile_needed_compiles_only_what_a_text_may_match() {
        let recognizer = Recognizer::standard();
        let rules = RuleSet::standard(recognizer).unwrap();
        let regexes = || rules.patterns();
        assert!(regexes().all(|r| !r.is_compiled()));
        // `其中` and a comma: only facts requiring them (and nothing else) can match.
        let text = "抓获犯罪嫌疑人86名，其中外省籍犯罪嫌疑人92名。";
        let found = pattern::LiteralIndex::new(rules.patterns()).scan(text);
        rules.compile_needed(text, &found);
        for regex in regexes() {
            let needed = !regex.stretches(text).is_empty();
            assert_eq!(regex.is_compiled(), needed, "{}", regex.pattern());
        }
        assert!(regexes().any(|r| r.is_compiled()));
        assert!(regexes().any(|r| !r.is_compiled()));
    }
}
