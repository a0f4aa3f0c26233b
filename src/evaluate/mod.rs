//! Evaluate: match every rule's facts in its scopes, pair the matches into bindings, and
//! evaluate the rule's relation over each binding, three-valued.
//!
//! Pairing (see `docs/rules.md`): a rule with one fact checks each match on its own; a rule
//! with several facts checks a scope only when every fact matched there exactly once
//! (`pairing = "unique"`, the default), so that a paragraph mentioning two figures of the same
//! kind stays silent instead of pairing the wrong two. `all` checks every combination, `any`
//! fires only when no combination satisfies the relation; `where` selects combinations first.

mod statements;

use crate::finding::{Finding, Label};
use crate::interval::Truth;
use crate::recognize::{Quantity, Recognizer};
use crate::rules::expr::{self, Env, FigureInfo, Value};
use crate::rules::pattern::{
    FactRegex, Gate, LiteralIndex, Occurrences, split_figures, split_list,
};
use crate::rules::{
    Fact, GroupKind, Pairing, Part, Piece, Rule, RuleSet, Scope, Severity, Template,
};
use crate::segment;
use crate::span::Span;
use crate::statements::Statements;
use crate::view::View;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

/// Choices that change what a check reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also report relations that approximate figures leave undetermined (as warnings).
    pub strict: bool,
}

/// A scope combination count past which a scope is skipped: a rule whose facts match hundreds
/// of times in one scope is not stating a relation an editor could act on. A one-fact rule has
/// one combination per match and costs linear time however many there are, so it is never
/// skipped (a 20 MB one-sentence file still gets every malformed amount reported).
const MAX_COMBINATIONS: usize = 10_000;

/// A document prepared for matching: its view, paragraphs and figures, all in view offsets.
pub struct Analysis<'t> {
    pub source: &'t str,
    pub view: View,
    pub title: Option<Span>,
    pub paragraphs: Vec<Paragraph>,
    pub quantities: Vec<Quantity>,
    /// What each figure counts and refers to (see [`crate::statements`]).
    pub statements: Statements,
}

pub struct Paragraph {
    pub span: Span,
    pub sentences: Vec<Span>,
    pub is_title: bool,
}

