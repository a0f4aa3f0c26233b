//! Reading each figure: its role, direction, measure and period from the words around it
//! ([`super::phrase`]); then the links between statements ([`super::links`]) and the lists and
//! `分别` groups ([`super::lists`]).

use super::clauses::{Layout, PartKind};
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
    /// The near phrase opens with a share marker (`占比27.2%`, `占全部刑事案件的40%`): the share
    /// is of the figure before it, not of words of its own (`12条重点产业链项目占比达84.4%`).
    pub share_marker_first: bool,
    /// Qualifiers read after the figure (`3人当场死亡`): the figure's own, not carried to the
    /// figures after it in the clause as the words before it are.
    pub after_qualifiers: Vec<Qualifier>,
    /// The figure stands in a parenthesis that holds nothing but figures (`（6男2女）`).
    pub note_only_figures: bool,
    /// For a share, the words between `占` and the figure that name its whole (`全疆装机`).
    pub whole_words: String,
    /// What those words count, read as a measure (`全部电诈警情`: 警情, 电诈), when they name an
    /// object: the share's whole may be an aggregate stated earlier.
    pub whole_measure: Option<WholeMeasure>,
    /// The words of its clause between the figure before it (or the clause start) and the
    /// figure, `、` included (`其中以调解、撤诉方式结案`): where a rate's terms are looked for.
    pub lead: Box<str>,
    /// The figure's value, for links that must not tie a whole smaller than its part.
    pub value: Option<crate::interval::Interval>,
    /// A share stated with the verb `占` right before it (`女性占55.3%`), not with a noun
    /// (`占比`, `比例`): such shares side by side describe one whole's make-up.
    pub share_verb: bool,
    /// A change that cannot be recomputed from the figures beside it: an average over years
    /// (`年均增长6.5%`) or one in real terms (`地区生产总值…增长33.6%`).
    pub not_nominal: bool,
}

/// Quantity kinds that are statements; dates only set periods.
fn is_statement_kind(kind: Kind) -> bool {
    !matches!(kind, Kind::Date)
}

/// A figure that opens a quotation (`稳住经济增长“20条”`, `“三个作用”`, `“八个振兴”`) names a
/// thing, a policy or a slogan; it does not count one.
fn is_quoted_name(text: &str, span: Span) -> bool {
    let before = text[..span.start].chars().next_back();
    if !matches!(before, Some('“' | '"' | '「' | '‘')) {
        return false;
    }
    // The quotation closes soon after, without a pause: a name, not a quoted sentence.
    text[span.end..]
        .chars()
        .take(MAX_QUOTED_NAME)
        .take_while(|c| !"，。；：,;:".contains(*c))
        .any(|c| matches!(c, '”' | '"' | '」' | '’'))
}

/// The most characters after a figure before the quotation it opens closes, for a name.
const MAX_QUOTED_NAME: usize = 10;
/// The unit family of percentages (`rules/lexicon.toml`): a rate measures things of any family.
const RATE_FAMILY: &str = "percent";

pub(super) fn build(
    text: &str,
    paragraphs: &[Span],
    title: Option<Span>,
    quantities: &[Quantity],
    lexicon: &Lexicon,
    recognizer: &crate::recognize::Recognizer,
) -> Statements {
    let layout = Layout::new(text, paragraphs, title);
    let figures = figures_by_clause(&layout, quantities);
    let mut statements = Vec::new();
    let mut readings = Vec::new();
    let mut periods = PeriodTracker::default();
    for (q, clause) in &figures {
        let quantity = &quantities[*q];
        periods.advance(
            text,
            &layout,
            *clause,
            quantity.span.start,
            quantities,
            lexicon,
        );
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
        let glued = statements.last().is_some_and(|p: &Statement| {
            p.span.end == statement.span.start && p.clause == statement.clause
        });
        if let (Some(previous), true) = (statements.last(), reading.enumerated || glued) {
            let previous: &Statement = previous;
            if previous.clause == statement.clause && previous.kind == statement.kind {
                statement.role = previous.role;
                statement.direction = previous.direction;
                statement.change_word = previous.change_word.clone();
            }
            // `受灾人口20480户44365人`: a figure right after another, nothing between, counts
            // the same thing in another unit.
            if previous.clause == statement.clause
                && previous.span.end == statement.span.start
                && !statement.measure.is_named()
            {
                let family = statement.measure.family.clone();
                statement.measure = Measure {
                    family,
                    ..previous.measure.clone()
                };
            }
            // `青海省海东市18人遇难、198人受伤`: the place before the first holds for the second.
            // Not the words after it, which are its own (`3人当场死亡、4人受伤`).
            if previous.clause == statement.clause
                && statement.measure.subject.is_empty()
                && statement.measure.qualifiers.is_empty()
            {
                let own = readings
                    .last()
                    .map_or(&[][..], |r: &Reading| &r.after_qualifiers);
                statement.measure.subject = previous.measure.subject.clone();
                statement.measure.qualifiers = previous
                    .measure
                    .qualifiers
                    .iter()
                    .filter(|q| !own.contains(q))
                    .cloned()
                    .collect();
            }
        }
        statements.push(statement);
        readings.push(reading);
    }
    set_frames(&mut statements, &layout, text, quantities, lexicon);
    carry_topics(&mut statements, &layout);
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
    let respective = super::lists::find(&mut result, &mut readings, text, quantities, lexicon);
    super::links::link(&mut result, &readings, &respective);
    super::ratios::rates(&mut result, &readings, lexicon);
    super::ratios::averages(&mut result, &readings, lexicon, recognizer);
    super::lists::link_respectively(&mut result);
    super::links::restatements(&mut result, lexicon, text);
    result
}

