//! Reading and validating rule files. Every mistake in a rule file is a [`RuleError`] with a
//! span into that file, and all of them are collected before giving up, so a rule author fixes
//! a file in one round; nothing is ever checked with a half-loaded rule set.

use super::expr::{self, Expr, Type};
use super::pattern::{self, Compilation, PatternError};
use super::{
    Example, Expect, Fact, LinkTarget, Pairing, Part, Piece, Rule, RuleSet, Scope, Selector,
    Severity, StatementFact, Template,
};
use crate::recognize::Recognizer;
use crate::source::SharedSource;
use crate::span::Span;
use indexmap::IndexMap;
use miette::{Diagnostic, SourceSpan};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;
use toml::Spanned;

/// A rule file's name and text, kept for diagnostics.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    /// Shared with every diagnostic about the file, never copied into one (issue 19).
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        })
    }

    /// The file as a diagnostic's source: its text shared, not copied.
    pub fn named(&self) -> SharedSource {
        SharedSource::new(&self.name, Arc::clone(&self.text)).with_language("toml")
    }
}

/// One mistake in a rule file.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(statlint::rule_file))]
pub struct RuleError {
    pub message: String,
    #[source_code]
    pub src: SharedSource,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// Every mistake found in a set of rule files.
#[derive(Debug, Error, Diagnostic)]
#[error("{} error(s) in rule files; no file was checked", errors.len())]
pub struct RuleSetError {
    #[related]
    pub errors: Vec<RuleError>,
}

impl From<RuleError> for RuleSetError {
    fn from(error: RuleError) -> Self {
        RuleSetError {
            errors: vec![error],
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    summary: Spanned<String>,
    explanation: Spanned<String>,
    severity: Option<Spanned<String>>,
    scope: Option<Spanned<String>>,
    pairing: Option<Spanned<String>>,
    split: Option<Spanned<String>>,
    facts: Spanned<IndexMap<String, Spanned<RawFact>>>,
    #[serde(rename = "where")]
    filter: Option<Spanned<String>>,
    assert: Spanned<String>,
    message: Spanned<String>,
    help: Option<Spanned<String>>,
    #[serde(default, rename = "example")]
    examples: Vec<Spanned<RawExample>>,
}

/// A fact: a pattern string, or a table `{ pattern | patterns | statements | link + of, in,
/// label }`.
#[derive(Default)]
struct RawFact {
    pattern: Option<Spanned<String>>,
    patterns: Option<Vec<Spanned<String>>>,
    statements: Option<Spanned<String>>,
    link: Option<Spanned<String>>,
    of: Option<Spanned<String>>,
    optional: Option<Spanned<bool>>,
    part: Option<Spanned<String>>,
    label: Option<Spanned<RawLabel>>,
}

/// The keys of a fact table.
const FACT_KEYS: &[&str] = &[
    "pattern",
    "patterns",
    "statements",
    "link",
    "of",
    "optional",
    "in",
    "label",
];

/// `label = "驻村辅警人数"` for the whole fact, or `label = { items = "列举", n = "数量" }`
/// per capture group.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    One(String),
    PerGroup(IndexMap<String, String>),
}

impl<'de> Deserialize<'de> for RawFact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FactVisitor;
        impl<'de> Visitor<'de> for FactVisitor {
            type Value = RawFact;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a pattern string or a table { pattern | patterns | statements | link, of, in, label }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawFact, E> {
                // The span is the whole value's; `compile_fact` takes it from the outer Spanned.
                Ok(RawFact {
                    pattern: Some(Spanned::new(0..0, v.to_string())),
                    ..RawFact::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFact, A::Error> {
                let mut fact = RawFact::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "pattern" => &mut fact.pattern,
                        "patterns" => {
                            fact.patterns = Some(map.next_value()?);
                            continue;
                        }
                        "statements" => &mut fact.statements,
                        "link" => &mut fact.link,
                        "of" => &mut fact.of,
                        "optional" => {
                            fact.optional = Some(map.next_value()?);
                            continue;
                        }
                        "in" => &mut fact.part,
                        "label" => {
                            fact.label = Some(map.next_value()?);
                            continue;
                        }
                        other => return Err(de::Error::unknown_field(other, FACT_KEYS)),
                    };
                    *slot = Some(map.next_value()?);
                }
                let sources = [
                    fact.pattern.is_some(),
                    fact.patterns.is_some(),
                    fact.statements.is_some(),
                    fact.link.is_some(),
                ];
                if sources.iter().filter(|s| **s).count() != 1 {
                    return Err(de::Error::custom(
                        "a fact has one of `pattern`, `patterns` (a list of alternatives), `statements` (a selector) or `link` (with `of`)",
                    ));
                }
                if fact.optional.is_some() && fact.link.is_none() {
                    return Err(de::Error::custom("`optional` is for linked facts"));
                }
                if fact.link.is_some() != fact.of.is_some() {
                    return Err(de::Error::custom(
                        "`link` and `of` go together: `{ link = \"parts\", of = \"whole\" }`",
                    ));
                }
                Ok(fact)
            }
        }
        deserializer.deserialize_any(FactVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    text: Spanned<String>,
    expect: Spanned<String>,
}

/// Names reserved in templates and expressions.
const RESERVED: &[&str] = &["relation", "and", "or", "not", "true", "false"];

/// Reads every `*.toml` file of the given directories, sorted by name within each. Each is read
/// as a checked file is (see [`crate::load::read_file`]): a regular file of at most `limit`
/// bytes, so that a `team.toml` linked to `/dev/zero` or a FIFO is an error, not a hang.
pub(super) fn read_dirs(
    dirs: &[PathBuf],
    limit: u64,
) -> Result<Vec<Arc<SourceFile>>, RuleSetError> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e.to_string()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = crate::load::read_text_file(&path, limit)
                .map_err(|e| io_error(&path, &e.reason()))?;
            files.push(SourceFile::new(path.display().to_string(), text));
        }
    }
    Ok(files)
}