impl<'t> Analysis<'t> {
    pub fn new(source: &'t str, recognizer: &Recognizer) -> Analysis<'t> {
        let layout = segment::layout(source);
        let view = View::new(source, &layout.joins);
        let title = layout.title.map(|t| view.from_source(t));
        let paragraphs: Vec<Paragraph> = layout
            .paragraphs
            .iter()
            .map(|p| {
                let span = view.from_source(*p);
                Paragraph {
                    span,
                    sentences: segment::sentences(&view.text, span),
                    is_title: Some(*p) == layout.title,
                }
            })
            .collect();
        let quantities = recognizer.recognize(&view.text);
        let spans: Vec<Span> = paragraphs.iter().map(|p: &Paragraph| p.span).collect();
        let statements = Statements::build(
            &view.text,
            &spans,
            title,
            &quantities,
            crate::statements::Lexicon::standard(),
        );
        Analysis {
            source,
            view,
            title,
            paragraphs,
            quantities,
            statements,
        }
    }

    /// A date as the text means it: one written without its year (`11月9日`) is in the year of
    /// the latest date before it that states one (`2025年…`), as bulletins write it; not when a
    /// relative year stands right before it (`去年3月15日`, `次年1月`), nor when no earlier
    /// date states a year.
    fn dated(&self, q: &Quantity, mut date: crate::recognize::Date) -> crate::recognize::Date {
        if date.year.is_some() || self.view.text[..q.span.start].ends_with('年') {
            return date;
        }
        let before = self
            .quantities
            .partition_point(|p| p.span.end <= q.span.start);
        date.year = self.quantities[..before]
            .iter()
            .rev()
            .filter_map(|p| p.date.and_then(|d| d.year))
            .next();
        date
    }

    /// The figure the recognizer read where a pattern captured `span`: the one overlapping it
    /// most. Its reading wins over the capture's own, because it saw the context (`约`, `左右`).
    fn quantity_at(&self, span: Span) -> Option<&Quantity> {
        let first = self
            .quantities
            .partition_point(|q| q.span.end <= span.start);
        self.quantities[first..]
            .iter()
            .take_while(|q| q.span.start < span.end.max(span.start + 1))
            .filter(|q| q.span.overlaps(span) || (span.is_empty() && q.span.contains(span)))
            .max_by_key(|q| q.span.end.min(span.end) - q.span.start.max(span.start))
    }
}

/// Check one document against every rule.
pub fn check(
    source: &str,
    rules: &RuleSet,
    recognizer: &Recognizer,
    options: Options,
) -> Vec<Finding> {
    let analysis = Analysis::new(source, recognizer);
    let index = literal_index(rules.patterns());
    let found = index.scan(&analysis.view.text);
    rules.compile_needed(&analysis.view.text, &found);
    let mut rest = found.as_slice();
    let mut findings = Vec::new();
    for rule in &rules.rules {
        let (mine, others) = rest.split_at(rule.patterns().count());
        if rule.is_on_statements() {
            statements::check_rule(&analysis, rule, options, &mut findings);
        } else {
            check_rule_found(&analysis, rule, mine, recognizer, options, &mut findings);
        }
        rest = others;
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    findings
}

/// Check one rule; its findings are appended to `out`, without duplicates.
pub fn check_rule(
    analysis: &Analysis,
    rule: &Rule,
    recognizer: &Recognizer,
    options: Options,
    out: &mut Vec<Finding>,
) {
    if rule.is_on_statements() {
        statements::check_rule(analysis, rule, options, out);
        return;
    }
    let found = literal_index(rule.patterns()).scan(&analysis.view.text);
    check_rule_found(analysis, rule, &found, recognizer, options, out);
}

/// The literal index of `patterns`. Built once per thread for as long as the patterns stay
/// the same: every document of a run is checked against the same rules, and building the
/// automaton costs more than scanning a bulletin with it.
fn literal_index<'a>(patterns: impl Iterator<Item = &'a FactRegex> + Clone) -> Rc<LiteralIndex> {
    thread_local! {
        static INDEX: RefCell<Option<Rc<LiteralIndex>>> = const { RefCell::new(None) };
    }
    INDEX.with_borrow_mut(|cached| match cached {
        Some(index) if index.is_for(patterns.clone()) => index.clone(),
        _ => cached.insert(Rc::new(LiteralIndex::new(patterns))).clone(),
    })
}

/// [`check_rule`] with the occurrences of the rule's literals in the document (in
/// [`Rule::patterns`] order).
fn check_rule_found(
    analysis: &Analysis,
    rule: &Rule,
    found: &[Occurrences],
    recognizer: &Recognizer,
    options: Options,
    out: &mut Vec<Finding>,
) {
    // Looked up when a unit is let through: in most documents no unit of most rules is.
    let searches = std::cell::OnceCell::new();
    let checker = Checker {
        analysis,
        rule,
        recognizer,
        options,
    };
    let mut seen = HashSet::new();
    let mut candidates = Candidates::default();
    // A unit without a match of the first fact has nothing to check (see `unit_matches`); most
    // units of most rules are such, and the gate passes over them at the cost of a comparison.
    let mut gate = match rule.facts.first().map(|f| f.regexes.len()) {
        Some(1) => found.first().and_then(Occurrences::gate),
        _ => None,
    };
    let mut pieces = Vec::new();
    for unit in units(analysis, rule.scope) {
        // The pieces of a unit the gate passes over hold nothing either: it is not split.
        if !admits(&mut gate, unit.span) {
            continue;
        }
        pieces.clear();
        split_unit(analysis, unit, rule.split.as_ref(), &mut pieces);
        for piece in &pieces {
            // A unit left whole was let through already.
            if pieces.len() > 1 && !admits(&mut gate, piece.span) {
                continue;
            }
            let searches = searches.get_or_init(|| FactSearch::for_rule(rule));
            let Some(matches) =
                unit_matches(analysis, rule, searches, found, piece, &mut candidates)
            else {
                continue;
            };
            add_unseen(checker.check_unit(&matches), &mut seen, out);
        }
    }
}

/// Adds the findings whose labelled spans no earlier finding had: the same figures found
/// from another pairing (a and b, then b and a) are one finding.
pub(crate) fn add_unseen(
    findings: Vec<Finding>,
    seen: &mut HashSet<Vec<Span>>,
    out: &mut Vec<Finding>,
) {
    for finding in findings {
        let mut key: Vec<Span> = finding.labels.iter().map(|l| l.span).collect();
        if key.is_empty() {
            key.push(finding.span);
        }
        if seen.insert(key) {
            out.push(finding);
        }
    }
}

/// Whether the gate (if any) lets a region through: it can hold a match of the first fact.
fn admits(gate: &mut Option<Gate>, region: Span) -> bool {
    gate.as_mut().is_none_or(|gate| gate.admits(region))
}

/// How one fact of a rule is searched: the regex capture index of each of its named groups,
/// and the earlier fact of the same rule it repeats, if any.
struct FactSearch {
    /// Per regex of the fact, per group of `fact.groups`: the group's capture index. Looked up
    /// once per rule rather than by name for every match.
    group_indices: Vec<Vec<Option<usize>>>,
    /// An earlier fact with the very same patterns and groups (`first` and `again` of a
    /// restatement rule): searched in the same region it finds the same matches, so they are
    /// copied instead of searched for again.
    same_as: Option<usize>,
    /// Where the fact's regexes are among the rule's patterns ([`Rule::patterns`] order): the
    /// range of the document's literal occurrences that are the fact's.
    patterns: std::ops::Range<usize>,
}

impl FactSearch {
    fn for_rule(rule: &Rule) -> Vec<FactSearch> {
        let facts = &rule.facts;
        let mut next = 0;
        facts
            .iter()
            .enumerate()
            .map(|(i, fact)| FactSearch {
                patterns: next..{
                    next += fact.regexes.len();
                    next
                },
                group_indices: fact
                    .regexes
                    .iter()
                    .map(|regex| {
                        fact.groups
                            .iter()
                            .map(|g| regex.capture_index(&g.name))
                            .collect()
                    })
                    .collect(),
                same_as: facts[..i]
                    .iter()
                    .position(|earlier| same_search(earlier, fact)),
            })
            .collect()
    }
}

/// Whether two facts find the same matches in the same region: same patterns, same groups.
fn same_search(a: &Fact, b: &Fact) -> bool {
    a.regexes.len() == b.regexes.len()
        && a.regexes
            .iter()
            .zip(&b.regexes)
            .all(|(x, y)| x.pattern() == y.pattern())
        && a.groups.len() == b.groups.len()
        && a.groups
            .iter()
            .zip(&b.groups)
            .all(|(x, y)| x.name == y.name)
}

/// The stretches the prefilter leaves of each fact of a rule in a unit, kept from unit to
/// unit so that the many units where a fact has none cost no allocation.
#[derive(Default)]
struct Candidates {
    /// Per fact: where it is looked for, and the end of its stretches in `stretches`.
    facts: Vec<(Span, usize)>,
    /// The index of the fact's regex and the stretch, in view offsets.
    stretches: Vec<(usize, Span)>,
}

/// The matches of every fact of `rule` in `unit`, or `None` when some fact has none: a
/// binding needs a match of every fact, so such a unit has nothing to check
/// ([`Checker::check_unit`] returns no finding for it). The prefilter of every fact runs
/// before any regex search, so that a unit that lacks a rare fact (`人组织`) is not searched
/// for a common one (`抓获…人`).
fn unit_matches(
    analysis: &Analysis,
    rule: &Rule,
    searches: &[FactSearch],
    found: &[Occurrences],
    unit: &Unit,
    candidates: &mut Candidates,
) -> Option<Vec<Vec<Match>>> {
    let text = &analysis.view.text;
    let whole_document = unit.span == Span::new(0, text.len()) && !unit.is_title;
    candidates.facts.clear();
    candidates.stretches.clear();
    for (fact, search) in rule.facts.iter().zip(searches) {
        let found = &found[search.patterns.clone()];
        let region = region(analysis, fact, unit, whole_document)?;
        let start = candidates.stretches.len();
        for (r, (regex, found)) in fact.regexes.iter().zip(found).enumerate() {
            let stretches = regex.stretches_in(text, region, found);
            let stretches = stretches.into_iter().map(|(at, stretch)| {
                let at = region.start + at;
                (r, Span::new(at, at + stretch.len()))
            });
            candidates.stretches.extend(stretches);
        }
        if candidates.stretches.len() == start {
            return None;
        }
        candidates.facts.push((region, candidates.stretches.len()));
    }
    let mut matches: Vec<Vec<Match>> = Vec::with_capacity(rule.facts.len());
    let mut start = 0;
    for (i, (fact, &(region, end))) in rule.facts.iter().zip(&candidates.facts).enumerate() {
        let search = &searches[i];
        let found = match search.same_as {
            Some(j) if candidates.facts[j].0 == region => matches[j].clone(),
            _ => find_matches(
                fact,
                search,
                text,
                &found[search.patterns.clone()],
                &candidates.stretches[start..end],
            ),
        };
        if found.is_empty() {
            return None;
        }
        matches.push(found);
        start = end;
    }
    Some(matches)
}

/// One stretch of text a rule is checked in.
struct Unit {
    span: Span,
    is_title: bool,
}

/// Cut a unit again before every match of the rule's `split` pattern (`去年同期，…` starts a
/// stretch of its own, whose figures never pair with those before it), into `out`.
fn split_unit(analysis: &Analysis, unit: Unit, split: Option<&regex::Regex>, out: &mut Vec<Unit>) {
    let Some(split) = split else {
        out.push(unit);
        return;
    };
    let text = &analysis.view.text[unit.span.range()];
    let mut start = unit.span.start;
    for m in split.find_iter(text) {
        let cut = unit.span.start + m.start();
        if cut > start {
            out.push(Unit {
                span: Span::new(start, cut),
                is_title: unit.is_title,
            });
            start = cut;
        }
    }
    out.push(Unit {
        span: Span::new(start, unit.span.end),
        is_title: unit.is_title,
    });
}

/// The units of `scope` in reading order, made as they are walked: every rule of every
/// document walks them, and most are passed over at once.
fn units<'a>(analysis: &'a Analysis, scope: Scope) -> impl Iterator<Item = Unit> + 'a {
    let document = (scope == Scope::Document).then(|| Unit {
        span: Span::new(0, analysis.view.text.len()),
        is_title: false,
    });
    let paragraphs = match scope {
        Scope::Paragraph | Scope::Sentence => analysis.paragraphs.as_slice(),
        Scope::Document => &[],
    };
    let parts = paragraphs.iter().flat_map(move |p| {
        let whole = (scope == Scope::Paragraph).then_some(std::slice::from_ref(&p.span));
        whole.unwrap_or(&p.sentences).iter().map(|&span| Unit {
            span,
            is_title: p.is_title,
        })
    });
    document.into_iter().chain(parts)
}