/// `最高人民法院收案21081件，结案17855件`: who or where the first figure of a sentence speaks of
/// (its subject) holds for the figures after it in the sentence that name none.
fn carry_topics(statements: &mut [Statement], layout: &Layout) {
    let mut topic: Option<(usize, Vec<Qualifier>)> = None;
    for s in statements.iter_mut() {
        let sentence = layout.clauses[s.clause].sentence;
        if topic.as_ref().is_none_or(|(t, _)| *t != sentence) {
            topic = Some((sentence, s.measure.subject.clone()));
        }
        if let Some((_, subject)) = &mut topic {
            if subject.is_empty() {
                *subject = s.measure.subject.clone();
            }
            s.topic = if s.measure.subject.is_empty() {
                subject.clone()
            } else {
                s.measure.subject.clone()
            };
        }
    }
}

/// The frame of each statement: the words of the clauses without figures that open its
/// sentence, periods and fillers left out.
fn set_frames(
    statements: &mut [Statement],
    layout: &Layout,
    text: &str,
    quantities: &[Quantity],
    lexicon: &Lexicon,
) {
    let mut frames: Vec<Option<Vec<Qualifier>>> = vec![None; layout.sentences.len()];
    // The opening paragraph of the body sums up the bulletin: what its sentences open with
    // (`本报讯……记者从市公安局获悉，`, `全市公安机关深入开展“断卡”行动，`) frames the whole text,
    // not its own figures alone.
    let lead = layout
        .paragraphs
        .iter()
        .position(|p| p.part == PartKind::Body);
    for s in statements.iter_mut() {
        let sentence = layout.clauses[s.clause].sentence;
        if Some(layout.sentences[sentence].paragraph) == lead {
            s.frame = Vec::new();
            continue;
        }
        let frame = frames[sentence]
            .get_or_insert_with(|| sentence_frame(layout, sentence, text, quantities, lexicon));
        s.frame = frame.clone();
    }
}