fn io_error(path: &std::path::Path, reason: &str) -> RuleError {
    RuleError {
        message: format!("cannot read rules from {}: {reason}", path.display()),
        src: SharedSource::new(path.display().to_string(), Arc::from("")),
        span: None,
        label: String::new(),
        help: Some("`--rules` takes a directory of *.toml rule files".into()),
    }
}

/// Compile rule files; all errors of all files are collected.
///
/// Files are compiled in parallel (compiling the regexes is most of a short run's time), then
/// merged in order, so rules and errors come out exactly as a sequential compile gives them.
pub(super) fn compile(
    files: Vec<Arc<SourceFile>>,
    recognizer: &Recognizer,
    compilation: Compilation,
) -> Result<RuleSet, RuleSetError> {
    use rayon::prelude::*;
    let compiled: Vec<Vec<(Vec<RuleError>, Option<Rule>)>> = files
        .into_par_iter()
        .map(|file| compile_file(&file, recognizer, compilation))
        .collect();
    let mut errors = Vec::new();
    let mut rules: Vec<Rule> = Vec::new();
    for (rule_errors, rule) in compiled.into_iter().flatten() {
        errors.extend(rule_errors);
        if let Some(rule) = rule {
            if let Some(first) = rules.iter().find(|r| r.id == rule.id) {
                errors.push(duplicate_id(first, &rule));
            } else {
                rules.push(rule);
            }
        }
    }
    if errors.is_empty() {
        Ok(RuleSet { rules })
    } else {
        Err(RuleSetError { errors })
    }
}

/// One file's rules, each with the errors found while compiling it (a file that is not valid
/// TOML is one error and no rule).
fn compile_file(
    file: &Arc<SourceFile>,
    recognizer: &Recognizer,
    compilation: Compilation,
) -> Vec<(Vec<RuleError>, Option<Rule>)> {
    pattern::forget_recent();
    let raw: RawFile = match toml::from_str(&file.text) {
        Ok(raw) => raw,
        Err(e) => {
            let error = error_at(
                file,
                e.span().map(Span::from),
                format!("invalid rule file: {}", e.message().trim_end()),
                "here",
                None,
            );
            return vec![(vec![error], None)];
        }
    };
    raw.rule
        .into_iter()
        .map(|raw_rule| {
            let mut errors = Vec::new();
            let mut compiler = RuleCompiler {
                file,
                recognizer,
                compilation,
                errors: &mut errors,
            };
            let rule = compiler.rule(raw_rule);
            (errors, rule)
        })
        .collect()
}