/// Where in a unit a fact is looked for, or nothing when the fact's part is not there.
fn region(analysis: &Analysis, fact: &Fact, unit: &Unit, whole_document: bool) -> Option<Span> {
    if !whole_document {
        return match (fact.part, unit.is_title) {
            (Part::Title | Part::Headline, false) | (Part::Body, true) => None,
            _ => Some(unit.span),
        };
    }
    match (fact.part, analysis.title) {
        (Part::Any, _) => Some(unit.span),
        (Part::Title | Part::Headline, title) => title,
        (Part::Body, Some(title)) => Some(Span::new(title.end, unit.span.end)),
        (Part::Body, None) => Some(unit.span),
    }
}

/// One match of a fact: the spans of its named groups (in `fact.groups` order) and the whole.
#[derive(Debug, Clone)]
struct Match {
    whole: Span,
    groups: Vec<Option<Span>>,
}

/// The matches of `fact` in the stretches its prefilter left of `text` (`found` holds the
/// occurrences of its literals, per regex).
fn find_matches(
    fact: &Fact,
    search: &FactSearch,
    text: &str,
    found: &[Occurrences],
    stretches: &[(usize, Span)],
) -> Vec<Match> {
    let mut matches: Vec<Match> = Vec::new();
    // Only the stretches of the haystack that can hold a match are searched; the matches
    // are the same as a search of the whole haystack (see `FactRegex::stretches`).
    for &(r, stretch) in stretches {
        let (regex, indices) = (&fact.regexes[r], &search.group_indices[r]);
        regex.captures_in(text, stretch, &found[r], |base, caps| {
            let shift = |m: regex::Match| Span::new(base + m.start(), base + m.end());
            matches.push(Match {
                whole: shift(caps.get(0).expect("group 0 always matches")),
                groups: indices
                    .iter()
                    .map(|i| i.and_then(|i| caps.get(i)).map(shift))
                    .collect(),
            });
        });
    }
    if fact.regexes.len() > 1 {
        // Alternatives may find the same statement twice: keep the first of overlapping ones.
        matches.sort_by_key(|m| (m.whole.start, std::cmp::Reverse(m.whole.end)));
        let mut kept: Vec<Match> = Vec::with_capacity(matches.len());
        for m in matches {
            if kept.last().is_none_or(|k| !k.whole.overlaps(m.whole)) {
                kept.push(m);
            }
        }
        matches = kept;
    }
    matches
}