fn sentence_frame(
    layout: &Layout,
    sentence: usize,
    text: &str,
    quantities: &[Quantity],
    lexicon: &Lexicon,
) -> Vec<Qualifier> {
    let mut frame = Vec::new();
    for c in layout.sentences[sentence].clauses.clone() {
        let clause = &layout.clauses[c];
        if clause.note_of.is_some() {
            continue;
        }
        let has_figure = quantities
            .iter()
            .any(|q| q.kind != Kind::Date && clause.span.contains(q.span));
        if has_figure {
            break;
        }
        let mut words = String::new();
        let mut at = clause.span.start;
        for q in quantities.iter().filter(|q| clause.span.contains(q.span)) {
            words.push_str(&text[at..q.span.start]);
            at = q.span.end;
        }
        words.push_str(&text[at..clause.span.end]);
        let phrase = Phrase::read(lexicon, words);
        for token in &phrase.tokens {
            match token {
                Token::Other(s, e) => frame.push(Qualifier::Text(phrase.other(*s, *e).into())),
                Token::Word(w) if w.period.is_none() => {
                    if let Some(q) = w.qualifier {
                        frame.push(Qualifier::Known(q));
                    }
                }
                Token::Word(_) => {}
            }
        }
    }
    frame
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

/// The period in force at each figure: the last period word or date before it in its
/// sentence, else the one an earlier sentence of its paragraph opened with. A word that names
/// the period compared with (`去年同期`) sets the period only as a frame of its own
/// (`去年同期，…`): in `由去年同期的240起下降至180起` the 180起 is of this year.
#[derive(Default)]
struct PeriodTracker {
    sentence: Option<usize>,
    paragraph: Option<usize>,
    in_paragraph: Option<Period>,
    in_sentence: Option<Period>,
    /// The period the current sentence set in its first clause: it carries to the next.
    opening: Option<Period>,
    /// The last date read, to join it with the next into a range.
    last_date: Option<Span>,
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
            self.opening = None;
            self.sentence = None;
        }
        if self.sentence != Some(sentence) {
            if self.opening.is_some() {
                self.in_paragraph = self.opening.take();
            }
            self.in_sentence = None;
            self.sentence = Some(sentence);
            self.scanned_to = layout.sentences[sentence].span.start;
        }
        if at <= self.scanned_to {
            return;
        }
        let first_clause = layout.sentences[sentence].clauses.start;
        let first_end = layout.clauses[first_clause].span.end;
        let first = quantities.partition_point(|q| q.span.start < self.scanned_to);
        let mut dates = quantities[first..]
            .iter()
            .take_while(|q| q.span.start < at)
            .filter(|q| q.kind == Kind::Date && q.span.end <= at)
            .peekable();
        let mut from = self.scanned_to;
        // Words between dates, then each date, in reading order.
        loop {
            let next_date = dates.peek().map(|q| q.span);
            let upto = next_date.map_or(at, |d| d.start);
            for found in lexicon.find(&text[from..upto]) {
                let Some(p) = found.word.period else { continue };
                let position = from + found.start;
                if (found.word.markers.contains(Marker::Base) && !is_frame(text, layout, position))
                    || in_note(layout, position)
                {
                    continue;
                }
                self.set(Period::Named(p), position < first_end);
            }
            let Some(date) = next_date else { break };
            // `环比上升8.5%（9月份1250起）`: a note's date is the note's own.
            if !in_note(layout, date.start) {
                // `今年1月至10月`: a range of dates is one period.
                let range_start = self
                    .last_date
                    .filter(|d| is_range_join(&text[d.end..date.start]))
                    .map_or(date.start, |d| d.start);
                self.set(
                    Period::Date(text[range_start..date.end].into()),
                    date.start < first_end,
                );
                self.last_date = Some(Span::new(range_start, date.end));
            }
            from = date.end;
            dates.next();
        }
        self.scanned_to = at;
    }

    fn set(&mut self, period: Period, opening: bool) {
        if opening {
            self.opening = Some(period.clone());
        }
        self.in_sentence = Some(period);
    }

    fn current(&self) -> Option<Period> {
        self.in_sentence
            .clone()
            .or_else(|| self.in_paragraph.clone())
    }
}

/// Whether the text between two dates joins them into a range: `至`, `到`, a dash.
fn is_range_join(between: &str) -> bool {
    matches!(
        between.trim(),
        "至" | "到" | "-" | "—" | "–" | "～" | "~" | "——"
    )
}

/// Whether `position` lies in a parenthesis.
fn in_note(layout: &Layout, position: usize) -> bool {
    layout
        .clauses
        .iter()
        .any(|c| c.note_of.is_some() && c.span.start <= position && position < c.span.end)
}

