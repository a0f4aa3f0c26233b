//! Rules over statements: the first fact is bound to each statement its selector admits, the
//! others are reached from it by links (`{ link = "parts", of = "whole" }`). A binding exists
//! only when every one-statement link leads somewhere; a list link may be empty. The cost is
//! linear in the statements: no fact is paired with every other.

use super::{Analysis, Options, add_unseen, render};
use crate::finding::{Finding, Label};
use crate::interval::Truth;
use crate::rules::expr::{self, Env, FigureInfo, Item, Num, Value};
use crate::rules::{Fact, LinkTarget, Part, Rule, Selector, Severity, StatementFact};
use crate::span::Span;
use crate::statements::{PartKind, Role, Statement, Statements};
use std::collections::HashSet;

/// What one statement fact is bound to.
#[derive(Debug, Clone)]
enum Bound {
    One(usize),
    Many(Vec<usize>),
    /// Words of the text (list items, listed subjects), in view offsets, and whether the last
    /// may be one with the one before (split at `和`).
    Words(Vec<Span>, bool),
    /// An optional link that leads nowhere.
    Missing,
}

pub(super) fn check_rule(
    analysis: &Analysis,
    rule: &Rule,
    options: Options,
    out: &mut Vec<Finding>,
) {
    let st = &analysis.statements;
    let Some(StatementFact::Anchor(selector)) =
        rule.facts.first().and_then(|f| f.statement.clone())
    else {
        return;
    };
    let mut seen = HashSet::new();
    for anchor in anchors(st, selector) {
        if !in_part(st, anchor, rule.facts[0].part) {
            continue;
        }
        let Some(binding) = bind(st, rule, anchor) else {
            continue;
        };
        let env = StatementEnv {
            analysis,
            rule,
            binding: &binding,
        };
        if let Some(filter) = &rule.filter
            && !matches!(expr::eval(filter, &env), Ok(Value::Bool(Truth::True)))
        {
            continue;
        }
        let truth = match expr::eval(&rule.assert, &env) {
            Ok(Value::Bool(truth)) => truth,
            _ => Truth::Unknown,
        };
        if let Some(finding) = env.finding(truth, options) {
            add_unseen(vec![finding], &mut seen, out);
        }
    }
}

/// The statements a selector binds the first fact to, in reading order.
fn anchors(st: &Statements, selector: Selector) -> Vec<usize> {
    match selector {
        Selector::Role(role) => (0..st.statements.len())
            .filter(|&i| st.statements[i].role == role)
            .collect(),
        Selector::Whole => (0..st.statements.len())
            .filter(|&i| {
                st.statements[i]
                    .first_linked(crate::statements::Link::Parts)
                    .is_some()
            })
            .collect(),
        Selector::Respectively => {
            let mut firsts: Vec<usize> = st
                .respectively
                .iter()
                .flat_map(|g| g.values.iter().filter_map(|run| run.first().copied()))
                .collect();
            firsts.sort_unstable();
            firsts
        }
        Selector::Any => (0..st.statements.len()).collect(),
    }
}

fn in_part(st: &Statements, statement: usize, part: Part) -> bool {
    let kind = st.part(statement);
    match part {
        Part::Any => true,
        Part::Title => kind == PartKind::Title,
        Part::Headline => kind.is_headline(),
        Part::Body => kind == PartKind::Body,
    }
}

/// Every fact of the rule bound from `anchor`, or `None` when a one-statement link is missing.
fn bind(st: &Statements, rule: &Rule, anchor: usize) -> Option<Vec<Bound>> {
    let mut bound: Vec<Bound> = Vec::with_capacity(rule.facts.len());
    for fact in &rule.facts {
        let next = match &fact.statement {
            Some(StatementFact::Anchor(_)) => Bound::One(anchor),
            Some(StatementFact::Linked {
                target,
                of,
                optional,
            }) => {
                let Bound::One(from) = bound.get(*of)? else {
                    return None;
                };
                let Some(b) = follow(st, *from, *target) else {
                    if *optional {
                        bound.push(Bound::Missing);
                        continue;
                    }
                    return None;
                };
                if let Bound::Many(list) = &b
                    && fact.part != Part::Any
                {
                    let kept = list
                        .iter()
                        .copied()
                        .filter(|&s| in_part(st, s, fact.part))
                        .collect();
                    Bound::Many(kept)
                } else {
                    if let Bound::One(s) = b
                        && !in_part(st, s, fact.part)
                    {
                        return None;
                    }
                    b
                }
            }
            None => return None,
        };
        bound.push(next);
    }
    Some(bound)
}