struct Checker<'a, 't> {
    analysis: &'a Analysis<'t>,
    rule: &'a Rule,
    recognizer: &'a Recognizer,
    options: Options,
}

impl Checker<'_, '_> {
    fn check_unit(&self, matches: &[Vec<Match>]) -> Vec<Finding> {
        if matches.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let combinations: usize = matches
            .iter()
            .map(Vec::len)
            .try_fold(1usize, |acc, n| acc.checked_mul(n))
            .unwrap_or(usize::MAX);
        if matches.len() > 1 && combinations > MAX_COMBINATIONS {
            return Vec::new();
        }
        let bindings: Vec<Vec<&Match>> = product(matches)
            .into_iter()
            .filter(|binding| !binds_one_statement_twice(binding))
            .filter(|binding| self.selected(binding))
            .collect();
        if self.rule.pairing == Pairing::Unique && bindings.len() != 1 {
            // An ambiguous unit is skipped whatever its relation says: not evaluated.
            return Vec::new();
        }
        let outcomes: Vec<(Truth, &Vec<&Match>)> = bindings
            .iter()
            .map(|binding| (self.truth(binding), binding))
            .collect();
        match self.rule.pairing {
            Pairing::Unique | Pairing::All => outcomes
                .iter()
                .filter_map(|(truth, binding)| self.finding(*truth, binding))
                .collect(),
            Pairing::Any => self.any_per_first_fact(&outcomes),
        }
    }