pub(super) fn check_unique_ids(base: &RuleSet, extra: &RuleSet) -> Result<(), RuleSetError> {
    let errors: Vec<RuleError> = extra
        .rules
        .iter()
        .filter_map(|rule| base.get(&rule.id).map(|first| duplicate_id(first, rule)))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RuleSetError { errors })
    }
}

fn duplicate_id(first: &Rule, second: &Rule) -> RuleError {
    error_at(
        &second.source,
        Some(second.id_span),
        format!("duplicate rule id `{}`", second.id),
        "defined again here",
        Some(format!(
            "`{}` is already defined in {}; rule ids must be unique",
            first.id, first.source.name
        )),
    )
}

fn error_at(
    file: &SourceFile,
    span: Option<Span>,
    message: String,
    label: &str,
    help: Option<String>,
) -> RuleError {
    RuleError {
        message,
        src: file.named(),
        span: span.map(Into::into),
        label: label.to_string(),
        help,
    }
}

struct RuleCompiler<'a> {
    file: &'a Arc<SourceFile>,
    recognizer: &'a Recognizer,
    compilation: Compilation,
    errors: &'a mut Vec<RuleError>,
}

impl RuleCompiler<'_> {
    fn error(&mut self, span: Span, message: String, label: &str, help: Option<String>) {
        self.errors
            .push(error_at(self.file, Some(span), message, label, help));
    }

    /// The file span of bytes `inner` of the string value at `value` (quotes and escapes
    /// accounted for), so an error inside a pattern or expression points at the exact spot.
    fn inner_span(&self, value: Span, inner: Span) -> Span {
        let start = string_offset(&self.file.text, value, inner.start);
        let end = string_offset(&self.file.text, value, inner.end);
        Span::new(start, end.max(start))
    }

    fn rule(&mut self, raw: RawRule) -> Option<Rule> {
        let before = self.errors.len();
        let id_span = Span::from(raw.id.span());
        let id = raw.id.into_inner();
        if !is_rule_id(&id) {
            self.error(
                id_span,
                format!("invalid rule id `{id}`"),
                "not a kebab-case id",
                Some("rule ids are lowercase words joined by `-`, naming the problem: `breakdown-exceeds-total`".into()),
            );
        }
        let severity = self.choice(raw.severity, "severity", Severity::Error, |s| {
            Severity::parse(s)
        });
        let scope = self.choice(raw.scope, "scope", Scope::Paragraph, |s| match s {
            "sentence" => Some(Scope::Sentence),
            "paragraph" => Some(Scope::Paragraph),
            "document" => Some(Scope::Document),
            _ => None,
        });
        let facts = self.facts(raw.facts);
        let default_pairing = if facts.len() > 1 {
            Pairing::Unique
        } else {
            Pairing::All
        };
        let has_pairing = raw.pairing.is_some();
        let pairing = self.choice(raw.pairing, "pairing", default_pairing, |s| match s {
            "unique" => Some(Pairing::Unique),
            "all" => Some(Pairing::All),
            "any" => Some(Pairing::Any),
            _ => None,
        });
        let split = raw.split.and_then(|raw| {
            let span = Span::from(raw.span());
            match pattern::compile(raw.get_ref(), self.recognizer, Compilation::Eager) {
                Ok(compiled) => Some(compiled.regex.regex().clone()),
                Err(error) => {
                    self.pattern_error(span, error);
                    None
                }
            }
        });
        self.check_statement_rule(&facts, has_pairing, split.is_some(), id_span);
        let filter = raw.filter.and_then(|f| self.condition(f, &facts, "where"));
        let assert = self.condition(raw.assert, &facts, "assert");
        let message = self.template(raw.message, &facts);
        let help = raw.help.and_then(|h| self.template(h, &facts));
        let examples = raw
            .examples
            .into_iter()
            .filter_map(|e| self.example(e))
            .collect();
        if self.errors.len() > before {
            return None;
        }
        Some(Rule {
            id,
            summary: raw.summary.into_inner(),
            explanation: raw.explanation.into_inner(),
            severity,
            scope,
            pairing,
            split,
            facts,
            filter,
            assert: assert?,
            message: message?,
            help,
            examples,
            source: Arc::clone(self.file),
            id_span,
        })
    }

    fn choice<T>(
        &mut self,
        raw: Option<Spanned<String>>,
        key: &str,
        default: T,
        parse: impl Fn(&str) -> Option<T>,
    ) -> T {
        let Some(raw) = raw else { return default };
        match parse(raw.get_ref()) {
            Some(value) => value,
            None => {
                let allowed = match key {
                    "severity" => "`error`, `warning` or `info`",
                    "scope" => "`sentence`, `paragraph` or `document`",
                    "pairing" => "`unique`, `all` or `any`",
                    _ => "one of the documented values",
                };
                self.error(
                    raw.span().into(),
                    format!("invalid {key} `{}`", raw.get_ref()),
                    "unknown value",
                    Some(format!("{key} is {allowed}")),
                );
                default
            }
        }
    }

    fn facts(&mut self, raw: Spanned<IndexMap<String, Spanned<RawFact>>>) -> Vec<Fact> {
        let table_span = Span::from(raw.span());
        let raw = raw.into_inner();
        if raw.is_empty() {
            self.error(
                table_span,
                "a rule needs at least one fact".into(),
                "no facts",
                Some("facts.NAME = 'pattern with (?P<v>{num})'".into()),
            );
        }
        let mut facts: Vec<Fact> = Vec::new();
        for (name, raw) in raw {
            if let Some(fact) = self.fact(name, raw, &facts) {
                facts.push(fact);
            }
        }
        facts
    }

    fn fact(&mut self, name: String, raw: Spanned<RawFact>, earlier: &[Fact]) -> Option<Fact> {
        let whole = Span::from(raw.span());
        let raw = raw.into_inner();
        if raw.statements.is_some() || raw.link.is_some() {
            return self.statement_fact(name, whole, raw, earlier);
        }
        // A bare string fact carries no span of its own: the whole value is the pattern.
        let patterns: Vec<(String, Span)> = match (raw.pattern, raw.patterns) {
            (Some(p), _) => {
                let span = if p.span().is_empty() {
                    whole
                } else {
                    p.span().into()
                };
                vec![(p.into_inner(), span)]
            }
            (None, Some(list)) => list
                .into_iter()
                .map(|p| {
                    let span = Span::from(p.span());
                    (p.into_inner(), span)
                })
                .collect(),
            (None, None) => return None,
        };
        if patterns.is_empty() {
            self.error(whole, "`patterns` is empty".into(), "no pattern", None);
            return None;
        }
        if !is_identifier(&name) || RESERVED.contains(&name.as_str()) {
            self.error(
                whole,
                format!("invalid fact name `{name}`"),
                "this fact",
                Some("fact names are ASCII identifiers (`staff`, `total_cases`) and not a reserved word (relation, and, or, not, true, false)".into()),
            );
        }
        let part = self.part(raw.part.as_ref(), whole, false);
        let mut regexes = Vec::new();
        let mut groups: Option<Vec<super::Group>> = None;
        for (pattern, span) in patterns {
            let compiled = match pattern::compile(&pattern, self.recognizer, self.compilation) {
                Ok(compiled) => compiled,
                Err(error) => {
                    self.pattern_error(span, error);
                    continue;
                }
            };
            match &groups {
                None => groups = Some(compiled.groups),
                Some(first) if !same_groups(first, &compiled.groups) => self.error(
                    span,
                    "the alternatives of a fact must have the same named groups".into(),
                    "groups differ from the first pattern's",
                    Some(format!("the first pattern has {}", describe_groups(first))),
                ),
                Some(_) => {}
            }
            regexes.push(compiled.regex);
        }
        let groups = groups?;
        let (label, group_labels) = match raw.label {
            None => (None, IndexMap::new()),
            Some(spanned) => {
                let span = Span::from(spanned.span());
                match spanned.into_inner() {
                    RawLabel::One(label) => (Some(label), IndexMap::new()),
                    RawLabel::PerGroup(map) => {
                        for group in map.keys() {
                            if !groups.iter().any(|g| &g.name == group) {
                                self.error(
                                    span,
                                    format!("label for unknown group `{group}` of fact `{name}`"),
                                    "in these labels",
                                    Some(format!("the groups are {}", describe_groups(&groups))),
                                );
                            }
                        }
                        (None, map)
                    }
                }
            }
        };
        Some(Fact {
            name,
            regexes,
            statement: None,
            part,
            groups,
            label,
            group_labels,
        })
    }

    /// A rule over statements binds its first fact to each selected statement and reaches the
    /// others by links: it does not mix in pattern facts, and has no pairing or split.
    fn check_statement_rule(&mut self, facts: &[Fact], pairing: bool, split: bool, id: Span) {
        let on_statements = facts.iter().filter(|f| f.statement.is_some()).count();
        if on_statements == 0 {
            return;
        }
        if on_statements != facts.len() {
            self.error(
                id,
                "a rule mixes statement facts and pattern facts".into(),
                "in this rule",
                Some(
                    "a rule is either over statements (`statements`, `link`) or over patterns"
                        .into(),
                ),
            );
        }
        if !matches!(facts[0].statement, Some(StatementFact::Anchor(_))) {
            self.error(
                id,
                "the first fact of a rule over statements must select statements".into(),
                "in this rule",
                Some("`facts.whole = { statements = \"whole\" }`".into()),
            );
        }
        if pairing || split {
            self.error(
                id,
                "`pairing` and `split` are for pattern facts; a rule over statements pairs by links".into(),
                "in this rule",
                None,
            );
        }
    }

    /// The `in` of a fact; `headline` only for statement facts.
    fn part(&mut self, raw: Option<&Spanned<String>>, whole: Span, statements: bool) -> Part {
        match raw.map(|p| p.get_ref().as_str()) {
            None | Some("any") => Part::Any,
            Some("title") => Part::Title,
            Some("body") => Part::Body,
            Some("headline") if statements => Part::Headline,
            Some(other) => {
                let span = raw.map(|p| p.span().into()).unwrap_or(whole);
                let allowed = if statements {
                    "`in` is `title`, `headline` (title, lead lines, headings, captions), `body` or `any`"
                } else {
                    "`in` is `title`, `body` or `any`"
                };
                self.error(
                    span,
                    format!("invalid `in` value `{other}`"),
                    "unknown part",
                    Some(allowed.into()),
                );
                Part::Any
            }
        }
    }

    /// A fact over statements: `{ statements = "part" }` binds every part in turn;
    /// `{ link = "whole", of = "part" }` is the whole of the statement `part` is bound to.
    fn statement_fact(
        &mut self,
        name: String,
        whole: Span,
        raw: RawFact,
        earlier: &[Fact],
    ) -> Option<Fact> {
        if !is_identifier(&name) || RESERVED.contains(&name.as_str()) {
            self.error(
                whole,
                format!("invalid fact name `{name}`"),
                "this fact",
                Some("fact names are ASCII identifiers and not a reserved word".into()),
            );
            return None;
        }
        let part = self.part(raw.part.as_ref(), whole, true);
        let statement = if let Some(selector) = &raw.statements {
            if let Some(first) = earlier.first() {
                self.error(
                    selector.span().into(),
                    format!("a rule over statements has one `statements` fact, and it comes first; `{}` is before it", first.name),
                    "not the first fact",
                    Some("bind the first fact with `statements = …` and reach the others with `link`/`of`".into()),
                );
                return None;
            }
            let parsed = match selector.get_ref().as_str() {
                "whole" => Some(Selector::Whole),
                "respectively" => Some(Selector::Respectively),
                "any" => Some(Selector::Any),
                other => crate::statements::Role::parse(other).map(Selector::Role),
            };
            let Some(parsed) = parsed else {
                let roles: Vec<&str> = crate::statements::Role::ALL
                    .iter()
                    .map(|r| r.as_str())
                    .collect();
                self.error(
                    selector.span().into(),
                    format!("unknown statement selector `{}`", selector.get_ref()),
                    "not a role",
                    Some(format!(
                        "a selector is a role ({}), `whole`, `respectively` or `any`",
                        roles.join(", ")
                    )),
                );
                return None;
            };
            StatementFact::Anchor(parsed)
        } else {
            let (Some(link), Some(of)) = (&raw.link, &raw.of) else {
                return None;
            };
            let Some(target) = LinkTarget::parse(link.get_ref()) else {
                let links: Vec<&str> = crate::statements::Link::ALL
                    .iter()
                    .map(|l| l.as_str())
                    .collect();
                self.error(
                    link.span().into(),
                    format!("unknown link `{}`", link.get_ref()),
                    "not a link",
                    Some(format!(
                        "links are {}, `subjects` and `items`",
                        links.join(", ")
                    )),
                );
                return None;
            };
            let Some(at) = earlier.iter().position(|f| &f.name == of.get_ref()) else {
                self.error(
                    of.span().into(),
                    format!(
                        "`of` names `{}`, which is not an earlier fact of this rule",
                        of.get_ref()
                    ),
                    "unknown fact",
                    Some("a link starts from a statement fact defined above it".into()),
                );
                return None;
            };
            if earlier[at].statement.is_none() {
                self.error(
                    of.span().into(),
                    format!(
                        "`{}` is a pattern fact; links start from statement facts",
                        of.get_ref()
                    ),
                    "not a statement fact",
                    None,
                );
                return None;
            }
            if is_list_fact(&earlier[at]) {
                self.error(
                    of.span().into(),
                    format!(
                        "`{}` is a list of statements; a link starts from one statement",
                        of.get_ref()
                    ),
                    "a list",
                    None,
                );
                return None;
            }
            if earlier[at].statement.as_ref().is_some_and(is_optional) {
                self.error(
                    of.span().into(),
                    format!(
                        "`{}` is optional; a link starts from a fact that is always bound",
                        of.get_ref()
                    ),
                    "optional",
                    None,
                );
                return None;
            }
            let optional = raw.optional.as_ref().is_some_and(|o| *o.get_ref());
            if optional && target.is_list() {
                self.error(
                    whole,
                    "a list link is never missing (it may be empty); `optional` is for one-statement links".into(),
                    "this fact",
                    None,
                );
                return None;
            }
            StatementFact::Linked {
                target,
                of: at,
                optional,
            }
        };
        let label = match raw.label.map(Spanned::into_inner) {
            None => None,
            Some(RawLabel::One(label)) => Some(label),
            Some(RawLabel::PerGroup(_)) => {
                self.error(
                    whole,
                    "a statement fact has one label, not one per group".into(),
                    "this fact",
                    Some("write `label = \"合计\"`".into()),
                );
                return None;
            }
        };
        Some(Fact {
            name,
            regexes: Vec::new(),
            statement: Some(statement),
            part,
            groups: Vec::new(),
            label,
            group_labels: IndexMap::new(),
        })
    }

    fn pattern_error(&mut self, value: Span, error: PatternError) {
        match error {
            PatternError::UnknownMacro { name, span } => {
                let span = self.inner_span(value, span);
                self.error(
                    span,
                    format!("unknown macro `{{{name}}}`"),
                    "not a macro",
                    Some("macros are {num}, {count}, {pct}, {cls} and {list}; write `\\{` for a literal brace".into()),
                );
            }
            PatternError::Syntax { message, span } => {
                let span = self.inner_span(value, span);
                self.error(span, format!("invalid pattern: {message}"), "here", None);
            }
            PatternError::Compile { message } => {
                self.error(
                    value,
                    format!("invalid pattern: {message}"),
                    "this pattern",
                    None,
                );
            }
        }
    }

    fn parse_expr(&mut self, src: &str, value: Span) -> Option<Expr> {
        match expr::parse(src) {
            Ok(e) => Some(e),
            Err(error) => {
                self.expr_error(value, &error);
                None
            }
        }
    }

    fn expr_error(&mut self, value: Span, error: &expr::ExprError) {
        let span = self.inner_span(value, error.span());
        self.error(span, error.to_string(), "here", error.help_text());
    }

    fn typed(&mut self, e: &Expr, facts: &[Fact], value: Span) -> Option<Type> {
        let names = FactNames(facts);
        match expr::check(e, &names) {
            Ok(ty) => Some(ty),
            Err(error) => {
                self.expr_error(value, &error);
                None
            }
        }
    }

    fn condition(&mut self, raw: Spanned<String>, facts: &[Fact], key: &str) -> Option<Expr> {
        let value = Span::from(raw.span());
        let e = self.parse_expr(raw.get_ref(), value)?;
        let ty = self.typed(&e, facts, value)?;
        if ty != Type::Bool {
            self.error(
                value,
                format!("`{key}` must be a condition, not a {}", ty.describe()),
                "not a condition",
                Some("compare values: `staff <= villages`, `count(items) == n`".into()),
            );
            return None;
        }
        Some(e)
    }

    fn template(&mut self, raw: Spanned<String>, facts: &[Fact]) -> Option<Template> {
        let value = Span::from(raw.span());
        let src = raw.get_ref();
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = 0;
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1)) {
                (b'{', Some(b'{')) | (b'}', Some(b'}')) => {
                    text.push_str(&src[rest..i + 1]);
                    i += 2;
                    rest = i;
                }
                (b'{', _) => {
                    text.push_str(&src[rest..i]);
                    let Some(len) = src[i + 1..].find('}') else {
                        let span = self.inner_span(value, Span::new(i, src.len()));
                        self.error(
                            span,
                            "unclosed `{` in template".into(),
                            "opened here",
                            Some("write `{{` for a literal brace".into()),
                        );
                        return None;
                    };
                    let inner = &src[i + 1..i + 1 + len];
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    if inner.trim() == "relation" {
                        pieces.push(Piece::Relation);
                    } else {
                        let inner_span = Span::new(i + 1, i + 1 + len);
                        match expr::parse(inner) {
                            Ok(e) => {
                                if let Err(error) = expr::check(&e, &FactNames(facts)) {
                                    let span = shift(error.span(), inner_span.start);
                                    let span = self.inner_span(value, span);
                                    self.error(span, error.to_string(), "here", error.help_text());
                                    return None;
                                }
                                pieces.push(Piece::Expr(e));
                            }
                            Err(error) => {
                                let span = shift(error.span(), inner_span.start);
                                let span = self.inner_span(value, span);
                                self.error(span, error.to_string(), "here", error.help_text());
                                return None;
                            }
                        }
                    }
                    i += len + 2;
                    rest = i;
                }
                _ => i += 1,
            }
        }
        text.push_str(&src[rest..]);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Some(Template { pieces })
    }

    fn example(&mut self, raw: Spanned<RawExample>) -> Option<Example> {
        let span = Span::from(raw.span());
        let raw = raw.into_inner();
        let expect = match raw.expect.get_ref().as_str() {
            "pass" => Expect::Pass,
            "fail" => Expect::Fail,
            "undetermined" => Expect::Undetermined,
            other => {
                self.error(
                    raw.expect.span().into(),
                    format!("invalid expect `{other}`"),
                    "unknown expectation",
                    Some("an example expects `pass`, `fail` or `undetermined`".into()),
                );
                return None;
            }
        };
        Some(Example {
            text: raw.text.into_inner(),
            expect,
            span,
        })
    }
}

