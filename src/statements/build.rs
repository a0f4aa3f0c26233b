//! Reading each figure: its role, direction, measure and period from the words around it
//! ([`super::phrase`]); then the links between statements ([`super::links`]) and the lists and
//! `分别` groups ([`super::lists`]).

use super::clauses::Layout;
use super::lexicon::{Direction, Lexicon, Marker, Markers};
use super::phrase::{Phrase, Token};
use super::{Measure, Period, Qualifier, Role, Statement, Statements};
use crate::recognize::{Kind, Quantity};
use crate::span::Span;

/// What the linking passes need to know of a statement beyond the statement itself: the
/// markers around it.
#[derive(Debug, Clone, Default)]
pub(super) struct Reading {
    /// Markers of the near phrase (back to the previous figure, `、` or the clause start).
    pub near: Markers,
    /// Markers of the clause before the figure (from the clause start).
    pub clause_left: Markers,
    /// Whether the figure is the first of its clause.
    pub first_in_clause: bool,
    /// `120起案件中，…`: the right phrase ends with an `among` marker.
    pub among: bool,
    /// `下降至180起`: the new value of a change stated before it in the clause.
    pub change_to: Option<Direction>,
    /// `由240起…`: the value a change starts from.
    pub from: bool,
    /// The statement's near phrase names nothing (`同比上升4.2%`, `增加30件`): its measure is
    /// taken from the statement it refers to.
    pub unnamed: bool,
    /// The figure follows `、` with nothing between: one of an enumeration of figures.
    pub enumerated: bool,
}

/// Quantity kinds that are statements; dates only set periods.
fn is_statement_kind(kind: Kind) -> bool {
    !matches!(kind, Kind::Date)
}

pub(super) fn build(
    text: &str,
    paragraphs: &[Span],
    title: Option<Span>,
    quantities: &[Quantity],
    lexicon: &Lexicon,
) -> Statements {
    let layout = Layout::new(text, paragraphs, title);
    let figures = figures_by_clause(&layout, quantities);
    let mut statements = Vec::new();
    let mut readings = Vec::new();
    let mut periods = PeriodTracker::default();
    for (q, clause) in &figures {
        let quantity = &quantities[*q];
        periods.advance(text, &layout, *clause, quantity.span.start, quantities, lexicon);
        if !is_statement_kind(quantity.kind) {
            continue;
        }
        let reader = FigureReader {
            text,
            layout: &layout,
            quantities,
            figures: &figures,
            lexicon,
        };
        let (mut statement, reading) = reader.read(*q, *clause, periods.current());
        // `下降38.2%、25%、23.5%`: a figure right after `、` with nothing before it shares the
        // role of the figure before it.
        if let (Some(previous), true) = (statements.last(), reading.enumerated) {
            let previous: &Statement = previous;
            if previous.clause == statement.clause && previous.kind == statement.kind {
                statement.role = previous.role;
                statement.direction = previous.direction;
            }
        }
        statements.push(statement);
        readings.push(reading);
    }
    let clause_markers = layout
        .clauses
        .iter()
        .enumerate()
        .map(|(c, clause)| {
            let mut markers = Markers::default();
            for piece in layout.clause_pieces(c, clause.span) {
                for found in lexicon.find(&text[piece.range()]) {
                    for m in found.word.markers.iter() {
                        markers.insert(m);
                    }
                }
            }
            markers
        })
        .collect();
    let mut result = Statements {
        clause_markers,
        layout,
        statements,
        enumerations: Vec::new(),
        respectively: Vec::new(),
    };
    super::links::link(&mut result, &readings, text, lexicon);
    super::lists::find(&mut result, &readings, text, quantities, lexicon);
    super::links::restatements(&mut result, lexicon);
    result
}