    /// `any`: for each match of the first fact, some combination must satisfy the relation;
    /// a first-fact match for which none does is one finding, labelling every candidate.
    fn any_per_first_fact(&self, outcomes: &[(Truth, &Vec<&Match>)]) -> Vec<Finding> {
        let mut firsts: Vec<Span> = outcomes.iter().map(|(_, b)| b[0].whole).collect();
        firsts.dedup();
        let mut findings = Vec::new();
        for first in firsts {
            let group: Vec<&(Truth, &Vec<&Match>)> = outcomes
                .iter()
                .filter(|(_, b)| b[0].whole == first)
                .collect();
            if group.iter().any(|(t, _)| *t == Truth::True) {
                continue;
            }
            let truth = if group.iter().all(|(t, _)| *t == Truth::False) {
                Truth::False
            } else {
                Truth::Unknown
            };
            // The first candidate in reading order is the statement most likely meant; labelling
            // every candidate would bury it.
            findings.extend(self.finding(truth, group[0].1));
        }
        findings
    }

    fn env<'b>(&'b self, binding: &'b [&'b Match]) -> BindingEnv<'b> {
        BindingEnv {
            analysis: self.analysis,
            rule: self.rule,
            recognizer: self.recognizer,
            binding,
        }
    }

    /// Whether `where` (if any) definitely holds for this combination.
    fn selected(&self, binding: &[&Match]) -> bool {
        let Some(filter) = &self.rule.filter else {
            return true;
        };
        matches!(
            expr::eval(filter, &self.env(binding)),
            Ok(Value::Bool(Truth::True))
        )
    }

    fn truth(&self, binding: &[&Match]) -> Truth {
        match expr::eval(&self.rule.assert, &self.env(binding)) {
            Ok(Value::Bool(truth)) => truth,
            // A figure that could not be read is no evidence of a violation.
            _ => Truth::Unknown,
        }
    }

    fn finding(&self, truth: Truth, binding: &[&Match]) -> Option<Finding> {
        let severity = match truth {
            Truth::False => self.rule.severity,
            Truth::Unknown if self.options.strict => Severity::Warning,
            _ => return None,
        };
        let env = self.env(binding);
        let mut labels = env.labels();
        let span = labels.first().map(|l| l.span).unwrap_or_else(|| {
            self.analysis
                .view
                .to_source(binding.first().map_or(Span::default(), |m| m.whole))
        });
        labels.sort_by_key(|l| (l.span.start, l.span.end));
        let mut message = env.render(&self.rule.message);
        if truth == Truth::Unknown {
            // Say why: approximate figures, a divisor that may be zero, … (issue 19).
            message.push_str(&expr::Undetermined::of(&self.rule.assert, &env).note());
        }
        Some(Finding {
            rule: self.rule.id.clone(),
            severity,
            message,
            help: self.rule.help.as_ref().map(|h| env.render(h)),
            span,
            labels,
        })
    }
}