/// Whether the word at `position` opens a clause of its own with no figure in it: `去年同期，`.
fn is_frame(text: &str, layout: &Layout, position: usize) -> bool {
    layout.clauses.iter().any(|c| {
        c.span.start <= position
            && position < c.span.end
            && text[c.span.range()]
                .chars()
                .all(|ch| !ch.is_ascii_digit() && !"０１２３４５６７８９".contains(ch))
    })
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

    /// [`Self::clause_text`] with the dates left out: they are periods, not words of the phrase
    /// (`由2022年底的1862名`).
    fn clause_text_without_dates(&self, clause: usize, from: usize, to: usize) -> String {
        let mut out = String::new();
        let mut at = from;
        let first = self.quantities.partition_point(|q| q.span.start < from);
        for q in self.quantities[first..]
            .iter()
            .take_while(|q| q.span.start < to)
            .filter(|q| q.kind == Kind::Date && q.span.end <= to)
        {
            out.push_str(&self.clause_text(clause, at, q.span.start));
            at = q.span.end;
        }
        out.push_str(&self.clause_text(clause, at, to));
        out
    }

    /// Where the near phrase of the figure at `q` starts: after the previous figure of its
    /// clause (dates and lengths of time are not figures of their own: `提高到2025年的7.4万元`, `五年以上有期徒刑`), the last `、` before
    /// it, or the clause start.
    fn near_start(&self, q: usize, clause: usize) -> usize {
        let span = self.quantities[q].span;
        let clause_span = self.layout.clauses[clause].span;
        let previous = self.previous_figure_end(q, clause);
        let enumeration = self.text[previous..span.start]
            .rfind('、')
            .map(|i| previous + i + '、'.len_utf8());
        enumeration.unwrap_or(previous).max(clause_span.start)
    }

    /// A date, or a bounded length of time that describes the noun after it (`五年以上有期徒刑`):
    /// it tells when or what kind, so the phrase of the figure after it runs back over it to
    /// the words before. A length that opens a clause (`去年前11个月`) still ends the phrase.
    fn is_time(&self, q: usize) -> bool {
        let quantity = &self.quantities[q];
        let bounded_length = quantity.unit.as_ref().is_some_and(|u| {
            matches!(
                &*u.family,
                "year" | "month" | "day" | "week" | "hour" | "minute"
            )
        }) && ["以上", "以下", "以内"]
            .iter()
            .any(|b| self.text[quantity.span.range()].ends_with(b));
        quantity.kind == Kind::Date || bounded_length
    }

    /// Where the figure before `q` in its clause ends (dates and bounded lengths of time are
    /// not figures of their own), or the clause start.
    fn previous_figure_end(&self, q: usize, clause: usize) -> usize {
        let span = self.quantities[q].span;
        self.figures
            .iter()
            .rev()
            .filter(|(p, c)| *c == clause && *p < q && !self.is_time(*p))
            .map(|(p, _)| self.quantities[*p].span.end)
            .find(|end| *end <= span.start)
            .unwrap_or(self.layout.clauses[clause].span.start)
    }

    /// The clause's words from the figure before `q` (not a date nor a length of time) or the
    /// clause start to `q`.
    fn lead(&self, q: usize, clause: usize) -> String {
        let span = self.quantities[q].span;
        let clause_span = self.layout.clauses[clause].span;
        let previous = self.previous_figure_end(q, clause);
        self.clause_text(clause, previous.max(clause_span.start), span.start)
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
            self.clause_text_without_dates(clause, near_start, quantity.span.start),
        );
        let right = Phrase::read(
            self.lexicon,
            self.clause_text(clause, quantity.span.end, self.right_end(q, clause)),
        );
        let clause_left = Phrase::read(
            self.lexicon,
            self.clause_text_without_dates(clause, clause_span.start, quantity.span.start),
        );
        let family = quantity.unit.as_ref().map(|u| u.family.clone());
        let share_governs = self.share_marker_governs(clause, q);
        let (mut role, direction, change_to) =
            self.role(quantity.kind, &near, &clause_left, share_governs);
        // `其中涉民营企业的18.4万件，近三成`: a percent that is a clause by itself, after the
        // clause of a value, is that value's share.
        let bare_share = role == Role::Total
            && quantity.kind == Kind::Percent
            && self.layout.clauses[clause].note_of.is_none()
            && near.text.trim().is_empty()
            && right.text.trim().is_empty()
            && clause > 0
            && self.layout.clauses[clause - 1].sentence == self.layout.clauses[clause].sentence;
        if bare_share {
            role = Role::Share;
        }
        let from = role == Role::Base && starts_from(&clause_left);
        let near_follows_figure = self
            .quantities
            .iter()
            .any(|other| other.span.end == near_start && near_start > clause_span.start);
        let (mut measure, after_qualifiers) =
            self.measure(&near, &right, family.as_deref(), near_follows_figure);
        measure.family = family;
        if role == Role::Rate {
            measure.rate = near.rate_name(self.lexicon.rate_suffix).map(Into::into);
        }
        let near_markers = markers_of(&near);
        let mut period = period;
        if let Some(host) = self.layout.clauses[clause].note_of {
            if let Some(own) = self.note_period(clause, quantity.span.start) {
                period = Some(own);
            }
            // `环比上升8.5%（9月份1250起）`, `同比下降12%（去年同期1020起）`: a value in a note
            // after a change is the value compared with.
            if role == Role::Total
                && is_value(quantity.kind)
                && self.change_before_note(host, clause)
            {
                role = Role::Base;
            }
        }
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
            && near_start > clause_span.start
            && self.text[clause_span.start..near_start].ends_with('、');
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
            direction: direction.or(change_to),
            change_word: near
                .last_change()
                .filter(|_| direction.is_some() || change_to.is_some())
                .and_then(|(i, _, _)| match near.tokens[i] {
                    Token::Word(w) => Some(w.text.clone()),
                    Token::Other(..) => None,
                }),
            measure,
            period,
            frame: Vec::new(),
            topic: Vec::new(),
            quoted: is_quoted_name(self.text, quantity.span),
            attributive: right.text.starts_with('的'),
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
            whole_words: words_after_marker(&near, Marker::Share),
            whole_measure: whole_measure(self.lexicon, &words_after_marker(&near, Marker::Share)),
            note_only_figures: self.layout.clauses[clause].note_of.is_some()
                && self.only_figures(clause),
            share_marker_first: bare_share
                || matches!(near.first_meaningful(), Some((_, Token::Word(w))) if w.markers.contains(Marker::Share)),
            share_verb: matches!(near.head(), Some((_, Token::Word(w))) if w.text.starts_with('占') && &*w.text != "占比"),
            not_nominal: near.has_marker(Marker::Average)
                || self.sentence_has(clause, quantity.span.start, Marker::RealTerms),
            after_qualifiers,
            lead: self.lead(q, clause).into(),
            value: Some(quantity.value),
        };
        (statement, reading)
    }

    /// Whether a clause holds nothing but figures and separators.
    fn only_figures(&self, clause: usize) -> bool {
        let span = self.layout.clauses[clause].span;
        let mut rest = String::new();
        let mut at = span.start;
        for q in self.quantities.iter().filter(|q| span.contains(q.span)) {
            rest.push_str(&self.text[at..q.span.start]);
            at = q.span.end;
        }
        rest.push_str(&self.text[at..span.end]);
        rest.chars().all(|c| "、，, 和".contains(c))
    }

    /// Whether a share marker earlier in the figure's clause speaks of it: `占同期刑事案件破案
    /// 总数300起的45%` (only values between), not `占全国九成以上、就地转化率达45%` (another
    /// share between).
    fn share_marker_governs(&self, clause: usize, q: usize) -> bool {
        let quantity = &self.quantities[q];
        let span = self.layout.clauses[clause].span;
        let Some(marker) = self
            .lexicon
            .find(&self.text[span.start..quantity.span.start.max(span.start)])
            .filter(|f| f.word.markers.contains(Marker::Share))
            .map(|f| span.start + f.end)
            .last()
        else {
            return false;
        };
        !self.quantities.iter().any(|other| {
            other.span.start >= marker
                && other.span.end <= quantity.span.start
                && matches!(
                    other.kind,
                    Kind::Percent | Kind::PercentagePoint | Kind::Fraction
                )
        })
    }

    /// The last date or period word in a note before `at`.
    fn note_period(&self, clause: usize, at: usize) -> Option<Period> {
        let span = self.layout.clauses[clause].span;
        let date = self
            .quantities
            .iter()
            .rfind(|q| q.kind == Kind::Date && span.start <= q.span.start && q.span.end <= at)
            .map(|q| (q.span.start, Period::Date(self.text[q.span.range()].into())));
        let word = self
            .lexicon
            .find(&self.text[span.start..at.max(span.start)])
            .filter_map(|f| {
                f.word
                    .period
                    .map(|p| (span.start + f.start, Period::Named(p)))
            })
            .last();
        match (date, word) {
            (Some(d), Some(w)) => Some(if d.0 > w.0 { d.1 } else { w.1 }),
            (d, w) => d.or(w).map(|x| x.1),
        }
    }

    /// Whether the host clause of a note states a change before the note opens.
    fn change_before_note(&self, host: usize, note_clause: usize) -> bool {
        let host_span = self.layout.clauses[host].span;
        let note_start = self.layout.clauses[note_clause].span.start;
        let before = self.clause_text(host, host_span.start, note_start.min(host_span.end));
        let phrase = Phrase::read(self.lexicon, before);
        phrase.words().any(|(_, w)| w.change.is_some())
    }

    /// Whether the sentence, up to `at`, has a word with `marker`.
    fn sentence_has(&self, clause: usize, at: usize, marker: Marker) -> bool {
        let sentence = &self.layout.sentences[self.layout.clauses[clause].sentence];
        let stretch = &self.text[sentence.span.start..at.max(sentence.span.start)];
        self.lexicon
            .find(stretch)
            .any(|f| f.word.markers.contains(marker))
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
        share_governs: bool,
    ) -> (Role, Option<Direction>, Option<Direction>) {
        let head = near.head().map(|(_, t)| t);
        let head_change = match head {
            Some(Token::Word(w)) => w.change,
            _ => None,
        };
        let head_marker = |m: Marker| matches!(head, Some(Token::Word(w)) if w.markers.contains(m));
        // `排名由369位上升到235位`: positions in a ranking, where up is fewer.
        if near.has_marker(Marker::Ranking)
            && !matches!(kind, Kind::Percent | Kind::PercentagePoint)
        {
            return (Role::Rank, None, None);
        }
        // `每10万人刑事立案158.5起`: a figure per so many of something.
        if per_figure(clause_left) {
            return (Role::Average, None, None);
        }
        // `下降至180起`, `提高至92.6%`: the new value of a change.
        let new_value = near
            .last_change()
            .filter(|(i, c, to)| *to && !c.noun && near.head().is_some_and(|(h, _)| h == *i));
        if kind != Kind::Ordinal
            && let Some((_, change, _)) = new_value
        {
            return (Role::Total, None, Some(change.direction));
        }
        let from = starts_from(clause_left);
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
                if from {
                    return (Role::Base, None, None);
                }
                if head_marker(Marker::Share) || near.has_marker(Marker::Share) || share_governs {
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
                if from {
                    return (Role::Base, None, None);
                }
                let change_after =
                    |marker: usize| near.last_change().is_some_and(|(i, _, _)| i > marker);
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
    fn measure(
        &self,
        near: &Phrase,
        right: &Phrase,
        family: Option<&str>,
        near_follows_figure: bool,
    ) -> (Measure, Vec<Qualifier>) {
        let mut measure = Measure::default();
        let mut after_figure = Vec::new();
        // `21人受伤2731间民房受损`, `3人当场死亡、4人受伤`: a verb that opens the near phrase
        // right after the figure before it (past its qualifiers) is that figure's, and so are
        // the words before it.
        let skip_first = if near_follows_figure {
            opening_verb_end(near)
        } else {
            0
        };
        let near_verb = near
            .words()
            .rev()
            .filter(|(i, _)| *i >= skip_first)
            .find(|(_, w)| w.verb.is_some() && w.change.is_none());
        // A verb right after the figure (`14人受伤`, `6人当场死亡`) says what happened to it; after
        // a causative verb or none, for people also a little further (`造成1名乘客当场死亡`).
        let causative = near_verb.is_none_or(|(_, w)| w.causative) && family == Some("person");
        let right_verb = verb_after(right, causative);
        let verb_at = near_verb.map(|(i, _)| i);
        // `三人重伤`: the verb word itself narrows what is counted (重伤: 受伤, seriously).
        let chosen = right_verb.or(near_verb.map(|(_, w)| w));
        if let Some(w) = chosen {
            measure.verb = w.verb;
            measure.object = w.object;
            if let Some(q) = w.qualifier {
                measure.qualifiers.push(Qualifier::Known(q));
                if right_verb.is_some() {
                    after_figure.push(Qualifier::Known(q));
                }
            }
        }
        let after_verb = verb_at.map_or(0, |i| i + 1);
        // `从开始的70人`, `由去年同期的240起`: the words after 由/从 say when, not what.
        let from_at = near.last_marker(Marker::From);
        let agrees = |o: u16| match (self.lexicon.object_family(o), family) {
            (Some(of), Some(f)) => of == f,
            _ => true,
        };
        for (i, token) in near.tokens.iter().enumerate() {
            match token {
                Token::Word(w) if i >= skip_first && (i >= after_verb || verb_at.is_none()) => {
                    if let Some(o) = w.object
                        && w.verb.is_none()
                    {
                        // `涉案的12名犯罪嫌疑人`: an object of another family is a qualifier.
                        if agrees(o) {
                            measure.object = Some(o);
                        } else {
                            measure.qualifiers.push(Qualifier::Text(w.text.clone()));
                        }
                    } else if let Some(q) = w.qualifier {
                        measure.qualifiers.push(Qualifier::Known(q));
                    }
                }
                Token::Other(s, e) => {
                    let text = near.other(*s, *e);
                    if is_rate_name(text, self.lexicon.rate_suffix)
                        || from_at.is_some_and(|f| i > f)
                    {
                        continue;
                    }
                    let q = Qualifier::Text(text.into());
                    if verb_at.is_some_and(|v| i < v) {
                        measure.subject.push(q);
                    } else {
                        measure.qualifiers.push(q);
                    }
                }
                Token::Word(w) if i >= skip_first => {
                    // `当场造成3人死亡` is `造成3人当场死亡`: before a causative verb, a known
                    // qualifier says how the people were befallen, not who did it — and how
                    // this figure's people were, not the next's (`、4人受伤`).
                    if let Some(q) = w.qualifier {
                        if near_verb.is_some_and(|(_, v)| v.causative) {
                            measure.qualifiers.push(Qualifier::Known(q));
                            after_figure.push(Qualifier::Known(q));
                        } else {
                            measure.subject.push(Qualifier::Known(q));
                        }
                    }
                }
                Token::Word(_) => {}
            }
        }
        // `1452起刑事案件`: an object right after the figure, counted in its family; the words
        // before it (or, with no object, before the verb or the end: `7名伤势较重`, `25名师生
        // 受伤`) narrow what is counted.
        let mut qualifiers = Vec::new();
        let mut object_found = false;
        for token in &right.tokens {
            match token {
                Token::Word(w) if w.object.is_some() && w.verb.is_none() => {
                    let o = w.object.unwrap_or_default();
                    if measure.object.is_none() && agrees(o) {
                        measure.object = Some(o);
                        object_found = true;
                    }
                    break;
                }
                Token::Word(w) if w.verb.is_some() || w.causative => break,
                Token::Word(w) if w.qualifier.is_some() => {
                    qualifiers.push(Qualifier::Known(w.qualifier.unwrap_or_default()));
                }
                Token::Other(s, e) => qualifiers.push(Qualifier::Text(right.other(*s, *e).into())),
                Token::Word(w) if Phrase::is_skippable(&Token::Word(w)) => {}
                Token::Word(_) => break,
            }
        }
        let right_words: usize = qualifiers
            .iter()
            .map(|q| match q {
                Qualifier::Text(t) => t.chars().count(),
                Qualifier::Known(_) => 0,
            })
            .sum();
        if object_found || right_words <= MAX_RIGHT_WORDS {
            after_figure.extend(qualifiers.iter().cloned());
            measure.qualifiers.append(&mut qualifiers);
        }
        // `电诈案件发案数`: with no object after the verb, the thing named right before it is what
        // the verb counts (案件 发案: cases occurring), of any family for a rate of change.
        if measure.object.is_none()
            && let Some(v) = verb_at.filter(|&v| v > 0)
            && let Token::Word(w) = &near.tokens[v - 1]
            && let Some(o) = w
                .object
                .filter(|&o| w.verb.is_none() && (agrees(o) || family == Some(RATE_FAMILY)))
        {
            measure.object = Some(o);
        }
        if measure.object.is_none()
            && let (Some(v), Some(f)) = (measure.verb, family)
        {
            measure.object = self.lexicon.default_object(v, f);
        }
        measure.qualifiers.sort();
        measure.qualifiers.dedup();
        (measure, after_figure)
    }
}

/// The object and known qualifiers a share's whole words name (`占全县警情总数的` → 警情), or
/// none when they name no object or hold words the lexicon does not know (`占全疆装机`):
/// unknown words narrow the whole in ways an earlier aggregate cannot be checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WholeMeasure {
    pub object: u16,
    pub qualifiers: Vec<Qualifier>,
}