/// Whether a fact is the values of a `分别` run, labelled as one list.
fn is_run(fact: &Fact) -> bool {
    matches!(
        fact.statement,
        Some(StatementFact::Linked {
            target: LinkTarget::Statement(crate::statements::Link::Values),
            ..
        })
    )
}

fn follow(st: &Statements, from: usize, target: LinkTarget) -> Option<Bound> {
    let s = &st.statements[from];
    match target {
        LinkTarget::Statement(link) if link.is_many() => {
            if link == crate::statements::Link::Values {
                // A run's values: the first value and the ones it links to, in order.
                let mut values = vec![from];
                values.extend(s.linked(link));
                return Some(Bound::Many(values));
            }
            Some(Bound::Many(s.linked(link).collect()))
        }
        LinkTarget::Statement(link) => s.first_linked(link).map(Bound::One),
        LinkTarget::Subjects => st
            .respectively
            .iter()
            .find(|g| g.values.iter().any(|run| run.first() == Some(&from)))
            .map(|g| {
                if g.subject_statements.is_empty() {
                    Bound::Words(g.subjects.clone(), g.joined_last)
                } else {
                    Bound::Many(g.subject_statements.clone())
                }
            }),
        LinkTarget::Items => st
            .enumerations
            .iter()
            .find(|e| e.count == from)
            .map(|e| Bound::Words(e.items.clone(), e.joined_last)),
    }
}

struct StatementEnv<'a, 't> {
    analysis: &'a Analysis<'t>,
    rule: &'a Rule,
    binding: &'a [Bound],
}

impl StatementEnv<'_, '_> {
    fn statement(&self, i: usize) -> &Statement {
        &self.analysis.statements.statements[i]
    }

    fn text(&self, span: Span) -> &str {
        &self.analysis.view.text[span.range()]
    }

    /// Where a statement's label goes: its figure, and for a change the word that gives its
    /// direction right before it (`下降52%`), so that a slip in the word is underlined too.
    fn label_span(&self, i: usize) -> Span {
        let s = self.statement(i);
        let Some(word) = s.change_word.as_deref() else {
            return s.span;
        };
        let before = &self.analysis.view.text[..s.span.start];
        let before = before.strip_suffix('了').unwrap_or(before);
        match before.strip_suffix(word) {
            Some(rest) => Span::new(rest.len(), s.span.end),
            None => s.span,
        }
    }

    fn bound(&self, name: &str) -> Option<(&Fact, &Bound)> {
        let at = self.rule.facts.iter().position(|f| f.name == name)?;
        Some((&self.rule.facts[at], self.binding.get(at)?))
    }

    fn item(&self, i: usize) -> Item {
        let s = self.statement(i);
        let q = &self.analysis.quantities[s.quantity];
        Item {
            text: self.text(s.span).to_string(),
            value: Some(q.value),
            family: q.unit.as_ref().map(|u| u.family.to_string()),
            joined: false,
        }
    }