/// The kind's name as rules and JSON spell it (`percentage_point`).
pub(crate) fn kind_name(kind: crate::recognize::Kind) -> Option<String> {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// Two facts bound to the very same words: `first` and `again` of a restatement rule share a
/// pattern, and a statement is never a restatement of itself.
fn binds_one_statement_twice(binding: &[&Match]) -> bool {
    binding
        .iter()
        .enumerate()
        .any(|(i, a)| binding[i + 1..].iter().any(|b| a.whole == b.whole))
}

/// Every combination of one match per fact, in order.
fn product(matches: &[Vec<Match>]) -> Vec<Vec<&Match>> {
    let mut combos: Vec<Vec<&Match>> = vec![Vec::new()];
    for fact_matches in matches {
        combos = combos
            .into_iter()
            .flat_map(|prefix| {
                fact_matches.iter().map(move |m| {
                    let mut next = prefix.clone();
                    next.push(m);
                    next
                })
            })
            .collect();
    }
    combos
}

/// The values of one binding, as the expression evaluator sees them.
struct BindingEnv<'a> {
    analysis: &'a Analysis<'a>,
    rule: &'a Rule,
    recognizer: &'a Recognizer,
    binding: &'a [&'a Match],
}

/// What a fact reference captured.
enum Capture<'a> {
    Group(&'a crate::rules::Group, Span),
    Whole(Span),
}