fn whole_measure(lexicon: &Lexicon, words: &str) -> Option<WholeMeasure> {
    let words = words.trim_end_matches('的');
    if words.is_empty() {
        return None;
    }
    let phrase = Phrase::read(lexicon, words.to_string());
    let mut object = None;
    let mut qualifiers = Vec::new();
    for token in &phrase.tokens {
        match token {
            Token::Word(w) if w.object.is_some() && w.verb.is_none() => object = w.object,
            Token::Word(w) if w.qualifier.is_some() => {
                qualifiers.push(Qualifier::Known(w.qualifier.unwrap_or_default()));
            }
            Token::Word(w) if w.filler || w.markers.contains(Marker::Scope) => {}
            _ => return None,
        }
    }
    qualifiers.sort();
    object.map(|object| WholeMeasure { object, qualifiers })
}

/// Where the words of the figure before end in a phrase that follows it: after a verb that opens
/// the phrase past qualifiers only (`当场死亡、` before `4人受伤`); 0 when no verb opens it.
fn opening_verb_end(near: &Phrase) -> usize {
    for (i, token) in near.tokens.iter().enumerate() {
        match token {
            Token::Word(w) if w.verb.is_some() => return i + 1,
            Token::Word(w) if w.qualifier.is_some() && w.object.is_none() => {}
            _ => return 0,
        }
    }
    0
}