    /// The labelled spans of every fact the assertion names, in source offsets: each figure of
    /// a statement fact, the list of a words fact.
    fn labels(&self) -> Vec<Label> {
        let mut labels: Vec<Label> = Vec::new();
        let mut seen = HashSet::new();
        let mut push = |span: Span, message: String, labels: &mut Vec<Label>| {
            let span = self.analysis.view.to_source(span);
            if seen.insert(span) {
                labels.push(Label { span, message });
            }
        };
        for (name, _, _) in expr::facts_referenced(&self.rule.assert) {
            let Some((fact, bound)) = self.bound(&name) else {
                continue;
            };
            match bound {
                Bound::One(s) => {
                    let message = self.label(fact, Some(*s));
                    push(self.label_span(*s), message, &mut labels);
                }
                // The values of a `分别` run are one list as written (`38.2%、25%`).
                Bound::Many(list) if is_run(fact) => {
                    if let (Some(&first), Some(&last)) = (list.first(), list.last()) {
                        let span = self.statement(first).span.cover(self.statement(last).span);
                        push(span, self.label(fact, Some(first)), &mut labels);
                    }
                }
                Bound::Many(list) => {
                    for &s in list {
                        let message = self.label(fact, Some(s));
                        push(self.label_span(s), message, &mut labels);
                    }
                }
                Bound::Words(items, _) => {
                    if let (Some(first), Some(last)) = (items.first(), items.last()) {
                        let message = self.label(fact, None);
                        push(first.cover(*last), message, &mut labels);
                    }
                }
                Bound::Missing => {}
            }
        }
        labels
    }

    /// A fact's label, or the role of the statement it underlines.
    fn label(&self, fact: &Fact, statement: Option<usize>) -> String {
        if let Some(label) = &fact.label {
            return label.clone();
        }
        match statement {
            Some(s) => self.statement(s).role.label().to_string(),
            None => "列举的项".to_string(),
        }
    }

    fn finding(&self, truth: Truth, options: Options) -> Option<Finding> {
        let severity = match truth {
            Truth::False => self.rule.severity,
            Truth::Unknown if options.strict => Severity::Warning,
            _ => return None,
        };
        let mut labels = self.labels();
        let span = labels.first().map(|l| l.span)?;
        labels.sort_by_key(|l| (l.span.start, l.span.end));
        let mut message = render(&self.rule.message, &self.rule.assert, self);
        if truth == Truth::Unknown {
            message.push_str(&expr::Undetermined::of(&self.rule.assert, self).note());
        }
        Some(Finding {
            rule: self.rule.id.clone(),
            severity,
            message,
            help: self
                .rule
                .help
                .as_ref()
                .map(|h| render(h, &self.rule.assert, self)),
            span,
            labels,
        })
    }
}

impl Env for StatementEnv<'_, '_> {
    fn fact(&self, name: &str, group: Option<&str>) -> Option<Value> {
        if group.is_some() {
            return None;
        }
        let (_, bound) = self.bound(name)?;
        Some(match bound {
            Bound::One(s) => {
                let statement = self.statement(*s);
                let q = &self.analysis.quantities[statement.quantity];
                Value::Num(Num::written(q.value, self.text(statement.span)))
            }
            Bound::Many(list) => Value::List(list.iter().map(|&s| self.item(s)).collect()),
            Bound::Words(items, joined_last) => {
                let last = items.len().saturating_sub(1);
                Value::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(k, s)| Item {
                            joined: *joined_last && k == last,
                            ..Item::words(self.text(*s))
                        })
                        .collect(),
                )
            }
            Bound::Missing => return None,
        })
    }

    fn figure(&self, name: &str, group: Option<&str>) -> Option<FigureInfo> {
        if group.is_some() {
            return None;
        }
        let (_, Bound::One(s)) = self.bound(name)? else {
            return None;
        };
        let statement = self.statement(*s);
        let q = &self.analysis.quantities[statement.quantity];
        Some(FigureInfo {
            kind: super::kind_name(q.kind),
            family: q.unit.as_ref().map(|u| u.family.to_string()),
            unit: q.unit.as_ref().map(|u| u.text.to_string()),
            malformed: q.malformed.map(|m| format!("{m:?}")),
            approximate: q.value.as_exact().is_none(),
            role: Some(statement.role.as_str().to_string()),
            direction: statement.direction.map(|d| d.as_str().to_string()),
            complete: statement.complete,
            at_least: statement.etc && statement.role == Role::ListCount,
            change_word: statement.change_word.as_deref().map(str::to_string),
            date: q.date,
        })
    }

    fn figures(&self, name: &str, group: Option<&str>) -> Option<Vec<Item>> {
        match self.fact(name, group)? {
            Value::List(items) => Some(items),
            Value::Num(_) => {
                let (_, Bound::One(s)) = self.bound(name)? else {
                    return None;
                };
                Some(vec![self.item(*s)])
            }
            _ => None,
        }
    }
}