impl<'a> BindingEnv<'a> {
    fn capture(&self, name: &str, group: Option<&str>) -> Option<Capture<'a>> {
        let index = self.rule.facts.iter().position(|f| f.name == name)?;
        let fact = &self.rule.facts[index];
        let found = self.binding.get(index)?;
        match fact.group(group) {
            Some(g) => {
                let at = fact.groups.iter().position(|x| x.name == g.name)?;
                found.groups[at].map(|span| Capture::Group(g, span))
            }
            None if group.is_none() && fact.groups.is_empty() => Some(Capture::Whole(found.whole)),
            None => None,
        }
    }

    fn text(&self, span: Span) -> &'a str {
        &self.analysis.view.text[span.range()]
    }

    /// An item of a `{figures}` list: its value as the recognizer read it where possible.
    fn figure_item(&self, span: Span) -> expr::Item {
        let written = self.text(span).trim();
        let quantity = self.analysis.quantity_at(span);
        expr::Item {
            text: written.to_string(),
            value: quantity
                .map(|q| q.value)
                .or_else(|| self.recognizer.parse_figure(written).map(|f| f.value)),
            family: quantity.and_then(|q| q.unit.as_ref().map(|u| u.family.to_string())),
            joined: false,
        }
    }

    /// The labelled spans of every fact the assertion names, in source offsets, primary first.
    /// A figure is underlined whole (`901人`, not `901`); a text searched with `figures(x)`
    /// contributes each figure in it; other texts (verbs, directions) are not underlined.
    fn labels(&self) -> Vec<Label> {
        let searched = expr::facts_searched(&self.rule.assert);
        let mut labels: Vec<Label> = Vec::new();
        for (name, group, _) in expr::facts_referenced(&self.rule.assert) {
            let Some(capture) = self.capture(&name, group.as_deref()) else {
                continue;
            };
            let view_spans: Vec<Span> = match capture {
                Capture::Group(g, span) => match g.kind {
                    GroupKind::List => vec![split_list(&self.analysis.view.text, span).0],
                    GroupKind::Figures => vec![span],
                    // The recognizer's span is the figure as an editor reads it: `901人`, and
                    // not the `数` a lazy pattern let into `总数300起`.
                    GroupKind::Figure => {
                        vec![self.analysis.quantity_at(span).map_or(span, |q| q.span)]
                    }
                    GroupKind::Text if self.is_searched(&searched, &name, &group) => {
                        self.searched_figures(&searched, &name, &group, span)
                    }
                    // A text that is a figure (a date pattern) is underlined; verbs are not.
                    GroupKind::Text => self
                        .analysis
                        .quantity_at(span)
                        .filter(|q| q.span.contains(span) || span.contains(q.span))
                        .map(|q| vec![q.span])
                        .unwrap_or_default(),
                },
                Capture::Whole(span) => vec![span],
            };
            let message = self
                .rule
                .fact(&name)
                .map_or_else(|| name.clone(), |f| f.label_for(group.as_deref()));
            for view_span in view_spans {
                let span = self.analysis.view.to_source(view_span);
                if !labels.iter().any(|l| l.span == span) {
                    labels.push(Label {
                        span,
                        message: message.clone(),
                    });
                }
            }
        }
        labels
    }

    fn is_searched(&self, searched: &[expr::Searched], name: &str, group: &Option<String>) -> bool {
        searched.iter().any(|s| s.name == name && &s.group == group)
    }

    /// The figures inside a searched text that the assertion looks at: all of them, or those
    /// of the family a `with_family` narrows the search to.
    fn searched_figures(
        &self,
        searched: &[expr::Searched],
        name: &str,
        group: &Option<String>,
        span: Span,
    ) -> Vec<Span> {
        let families: Vec<Option<String>> = searched
            .iter()
            .filter(|s| s.name == name && &s.group == group)
            .map(|s| match &s.family {
                Some(e) => match expr::eval(e, self) {
                    Ok(Value::Text(family)) => Some(family),
                    _ => None,
                },
                None => None,
            })
            .collect();
        let narrowed = families.iter().all(Option::is_some);
        self.analysis
            .quantities
            .iter()
            .filter(|q| span.contains(q.span))
            .filter(|q| {
                !narrowed
                    || families
                        .iter()
                        .flatten()
                        .any(|f| q.unit.as_ref().is_some_and(|u| *u.family == **f))
            })
            .map(|q| q.span)
            .collect()
    }

    fn render(&self, template: &Template) -> String {
        render(template, &self.rule.assert, self)
    }
}