fn same_groups(a: &[super::Group], b: &[super::Group]) -> bool {
    let key = |groups: &[super::Group]| {
        let mut k: Vec<(String, super::GroupKind)> =
            groups.iter().map(|g| (g.name.clone(), g.kind)).collect();
        k.sort_by(|x, y| x.0.cmp(&y.0));
        k
    };
    key(a) == key(b)
}

fn describe_groups(groups: &[super::Group]) -> String {
    if groups.is_empty() {
        return "no named groups".into();
    }
    groups
        .iter()
        .map(|g| format!("`{}` ({:?})", g.name, g.kind).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn shift(span: Span, by: usize) -> Span {
    Span::new(span.start + by, span.end + by)
}

/// The facts of a rule as the expression type checker sees them.
struct FactNames<'a>(&'a [Fact]);

fn is_optional(fact: &StatementFact) -> bool {
    matches!(fact, StatementFact::Linked { optional: true, .. })
}

/// Whether a statement fact holds several statements or words (a list) rather than one.
fn is_list_fact(fact: &Fact) -> bool {
    matches!(&fact.statement, Some(StatementFact::Linked { target, .. }) if target.is_list())
}

impl expr::Names for FactNames<'_> {
    fn lookup(&self, name: &str, group: Option<&str>) -> Option<Type> {
        let fact = self.0.iter().find(|f| f.name == name)?;
        if fact.statement.is_some() {
            return match (group, is_list_fact(fact)) {
                (Some(_), _) => None,
                (None, true) => Some(Type::List),
                (None, false) => Some(Type::Num),
            };
        }
        match fact.group(group) {
            Some(g) => Some(g.ty()),
            // A fact with no named group stands for its whole match, as text.
            None if group.is_none() && fact.groups.is_empty() => Some(Type::Text),
            None => None,
        }
    }

    fn known(&self) -> Vec<String> {
        let mut names = Vec::new();
        for fact in self.0 {
            names.push(fact.name.clone());
            for group in &fact.groups {
                names.push(format!("{}.{}", fact.name, group.name));
            }
        }
        names
    }
}