/// Whether the clause before the figure says `每` followed by a figure (`每10万人`): the figure
/// is a rate per that many, not a count.
fn per_figure(clause_left: &Phrase) -> bool {
    clause_left.tokens.iter().enumerate().any(|(i, t)| {
        matches!(t, Token::Word(w) if &*w.text == "每")
            && matches!(clause_left.tokens.get(i + 1), Some(Token::Other(s, _))
                if clause_left.text[*s..].starts_with(|c: char| c.is_ascii_digit() || "一二三四五六七八九十百千万两".contains(c)))
    })
}

/// The most characters of unknown words after a figure, with no object, read as narrowing
/// what it counts (`伤势较为严重`); more is the rest of a sentence.
const MAX_RIGHT_WORDS: usize = 8;

/// The most characters of unknown words between a figure and the verb after it that says what
/// happened to what it counts (`1名乘客当场死亡`, `13名女工被毒烟熏死`).
const MAX_RIGHT_VERB_GAP: usize = 6;

/// The verb after a figure that says what happened to what it counts: right after it (past
/// fillers and qualifiers: `6人当场死亡`), or, when `far`, past a few unknown words too.
fn verb_after<'l>(right: &Phrase<'l>, far: bool) -> Option<&'l super::lexicon::Word> {
    let mut gap = 0;
    for (i, token) in right.tokens.iter().enumerate() {
        match token {
            // `均因烟熏致死`: past a causative verb to what it caused.
            Token::Word(w) if w.causative => {}
            // `30多名住院治疗的中毒者情况较为稳定`: a verb before 的 and a noun of people
            // describes them (the figure counts 中毒者); `4人受伤的事故` still counts the injured.
            Token::Word(w) if w.verb.is_some() && w.change.is_none() => {
                let relative = matches!(right.tokens.get(i + 1), Some(Token::Word(n)) if &*n.text == "的")
                    && names_people(right, i + 2);
                return (!relative).then_some(*w);
            }
            Token::Word(w) if w.filler || w.qualifier.is_some() => {}
            Token::Word(w) if far && w.object.is_some() => gap += w.text.chars().count(),
            Token::Other(s, e) if far => gap += right.other(*s, *e).chars().count(),
            _ => return None,
        }
        if gap > MAX_RIGHT_VERB_GAP {
            return None;
        }
    }
    None
}