/// Every quantity with the clause it stands in (a figure inside a parenthesis belongs to the
/// note's clause), in reading order.
fn figures_by_clause(layout: &Layout, quantities: &[Quantity]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (c, clause) in layout.clauses.iter().enumerate() {
        for piece in layout.clause_pieces(c, clause.span) {
            let first = quantities.partition_point(|q| q.span.start < piece.start);
            for (i, q) in quantities.iter().enumerate().skip(first) {
                if q.span.start >= piece.end {
                    break;
                }
                if q.span.end <= piece.end {
                    out.push((i, c));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup_by_key(|(q, _)| *q);
    out
}

/// The period in force at each figure: the last period word or date before it in its sentence,
/// else the last one a sentence of its paragraph opened with.
#[derive(Default)]
struct PeriodTracker {
    sentence: Option<usize>,
    paragraph: Option<usize>,
    in_paragraph: Option<Period>,
    in_sentence: Option<Period>,
    scanned_to: usize,
}

impl PeriodTracker {
    fn advance(
        &mut self,
        text: &str,
        layout: &Layout,
        clause: usize,
        at: usize,
        quantities: &[Quantity],
        lexicon: &Lexicon,
    ) {
        let sentence = layout.clauses[clause].sentence;
        let paragraph = layout.sentences[sentence].paragraph;
        if self.paragraph != Some(paragraph) {
            self.paragraph = Some(paragraph);
            self.in_paragraph = None;
            self.in_sentence = None;
            self.sentence = None;
        }
        if self.sentence != Some(sentence) {
            // The period a sentence opened with holds for the sentences after it.
            if self.in_sentence.is_some() {
                self.in_paragraph = self.in_sentence.take();
            }
            self.sentence = Some(sentence);
            self.scanned_to = layout.sentences[sentence].span.start;
        }
        if at <= self.scanned_to {
            return;
        }
        let stretch = &text[self.scanned_to..at];
        for found in lexicon.find(stretch) {
            if let Some(p) = found.word.period {
                self.in_sentence = Some(Period::Named(p));
            }
        }
        let first = quantities.partition_point(|q| q.span.start < self.scanned_to);
        for q in &quantities[first..] {
            if q.span.start >= at {
                break;
            }
            if q.kind == Kind::Date && q.span.end <= at {
                self.in_sentence = Some(Period::Date(text[q.span.range()].into()));
            }
        }
        self.scanned_to = at;
    }

    fn current(&self) -> Option<Period> {
        self.in_sentence.clone().or_else(|| self.in_paragraph.clone())
    }
}

struct FigureReader<'a> {
    text: &'a str,
    layout: &'a Layout,
    quantities: &'a [Quantity],
    figures: &'a [(usize, usize)],
    lexicon: &'a Lexicon,
}

impl FigureReader<'_> {
    /// The text of `clause` between `from` and `to`, notes left out.
    fn clause_text(&self, clause: usize, from: usize, to: usize) -> String {
        let mut out = String::new();
        if from >= to {
            return out;
        }
        for piece in self.layout.clause_pieces(clause, Span::new(from, to)) {
            out.push_str(&self.text[piece.range()]);
        }
        out
    }

    /// Where the near phrase of the figure at `q` starts: after the previous figure of its
    /// clause, the last `、` before it, or the clause start.
    fn near_start(&self, q: usize, clause: usize) -> usize {
        let span = self.quantities[q].span;
        let clause_span = self.layout.clauses[clause].span;
        let previous = self
            .figures
            .iter()
            .rev()
            .filter(|(p, c)| *c == clause && *p < q)
            .map(|(p, _)| self.quantities[*p].span.end)
            .find(|end| *end <= span.start)
            .unwrap_or(clause_span.start);
        let enumeration = self.text[previous..span.start]
            .rfind('、')
            .map(|i| previous + i + '、'.len_utf8());
        enumeration.unwrap_or(previous).max(clause_span.start)
    }

    /// Where the right phrase of the figure at `q` ends: at the next figure of its clause, the
    /// next `、`, or the clause end.
    fn right_end(&self, q: usize, clause: usize) -> usize {
        let span = self.quantities[q].span;
        let clause_span = self.layout.clauses[clause].span;
        let next = self
            .figures
            .iter()
            .filter(|(p, c)| *c == clause && *p > q)
            .map(|(p, _)| self.quantities[*p].span.start)
            .find(|start| *start >= span.end)
            .unwrap_or(clause_span.end);
        let enumeration = self.text[span.end..next].find('、').map(|i| span.end + i);
        enumeration.unwrap_or(next)
    }

    fn read(&self, q: usize, clause: usize, period: Option<Period>) -> (Statement, Reading) {
        let quantity = &self.quantities[q];
        let clause_span = self.layout.clauses[clause].span;
        let near_start = self.near_start(q, clause);
        let near = Phrase::read(
            self.lexicon,
            self.clause_text(clause, near_start, quantity.span.start),
        );
        let right = Phrase::read(
            self.lexicon,
            self.clause_text(clause, quantity.span.end, self.right_end(q, clause)),
        );
        let clause_left = Phrase::read(
            self.lexicon,
            self.clause_text(clause, clause_span.start, quantity.span.start),
        );
        let family = quantity.unit.as_ref().map(|u| u.family.clone());
        let (role, direction, change_to) = self.role(quantity.kind, &near, &clause_left);
        let from = role == Role::Base && near.has_marker(Marker::From);
        let mut measure = self.measure(&near, &right, family.as_deref());
        measure.family = family;
        if role == Role::Rate {
            measure.rate = near.rate_name(self.lexicon.rate_suffix).map(Into::into);
        }
        let near_markers = markers_of(&near);
        let mut period = period;
        if role == Role::Base
            && let Some(p) = near
                .words()
                .rev()
                .find_map(|(_, w)| w.period.filter(|_| w.markers.contains(Marker::Base)))
        {
            period = Some(Period::Named(p));
        }
        let aggregate = near_markers.contains(Marker::Sum)
            || clause_left.has_marker(Marker::Sum)
            || self.sentence_has_scope(clause, quantity.span.start);
        let unnamed = !measure.is_named();
        let enumerated = near.tokens.is_empty()
            && self.text[clause_span.start.max(near_start.saturating_sub(3))..near_start]
                .ends_with('、');
        let first_in_clause = !self
            .figures
            .iter()
            .any(|(p, c)| *c == clause && *p < q && self.quantities[*p].kind != Kind::Date);
        let statement = Statement {
            quantity: q,
            span: quantity.span,
            kind: quantity.kind,
            clause,
            role,
            direction,
            measure,
            period,
            aggregate,
            etc: false,
            complete: false,
            links: Vec::new(),
        };
        let reading = Reading {
            near: near_markers,
            clause_left: markers_of(&clause_left),
            first_in_clause,
            among: ends_with_among(&right),
            change_to,
            from,
            unnamed,
            enumerated,
        };
        (statement, reading)
    }

    /// Whether the sentence, up to the figure, names the bulletin's whole scope (`全市`,
    /// `今年以来`): its figures are aggregates.
    fn sentence_has_scope(&self, clause: usize, at: usize) -> bool {
        let sentence = &self.layout.sentences[self.layout.clauses[clause].sentence];
        let stretch = &self.text[sentence.span.start..at.max(sentence.span.start)];
        self.lexicon
            .find(stretch)
            .any(|f| f.word.markers.contains(Marker::Scope) || f.word.markers.contains(Marker::Sum))
    }

    /// The role of a figure of `kind` with the near phrase `near`, its direction for changes,
    /// and for a new value after a change verb (`下降至180起`) the direction of that change.
    fn role(
        &self,
        kind: Kind,
        near: &Phrase,
        clause_left: &Phrase,
    ) -> (Role, Option<Direction>, Option<Direction>) {
        let head = near.head().map(|(_, t)| t);
        let head_change = match head {
            Some(Token::Word(w)) => w.change,
            _ => None,
        };
        let head_marker = |m: Marker| matches!(head, Some(Token::Word(w)) if w.markers.contains(m));
        match kind {
            Kind::Ordinal => (Role::Rank, None, None),
            Kind::Percent | Kind::PercentagePoint | Kind::Fraction => {
                let points = kind == Kind::PercentagePoint;
                if let Some(change) = head_change {
                    let role = if points {
                        Role::ChangePoints
                    } else {
                        Role::ChangeRate
                    };
                    return (role, Some(change.direction), None);
                }
                if head_marker(Marker::Share)
                    || near.has_marker(Marker::Share)
                    || clause_left.has_marker(Marker::Share)
                {
                    return (Role::Share, None, None);
                }
                if near.rate_name(self.lexicon.rate_suffix).is_some() {
                    return (Role::Rate, None, None);
                }
                if near.has_marker(Marker::Average) {
                    return (Role::Average, None, None);
                }
                if points {
                    return (Role::ChangePoints, None, None);
                }
                (Role::Total, None, None)
            }
            _ => {
                if let Some(change) = head_change.filter(|c| !c.noun) {
                    return (Role::ChangeDiff, Some(change.direction), None);
                }
                if let Some((i, change, true)) = near.last_change() {
                    // `下降至180起`: the new value. A `由/从` before the change word makes the
                    // figure before it the old value, which is read on its own.
                    let _ = i;
                    return (Role::Total, None, Some(change.direction));
                }
                let change_after = |marker: usize| {
                    near.last_change()
                        .is_some_and(|(i, _, _)| i > marker)
                };
                if let Some(i) = near.last_marker(Marker::From)
                    && !change_after(i)
                {
                    return (Role::Base, None, None);
                }
                if let Some(i) = near.last_marker(Marker::Base)
                    && !change_after(i)
                {
                    return (Role::Base, None, None);
                }
                if head_marker(Marker::Each) {
                    return (Role::Each, None, None);
                }
                if near.has_marker(Marker::Average) {
                    return (Role::Average, None, None);
                }
                (Role::Total, None, None)
            }
        }
    }

    /// What the figure counts, from its near phrase (and the right phrase for `14人受伤` and
    /// `1452起刑事案件`).
    fn measure(&self, near: &Phrase, right: &Phrase, family: Option<&str>) -> Measure {
        let mut measure = Measure::default();
        // A verb right after the figure (`14人受伤`, `6人当场死亡`) says what happened to it.
        let right_verb = match right.first_meaningful() {
            Some((_, Token::Word(w))) if w.verb.is_some() && w.change.is_none() => Some(w),
            _ => None,
        };
        let near_verb = near
            .words()
            .rev()
            .find(|(_, w)| w.verb.is_some() && w.change.is_none());
        let verb_at = near_verb.map(|(i, _)| i);
        if let Some(w) = right_verb {
            measure.verb = w.verb;
            measure.object = w.object;
        } else if let Some((_, w)) = near_verb {
            measure.verb = w.verb;
            measure.object = w.object;
        }
        let after_verb = verb_at.map_or(0, |i| i + 1);
        for (i, token) in near.tokens.iter().enumerate() {
            match token {
                Token::Word(w) if i >= after_verb || verb_at.is_none() => {
                    if let Some(o) = w.object
                        && w.verb.is_none()
                    {
                        measure.object = Some(o);
                    } else if let Some(q) = w.qualifier {
                        measure.qualifiers.push(Qualifier::Known(q));
                    }
                }
                Token::Other(s, e) => {
                    let text = near.other(*s, *e);
                    if is_rate_name(text, self.lexicon.rate_suffix) {
                        continue;
                    }
                    let q = Qualifier::Text(text.into());
                    if verb_at.is_some_and(|v| i < v) {
                        measure.subject.push(q);
                    } else {
                        measure.qualifiers.push(q);
                    }
                }
                Token::Word(w) => {
                    if let Some(q) = w.qualifier {
                        measure.subject.push(Qualifier::Known(q));
                    }
                }
            }
        }
        if measure.object.is_none() {
            // `1452起刑事案件`: an object right after the figure, counted in its family.
            let mut qualifiers = Vec::new();
            for token in &right.tokens {
                match token {
                    Token::Word(w) if w.object.is_some() && w.verb.is_none() => {
                        let o = w.object.unwrap_or_default();
                        let agrees = match (self.lexicon.object_family(o), family) {
                            (Some(of), Some(f)) => of == f,
                            _ => true,
                        };
                        if agrees {
                            measure.object = Some(o);
                            measure.qualifiers.append(&mut qualifiers);
                        }
                        break;
                    }
                    Token::Word(w) if w.qualifier.is_some() => {
                        qualifiers.push(Qualifier::Known(w.qualifier.unwrap_or_default()));
                    }
                    Token::Other(s, e) => qualifiers.push(Qualifier::Text(right.other(*s, *e).into())),
                    Token::Word(w) if Phrase::is_skippable(&Token::Word(w)) => {}
                    Token::Word(_) => break,
                }
            }
        }
        if measure.object.is_none()
            && let (Some(v), Some(f)) = (measure.verb, family)
        {
            measure.object = self.lexicon.default_object(v, f);
        }
        measure.qualifiers.sort();
        measure.qualifiers.dedup();
        measure
    }
}

fn is_rate_name(text: &str, suffix: char) -> bool {
    text.ends_with(suffix)
}

fn markers_of(phrase: &Phrase) -> Markers {
    let mut markers = Markers::default();
    for (_, w) in phrase.words() {
        for m in w.markers.iter() {
            markers.insert(m);
        }
    }
    markers
}

/// `120起案件中，`, `34名伤者中有重伤…`: an `among` marker after the figure's object, at the
/// end of the right phrase or before `有` or a verb (not `中国`, `中心`: unknown text).
fn ends_with_among(right: &Phrase) -> bool {
    let tokens = &right.tokens;
    tokens.iter().enumerate().any(|(i, t)| {
        let Token::Word(w) = t else { return false };
        if !w.markers.contains(Marker::Among) || i == 0 {
            return false;
        }
        match tokens.get(i + 1) {
            None => true,
            Some(Token::Word(next)) => &*next.text == "有" || next.verb.is_some() || next.filler,
            Some(Token::Other(..)) => false,
        }
    })
}