fn is_rule_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Byte offset in `file` of byte `offset` of the decoded string value written at `value`.
///
/// Literal strings (`'…'`, `'''…'''`) are verbatim; basic strings decode escapes, which are
/// walked here so that the offset lands on the character the author typed.
fn string_offset(file: &str, value: Span, offset: usize) -> usize {
    let raw = file.get(value.range()).unwrap_or("");
    let (quote, literal) = if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with('\'') {
        (1, true)
    } else if raw.starts_with('"') {
        (1, false)
    } else {
        return value.start;
    };
    let mut content_start = value.start + quote;
    // A newline right after an opening triple quote is not part of the value.
    if quote == 3 {
        if file[content_start..].starts_with("\r\n") {
            content_start += 2;
        } else if file[content_start..].starts_with('\n') {
            content_start += 1;
        }
    }
    if literal {
        return (content_start + offset).min(value.end);
    }
    let content = &file[content_start..value.end];
    let mut decoded = 0;
    let mut chars = content.char_indices();
    while let Some((i, c)) = chars.next() {
        if decoded >= offset {
            return content_start + i;
        }
        if c == '\\' {
            let (raw_len, value_len): (usize, usize) = match chars.next() {
                Some((_, 'u')) => (6, 3),
                Some((_, 'U')) => (10, 4),
                _ => (2, 1),
            };
            for _ in 0..raw_len.saturating_sub(2) {
                chars.next();
            }
            decoded += value_len;
        } else {
            decoded += c.len_utf8();
        }
    }
    value.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_offsets_point_into_the_file() {
        let file = r#"a = '(?P<v>{nmu})'
b = "x\"{nmu}"
c = '''
{nmu}'''"#;
        let cases = [("'(", 6), ("\"x", 2), ("'''", 0)];
        for (open, offset) in cases {
            let start = file.find(open).unwrap();
            let end = file[start + 1..]
                .find(['\n'])
                .map_or(file.len(), |e| start + 1 + e);
            let end = if open == "'''" { file.len() } else { end };
            let at = string_offset(file, Span::new(start, end), offset);
            assert_eq!(&file[at..at + 5], "{nmu}", "{open}");
        }
    }

    /// Issue 19: each error held a copy of its whole file (8,000 errors in 1 MB: 8 GB).
    #[test]
    fn every_error_of_a_file_shares_its_text() {
        let text: String = (0..3)
            .map(|i| {
                format!(
                    "[[rule]]\nid = \"r{i}\"\nsummary = \"s\"\nexplanation = \"e\"\n\
                     facts.a = '(?P<v>{{num}})人'\nassert = \"b > {i}\"\nmessage = \"m\"\n"
                )
            })
            .collect();
        let file = SourceFile::new("team.toml", text);
        let recognizer = Recognizer::standard();
        let error = compile(vec![Arc::clone(&file)], recognizer, Compilation::Eager).unwrap_err();
        assert_eq!(error.errors.len(), 3);
        let shared = file.named();
        assert!(error.errors.iter().all(|e| e.src.shares_text_with(&shared)));
    }

    #[test]
    fn ids_and_identifiers() {
        assert!(is_rule_id("staff-exceeds-villages"));
        assert!(is_rule_id("percent-breakdown-exceeds-100"));
        assert!(!is_rule_id("Staff"));
        assert!(!is_rule_id("a--b"));
        assert!(is_identifier("total_cases"));
        assert!(!is_identifier("1st"));
    }
}