/// Whether the token at `at` names people: an object counted in persons, or unknown words
/// ending in `者`.
fn names_people(phrase: &Phrase, at: usize) -> bool {
    let lexicon = super::Lexicon::standard();
    match phrase.tokens.get(at) {
        Some(Token::Word(w)) => w
            .object
            .is_some_and(|o| lexicon.object_family(o) == Some("person")),
        Some(Token::Other(s, e)) => phrase.other(*s, *e).ends_with('者'),
        None => false,
    }
}

/// The most characters of other words between `由`/`从` and the figure it starts from
/// (`由上年729万人`, `由平均2900元`; dates are left out before).
const MAX_FROM_GAP: usize = 4;

/// Whether the clause, up to the figure, says the figure is where a change starts: `由`/`从`
/// with no change word, no verb and few other words after it (`从5方面提出了28个` is not).
fn starts_from(clause_left: &Phrase) -> bool {
    let Some(at) = clause_left.last_marker(Marker::From) else {
        return false;
    };
    let mut gap = 0;
    for token in &clause_left.tokens[at + 1..] {
        match token {
            Token::Word(w) if w.change.is_some() || (w.verb.is_some() && w.object.is_none()) => {
                return false;
            }
            Token::Word(_) => {}
            Token::Other(s, e) => {
                let words = clause_left.other(*s, *e);
                // `从5方面提出了28个`: a number the recognizer did not take is no measure word.
                if words.chars().any(|c| c.is_ascii_digit()) {
                    return false;
                }
                gap += words.chars().count();
            }
        }
    }
    gap <= MAX_FROM_GAP
}

/// The unknown words and objects after the last `marker` of a phrase, joined: what a share names
/// as its whole (`占全疆装机` → `全疆装机`).
fn words_after_marker(phrase: &Phrase, marker: Marker) -> String {
    let Some(at) = phrase.last_marker(marker) else {
        return String::new();
    };
    let mut out = String::new();
    for token in &phrase.tokens[at + 1..] {
        match token {
            Token::Other(s, e) => out.push_str(phrase.other(*s, *e)),
            Token::Word(w) if w.object.is_some() || w.qualifier.is_some() => out.push_str(&w.text),
            Token::Word(_) => {}
        }
    }
    out
}

/// Kinds that are values of something counted, not rates or positions.
fn is_value(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Percent | Kind::PercentagePoint | Kind::Ordinal | Kind::Date | Kind::Fraction
    )
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