impl Env for BindingEnv<'_> {
    fn fact(&self, name: &str, group: Option<&str>) -> Option<Value> {
        match self.capture(name, group)? {
            Capture::Whole(span) => Some(Value::Text(self.text(span).to_string())),
            Capture::Group(g, span) => match g.kind {
                GroupKind::List => {
                    let (_, items) = split_list(&self.analysis.view.text, span);
                    Some(Value::List(
                        items
                            .iter()
                            .map(|s| expr::Item::words(self.text(*s)))
                            .collect(),
                    ))
                }
                GroupKind::Figures => Some(Value::List(
                    split_figures(&self.analysis.view.text, span)
                        .into_iter()
                        .map(|s| self.figure_item(s))
                        .collect(),
                )),
                GroupKind::Figure => {
                    let written = self.text(span).trim();
                    let value = match self.analysis.quantity_at(span) {
                        Some(q) => q.value,
                        None => self.recognizer.parse_figure(written)?.value,
                    };
                    Some(Value::Num(expr::Num {
                        value,
                        written: Some(written.to_string()),
                    }))
                }
                GroupKind::Text => Some(Value::Text(self.text(span).to_string())),
            },
        }
    }

    fn figures(&self, name: &str, group: Option<&str>) -> Option<Vec<expr::Item>> {
        let span = match self.capture(name, group)? {
            Capture::Group(_, span) | Capture::Whole(span) => span,
        };
        Some(
            self.analysis
                .quantities
                .iter()
                .filter(|q| span.contains(q.span))
                .map(|q| expr::Item {
                    text: self.text(q.span).to_string(),
                    value: Some(q.value),
                    family: q.unit.as_ref().map(|u| u.family.to_string()),
                    joined: false,
                })
                .collect(),
        )
    }

    fn figure(&self, name: &str, group: Option<&str>) -> Option<FigureInfo> {
        let Capture::Group(_, span) = self.capture(name, group)? else {
            return None;
        };
        let written = self.text(span).trim();
        match self.analysis.quantity_at(span) {
            Some(q) => Some(FigureInfo {
                kind: kind_name(q.kind),
                family: q.unit.as_ref().map(|u| u.family.to_string()),
                unit: q.unit.as_ref().map(|u| u.text.to_string()),
                malformed: q.malformed.map(|m| format!("{m:?}")),
                approximate: q.value.as_exact().is_none(),
                date: q.date.map(|d| self.analysis.dated(q, d)),
                ..FigureInfo::default()
            }),
            None => self.recognizer.parse_figure(written).map(|f| FigureInfo {
                kind: None,
                family: None,
                unit: None,
                malformed: f.malformed.map(|m| format!("{m:?}")),
                approximate: f.value.as_exact().is_none(),
                ..FigureInfo::default()
            }),
        }
    }
}

/// A message or help template rendered with the values of one binding: a fact is the figure as
/// written, `{relation}` the comparison that failed.
pub(crate) fn render(template: &Template, assert: &expr::Expr, env: &dyn Env) -> String {
    let mut out = String::new();
    for piece in &template.pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            // Only a definite failure has arithmetic to show; drop the colon that led to it.
            Piece::Relation => match expr::explain_failure(assert, env) {
                Some(relation) => out.push_str(&relation),
                None => {
                    let trimmed = out.trim_end_matches(['：', ':', '，', ' ']).len();
                    out.truncate(trimmed);
                }
            },
            // Texts and lists are spliced in bare: the template supplies any quotes.
            Piece::Expr(e) => match expr::eval(e, env) {
                Ok(Value::Text(text)) => out.push_str(&text),
                Ok(Value::List(items)) => out.push_str(
                    &items
                        .iter()
                        .map(|i| i.text.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
                Ok(value) => out.push_str(&expr::render_value_in(&value, assert, env)),
                Err(_) => out.push('?'),
            },
        }
    }
    out
}
