//! Links between statements: parts and their whole, the figures of a change, shares, and
//! restatements (a headline figure in the body, one figure stated twice).
//!
//! Every pass works within one sentence (a part introduced by `。其中，` reaches back into the
//! sentence before), so figures of different sentences are never tied by proximity alone.

use super::build::Reading;
use super::lexicon::{Direction, Lexicon, Marker};
use super::{Link, Measure, PartKind, Period, Role, Statement, Statements};
use crate::recognize::Kind;
use std::collections::HashSet;

/// `respective` says, per statement, whether it is a value of a `分别` group: such a value is
/// matched with its subject, never with the nearest figure.
pub(super) fn link(st: &mut Statements, readings: &[Reading], respective: &[bool]) {
    let sentences = sentence_ranges(st);
    for range in &sentences {
        parts(st, readings, range.clone(), &sentences);
    }
    for range in &sentences {
        changes(st, readings, respective, range.clone());
    }
    inherit_measures(st, readings);
    refinements(st);
    for range in &sentences {
        shares(st, readings, respective, range.clone());
    }
}

fn add_link(st: &mut Statements, from: usize, link: Link, to: usize) {
    let links = &mut st.statements[from].links;
    if !links.contains(&(link, to)) {
        links.push((link, to));
    }
}

/// The statements of each sentence, as index ranges (statements are in reading order).
fn sentence_ranges(st: &Statements) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut current: Option<usize> = None;
    for (i, s) in st.statements.iter().enumerate() {
        let sentence = st.layout.clauses[s.clause].sentence;
        if current == Some(sentence) {
            if let Some(last) = ranges.last_mut() {
                last.end = i + 1;
            }
        } else {
            ranges.push(i..i + 1);
            current = Some(sentence);
        }
    }
    ranges
}

fn is_value_kind(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Percent | Kind::PercentagePoint | Kind::Ordinal | Kind::Date | Kind::Fraction
    )
}

/// A length of time (`连续4年`, `历时22天`): never the part of a share.
fn is_duration(s: &Statement) -> bool {
    matches!(
        s.measure.family.as_deref(),
        Some("year" | "month" | "day" | "week" | "hour" | "minute" | "age")
    )
}

fn same_family(a: &Statement, b: &Statement) -> bool {
    match (&a.measure.family, &b.measure.family) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// An open breakdown: the whole, and whether its parts are all of it.
struct Group {
    whole: usize,
    complete: bool,
    /// Parts may name their own action: `120起案件中，已办结31起` (not after `其中`, where a
    /// new verb starts a new statement: `其中…，抓获犯罪嫌疑人76名`).
    any_verb: bool,
}

/// Whether the clause before statement `i`'s clause, in its sentence, is nothing but a part
/// marker (`其中，缅甸籍犯罪嫌疑人455名`) or a complete/include marker (`包括：`).
fn opened_by_marker_clause(
    st: &Statements,
    i: usize,
    text_markers: impl Fn(usize) -> bool,
) -> bool {
    let clause = st.statements[i].clause;
    clause > 0
        && st.layout.clauses[clause - 1].sentence == st.layout.clauses[clause].sentence
        && !st.statements.iter().any(|s| s.clause == clause - 1)
        && text_markers(clause - 1)
}

/// Parts and wholes of one sentence.
fn parts(
    st: &mut Statements,
    readings: &[Reading],
    range: std::ops::Range<usize>,
    sentences: &[std::ops::Range<usize>],
) {
    let mut group: Option<Group> = None;
    for i in range.clone() {
        let reading = &readings[i];
        let s = &st.statements[i];
        if !is_value_kind(st_kind(st, i)) || !matches!(s.role, Role::Total) {
            continue;
        }
        let marker_clause = |m: Marker| {
            opened_by_marker_clause(st, i, |c| clause_markers(st, c, m))
                || (reading.first_in_clause && reading.clause_left.contains(m))
        };
        let opens_part = reading.near.contains(Marker::Part) || marker_clause(Marker::Part);
        let opens_complete = reading.first_in_clause
            && (reading.near.contains(Marker::Complete) || marker_clause(Marker::Complete));
        let opens_include = reading.first_in_clause
            && (reading.near.contains(Marker::Include) || marker_clause(Marker::Include));
        if opens_part || opens_complete || opens_include {
            let whole = find_whole(st, i, range.start, sentences);
            group = whole.map(|w| Group {
                whole: w,
                complete: opens_complete,
                any_verb: false,
            });
            if let Some(g) = &group {
                make_part(st, i, g.whole);
            }
            continue;
        }
        if let Some(g) = &mut group {
            let whole = &st.statements[g.whole];
            let s = &st.statements[i];
            let first_part = st.statements[g.whole]
                .first_linked(Link::Parts)
                .map(|p| &st.statements[p]);
            // `其中重伤5人、轻伤16人`, `返还1.62亿元、冻结7200余万元`: parts joined by `、` in one
            // clause continue whatever their verbs; after a comma, a verb starts a statement
            // of its own.
            let last_part = st.statements[g.whole].linked(Link::Parts).last();
            let same_clause = last_part.is_some_and(|p| st.statements[p].clause == s.clause);
            let continues = same_family(whole, s)
                && (g.any_verb
                    || same_clause
                    || (s.measure.verb.is_none() && looks_parallel(s, first_part)))
                && !reading.near.contains(Marker::Sum);
            if continues {
                if reading.near.contains(Marker::Rest) {
                    g.complete = true;
                }
                let w = g.whole;
                make_part(st, i, w);
                continue;
            }
            group = None;
        }
        // `该团伙共有8人…击毙4名、击伤抓获1名，其余3名已落网`: `其余` closes a breakdown of the
        // first figure of its family in the sentence.
        if group.is_none() && reading.near.contains(Marker::Rest) {
            let s = &st.statements[i];
            let family_before: Vec<usize> = (range.start..i)
                .filter(|&p| {
                    same_family(&st.statements[p], s) && st.statements[p].role == Role::Total
                })
                .collect();
            if let Some((&whole, parts)) = family_before.split_first()
                && !parts.is_empty()
                && st.statements[whole].aggregate
                && st.statements[whole].links.is_empty()
                && parts.iter().all(|&p| st.statements[p].links.is_empty())
            {
                for &p in parts {
                    make_part(st, p, whole);
                }
                make_part(st, i, whole);
                mark_complete(st, whole);
                continue;
            }
        }
        // `27起、21起、13起，合计61起`: the total of the figures right before it;
        // `…，灾区总面积约9600平方公里`: a total that holds them and maybe more.
        let overall = reading.near.contains(Marker::Overall);
        if reading.first_in_clause
            && (reading.near.contains(Marker::Total) || overall)
            && !reading.near.contains(Marker::Respectively)
            && group.is_none()
            && names_little(&st.statements[i])
        {
            let before = summed_figures(st, i, range.start);
            if before.len() >= 2 {
                for p in before {
                    make_part(st, p, i);
                }
                if !overall {
                    mark_complete(st, i);
                }
            }
            continue;
        }
        // `38人死亡（四川32人，云南6人）`, `8人（6男2女）`: the figures of a parenthesis right after
        // a figure of their family, of its period, are its parts; all of it when the
        // parenthesis holds nothing but figures.
        if let Some(host) = note_host(st, i)
            && group.is_none()
        {
            let parts: Vec<usize> = (i..range.end)
                .take_while(|&p| {
                    st.layout.clauses[st.statements[p].clause].note_of
                        == st.layout.clauses[st.statements[i].clause].note_of
                })
                .filter(|&p| {
                    st.statements[p].role == Role::Total
                        && same_family(&st.statements[p], &st.statements[host])
                })
                .collect();
            if !parts.is_empty()
                && parts
                    .iter()
                    .all(|&p| st.statements[p].period == st.statements[host].period)
            {
                for &p in &parts {
                    make_part(st, p, host);
                }
                if parts.len() >= 2 && readings[i].note_only_figures {
                    mark_complete(st, host);
                }
                continue;
            }
        }
        // `120起案件中，已办结31起…`, `全年共发生案件100起：盗窃40起；…`: a whole for what follows.
        let clause = &st.layout.clauses[st.statements[i].clause];
        let last_of_clause = st
            .statements
            .get(i + 1)
            .is_none_or(|n| n.clause != st.statements[i].clause);
        if reading.among || (clause.separator == super::Separator::Colon && last_of_clause) {
            group = Some(Group {
                whole: i,
                complete: false,
                any_verb: true,
            });
        }
        if let Some(g) = &group
            && g.whole != i
            && !same_family(&st.statements[g.whole], &st.statements[i])
        {
            group = None;
        }
        finish_group(st, &group);
    }
    finish_group(st, &group);
}

fn finish_group(st: &mut Statements, group: &Option<Group>) {
    if let Some(g) = group
        && g.complete
    {
        mark_complete(st, g.whole);
    }
}

/// For the first statement of a parenthesis: the value it stands right after, of its family, that
/// is no part already.
fn note_host(st: &Statements, i: usize) -> Option<usize> {
    let s = &st.statements[i];
    let clause = &st.layout.clauses[s.clause];
    let host_clause = clause.note_of?;
    let first_of_note = i == 0 || st.statements[i - 1].clause != s.clause || {
        let prev = &st.layout.clauses[st.statements[i - 1].clause];
        prev.note_of != clause.note_of
    };
    if !first_of_note {
        return None;
    }
    let open = st.layout.clauses[host_clause]
        .notes
        .iter()
        .find(|n| n.contains(clause.span))?
        .start;
    let host = (0..i)
        .rev()
        .find(|&h| st.statements[h].clause == host_clause && st.statements[h].span.end <= open)?;
    let h = &st.statements[host];
    (h.span.end == open && h.role == Role::Total && h.links.is_empty() && same_family(h, s))
        .then_some(host)
}

/// Marks a whole whose parts are all of it (`分别为`, `其余`, `合计`).
fn mark_complete(st: &mut Statements, whole: usize) {
    st.statements[whole].complete = true;
}

/// Whether a statement names little beyond its figure (at most a few unknown characters): a
/// total of the figures before it (`合计61起`), or a part parallel to the one before.
fn names_little(s: &Statement) -> bool {
    let unknown: usize = s
        .measure
        .qualifiers
        .iter()
        .chain(&s.measure.subject)
        .map(|q| match q {
            super::Qualifier::Text(t) => t.chars().count(),
            super::Qualifier::Known(_) => 0,
        })
        .sum();
    s.measure.verb.is_none() && unknown <= MAX_PART_WORDS
}

/// The most unknown characters a part after a comma may have and still continue a breakdown
/// (`其中…，云南6人`, `网上在逃人员2908名`), unless it names the first part's object: more
/// is a statement of its own (`修复治理退化草原517万亩`).
const MAX_PART_WORDS: usize = 6;

/// Whether a statement continues a breakdown whose first part is `first`.
fn looks_parallel(s: &Statement, first: Option<&Statement>) -> bool {
    names_little(s)
        || first.is_some_and(|f| f.measure.object.is_some() && f.measure.object == s.measure.object)
}

/// The figures a `合计` sums: the values of the clauses right before statement `i` in its
/// sentence, of its unit family, not yet parts of anything.
fn summed_figures(st: &Statements, i: usize, sentence_start: usize) -> Vec<usize> {
    let s = &st.statements[i];
    let mut found = Vec::new();
    for p in (sentence_start..i).rev() {
        let q = &st.statements[p];
        let fits = q.role == Role::Total
            && q.links.is_empty()
            && same_family(q, s)
            && st.layout.clauses[q.clause].note_of.is_none();
        if !fits {
            break;
        }
        found.push(p);
    }
    found.reverse();
    found
}

fn clause_markers(st: &Statements, clause: usize, marker: Marker) -> bool {
    st.clause_markers[clause].contains(marker)
}

fn st_kind(st: &Statements, i: usize) -> Kind {
    st.statements[i].kind
}

fn make_part(st: &mut Statements, part: usize, whole: usize) {
    st.statements[part].role = Role::Part;
    add_link(st, part, Link::Whole, whole);
    add_link(st, whole, Link::Parts, part);
    // `34人受伤，其中重伤8人`: a part that names no verb or object counts what its whole counts.
    if st.statements[part].measure.verb.is_none() {
        st.statements[part].measure.verb = st.statements[whole].measure.verb;
    }
    if st.statements[part].measure.object.is_none() {
        st.statements[part].measure.object = st.statements[whole].measure.object;
    }
}

/// The whole a part introduced at statement `i` belongs to: the nearest statement before it of
/// the same unit family that is a value (not a change, a base or a share), in the sentence, or
/// — when the sentence opens with the marker — in the sentences before it in the paragraph.
fn find_whole(
    st: &Statements,
    i: usize,
    sentence_start: usize,
    sentences: &[std::ops::Range<usize>],
) -> Option<usize> {
    let s = &st.statements[i];
    let candidate = |p: usize| {
        let q = &st.statements[p];
        matches!(q.role, Role::Total | Role::Part)
            && same_family(q, s)
            && is_value_kind(st.statements[p].kind)
    };
    if let Some(p) = (sentence_start..i).rev().find(|&p| candidate(p)) {
        return Some(p);
    }
    // `。其中，…`: the sentence before, in the same paragraph, when the part opens its sentence.
    let sentence = &st.layout.sentences[st.layout.clauses[s.clause].sentence];
    let opening = s.clause <= sentence.clauses.start + 1;
    if !opening {
        return None;
    }
    let paragraph = st.layout.paragraph_of_clause(s.clause);
    let at = sentences.iter().position(|r| r.start == sentence_start)?;
    let previous = sentences.get(at.checked_sub(1)?)?;
    let first = &st.statements[previous.start];
    if st.layout.paragraph_of_clause(first.clause) != paragraph {
        return None;
    }
    previous.clone().rev().find(|&p| candidate(p))
}

/// One change of one sentence: the figures of both periods, the difference and the rate.
#[derive(Default, Debug, Clone)]
struct ChangeGroup {
    current: Option<usize>,
    base: Option<usize>,
    diff: Option<usize>,
    rate: Option<usize>,
    points: Option<usize>,
    /// The values are percentages (`由85.3%提高至92.6%`): a change in points, not in percent.
    percent: bool,
}

impl ChangeGroup {
    fn anchor(&self) -> Option<usize> {
        self.current.or(self.base)
    }
}

fn changes(
    st: &mut Statements,
    readings: &[Reading],
    respective: &[bool],
    range: std::ops::Range<usize>,
) {
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for i in range {
        let reading = &readings[i];
        if respective[i] {
            continue;
        }
        let s = &st.statements[i];
        let kind = st.statements[i].kind;
        let percent = matches!(kind, Kind::Percent);
        match s.role {
            Role::Total | Role::Part
                if is_value_kind(kind) || (percent && reading.change_to.is_some()) =>
            {
                if reading.change_to.is_some()
                    && let Some(g) = groups.iter_mut().rev().find(|g| {
                        g.current.is_none()
                            && g.percent == percent
                            && g.base.is_some_and(|b| readings[b].from)
                    })
                {
                    g.current = Some(i);
                    continue;
                }
                groups.push(ChangeGroup {
                    current: Some(i),
                    percent,
                    ..ChangeGroup::default()
                });
            }
            Role::Base if percent => groups.push(ChangeGroup {
                base: Some(i),
                percent: true,
                ..ChangeGroup::default()
            }),
            Role::Base => {
                let family_match = |g: &ChangeGroup| {
                    g.base.is_none() && g.current.is_some_and(|c| same_family(&st.statements[c], s))
                };
                if !reading.from
                    && let Some(g) = groups.iter_mut().rev().find(|g| family_match(g))
                {
                    g.base = Some(i);
                } else {
                    groups.push(ChangeGroup {
                        base: Some(i),
                        ..ChangeGroup::default()
                    });
                }
            }
            Role::ChangeDiff => {
                let fits = |g: &ChangeGroup| {
                    g.diff.is_none()
                        && g.anchor()
                            .is_some_and(|a| same_family(&st.statements[a], s))
                };
                if let Some(g) = groups.iter_mut().rev().find(|g| fits(g)) {
                    g.diff = Some(i);
                }
            }
            Role::ChangeRate | Role::ChangePoints if !reading.not_nominal => {
                let points = s.role == Role::ChangePoints;
                let own = s.measure.clone();
                let fits = |g: &ChangeGroup| {
                    let free = if points {
                        g.points.is_none()
                    } else {
                        g.rate.is_none()
                    };
                    // A change in points speaks of rates; one in percent, of values.
                    let of_kind = g.percent == points;
                    free && of_kind
                        && g.anchor().is_some_and(|a| {
                            reading.unnamed || same_named_measure(&own, &st.statements[a].measure)
                        })
                };
                // Only the latest change of the sentence can be meant: a rate never skips back
                // over another figure's change.
                if let Some(g) = groups.last_mut().filter(|g| fits(g)) {
                    if points {
                        g.points = Some(i);
                    } else {
                        g.rate = Some(i);
                    }
                }
            }
            _ => {}
        }
    }
    for g in groups {
        let members = [
            (g.current, Link::Current),
            (g.base, Link::Base),
            (g.diff, Link::Diff),
            (g.rate, Link::Rate),
            (g.points, Link::Points),
        ];
        let present: Vec<(usize, Link)> = members
            .iter()
            .filter_map(|(s, l)| s.map(|s| (s, *l)))
            .collect();
        if present.len() < 2 {
            continue;
        }
        for &(a, _) in &present {
            for &(b, link) in &present {
                if a != b {
                    add_link(st, a, link, b);
                }
            }
        }
    }
}

/// Whether a change that names its own measure (`刑事案件同比下降25%`) speaks of the figure
/// before it: only when it names the same thing.
fn same_named_measure(own: &Measure, other: &Measure) -> bool {
    let verb = own.verb.is_none() || own.verb == other.verb;
    let object = own.object.is_none() || own.object == other.object;
    // `规上工业增加值年均增长6.5%` after `一般公共预算收入…`: words of its own, another measure.
    let words = own
        .qualifiers
        .iter()
        .chain(&own.subject)
        .all(|q| other.qualifiers.contains(q) || other.subject.contains(q));
    verb && object && words
}

/// `2025年全国共缴获毒品33.5吨。…缴获来自“金三角”地区毒品18.7吨`: a later value of the
/// paragraph with the action, object, period and qualifiers of an aggregate before it, and more
/// qualifiers, counts a subset of it.
fn refinements(st: &mut Statements) {
    let n = st.statements.len();
    let mut found = Vec::new();
    for a in 0..n {
        let sa = &st.statements[a];
        if !sa.aggregate
            || sa.role != Role::Total
            || sa.attributive
            || sa.measure.verb.is_none()
            || sa.measure.object.is_none()
        {
            continue;
        }
        let paragraph = st.layout.paragraph_of_clause(sa.clause);
        let sentence = st.layout.clauses[sa.clause].sentence;
        for b in a + 1..n {
            let sb = &st.statements[b];
            if st.layout.paragraph_of_clause(sb.clause) != paragraph {
                break;
            }
            let narrower = sb.measure.qualifiers.len() > sa.measure.qualifiers.len()
                && sa
                    .measure
                    .qualifiers
                    .iter()
                    .all(|q| sb.measure.qualifiers.contains(q));
            if st.layout.clauses[sb.clause].sentence != sentence
                && sb.role == Role::Total
                && !sb.attributive
                && sb.measure.verb == sa.measure.verb
                && sb.measure.object == sa.measure.object
                && sb.measure.family == sa.measure.family
                && sb.period == sa.period
                && narrower
            {
                found.push((b, a));
            }
        }
    }
    for (b, a) in found {
        if st.statements[b].first_linked(Link::Within).is_none() {
            add_link(st, b, Link::Within, a);
        }
    }
}

/// Changes, bases and new values that name nothing take the measure of the figure they speak
/// of: `受理案件320件，同比上升4.2%` — the rate counts 受理|案件.
fn inherit_measures(st: &mut Statements, readings: &[Reading]) {
    for i in 0..st.statements.len() {
        if !readings[i].unnamed {
            continue;
        }
        let source = st.statements[i]
            .first_linked(Link::Current)
            .or_else(|| st.statements[i].first_linked(Link::Base))
            .filter(|&s| !readings[s].unnamed || st.statements[s].measure.is_named());
        if let Some(source) = source {
            let family = st.statements[i].measure.family.clone();
            let mut measure = st.statements[source].measure.clone();
            measure.family = family;
            measure.rate = None;
            st.statements[i].measure = measure;
        }
    }
}

/// Shares: `破获电诈案件120起，占同期刑事案件破案总数300起的45%` (part and whole stated),
/// `其中涉金融领域530处，占比22%` (the whole is the part's whole).
fn shares(
    st: &mut Statements,
    readings: &[Reading],
    respective: &[bool],
    range: std::ops::Range<usize>,
) {
    let mut standalone = Vec::new();
    for i in range.clone() {
        // A `分别` share is of its subject (see `lists::link_respectively`).
        if st.statements[i].role != Role::Share || respective[i] {
            continue;
        }
        let clause = st.statements[i].clause;
        // A value between `占` and the share, in the share's clause: the whole.
        let stated_whole = (range.start..i).rev().find(|&w| {
            let q = &st.statements[w];
            q.clause == clause
                && is_value_kind(st.statements[w].kind)
                && readings[w].near.contains(Marker::Share)
        });
        let before = stated_whole.unwrap_or(i);
        let part = (range.start..before).rev().find(|&p| {
            let q = &st.statements[p];
            matches!(q.role, Role::Total | Role::Part)
                && is_value_kind(st.statements[p].kind)
                && !is_duration(q)
                && stated_whole.is_none_or(|w| same_family(q, &st.statements[w]))
        });
        if stated_whole.is_some() {
            standalone.push(i);
        }
        let Some(part) = part.filter(|&p| stated_whole.is_some() || speaks_of(st, readings, p, i))
        else {
            continue;
        };
        // The share speaks of the nearest value only if nothing else stands between them.
        let whole = stated_whole
            .or_else(|| st.statements[part].first_linked(Link::Whole))
            .or_else(|| named_aggregate(st, readings, part, i));
        add_link(st, i, Link::SharePart, part);
        if let Some(whole) = whole {
            add_link(st, i, Link::Whole, whole);
            add_link(st, whole, Link::Shares, i);
        }
    }
    share_runs(st, readings, range, &standalone);
}

/// `全市共接报电信网络诈骗警情2148起……刷单返利类警情642起，占全部电诈警情的29.9%`: a share
/// whose words name its whole, with no whole stated beside it, is of the nearest earlier
/// aggregate of the same period that counts exactly what those words name (object and known
/// qualifiers) in the part's unit family.
fn named_aggregate(
    st: &Statements,
    readings: &[Reading],
    part: usize,
    share: usize,
) -> Option<usize> {
    let named = readings[share].whole_measure.as_ref()?;
    let p = &st.statements[part];
    let is_known = |x: &&super::Qualifier| matches!(x, super::Qualifier::Known(_));
    let names = |w: usize| {
        let q = &st.statements[w];
        let known: Vec<_> = q
            .measure
            .qualifiers
            .iter()
            .filter(is_known)
            .cloned()
            .collect();
        q.aggregate
            && q.role == Role::Total
            && is_value_kind(q.kind)
            && same_family(q, p)
            && q.measure.object == Some(named.object)
            && known == named.qualifiers
            && (p.period.is_none() || q.period == p.period)
            && st.part(w) == PartKind::Body
            // The nearest whole the words name is not one smaller than the part (`纠纷286起`
            // before `城关派出所…319起，占全县警情总数的23.5%`).
            && !matches!((&readings[w].value, &readings[part].value),
                (Some(a), Some(b)) if a.lt(b).as_bool() == Some(true))
    };
    // An aggregate narrowed by words the share's do not say (`认定起火原因的火灾19574起`) is
    // its whole only when none is named exactly (`全省共接报火灾22954起`).
    let exact = |w: usize| {
        st.statements[w]
            .measure
            .qualifiers
            .iter()
            .all(|x| is_known(&x))
    };
    (0..part)
        .rev()
        .find(|&w| names(w) && exact(w))
        .or_else(|| (0..part).rev().find(|&w| names(w)))
}

/// Whether a share speaks of the value `part` before it: in its clause with nothing but the
/// share's words between (`530处占22%`; not `12条重点产业链项目占比达84.4%`, a share of the
/// projects), or as the last figure of an earlier clause with only changes of it between
/// (`其中涉金融领域530处，占比22%`).
fn speaks_of(st: &Statements, readings: &[Reading], part: usize, share: usize) -> bool {
    let p = &st.statements[part];
    let s = &st.statements[share];
    if p.clause == s.clause {
        return readings[share].share_marker_first;
    }
    let last_of_clause = st
        .statements
        .get(part + 1)
        .is_none_or(|n| n.clause != p.clause || st.layout.clauses[n.clause].note_of.is_some());
    let between_only_changes = (part + 1..share).all(|b| {
        let q = &st.statements[b];
        q.clause != s.clause
            && (st.layout.clauses[q.clause].note_of.is_some()
                || matches!(
                    q.role,
                    Role::ChangeRate | Role::ChangeDiff | Role::ChangePoints
                ))
    });
    last_of_clause
        && between_only_changes
        && readings[share].first_in_clause
        && readings[share].share_marker_first
}

/// `男性占44.7%、女性占55.3%`, `分别占45%、40%、25%`: shares of one sentence that describe
/// one whole's make-up. A run ends where a value with an action of its own stands between two
/// shares (`…占65%；抓获嫌疑人100名，占抓获总数的30%` are shares of two wholes); a share with
/// its whole stated beside it stands alone. The first share of a run of two or more links to
/// every share of it.
/// Whether share `i` names the same whole after `占` as the first share of `run` (or none):
/// `占全疆装机64%` and `占全国18.7%` are shares of two wholes.
fn same_whole_words(
    st: &Statements,
    readings: &[Reading],
    run: Option<&Vec<usize>>,
    i: usize,
) -> bool {
    let _ = st;
    let Some(first) = run.and_then(|r| r.first()) else {
        return false;
    };
    let (a, b) = (&readings[*first].whole_words, &readings[i].whole_words);
    b.is_empty() || a == b
}

fn share_runs(
    st: &mut Statements,
    readings: &[Reading],
    range: std::ops::Range<usize>,
    standalone: &[usize],
) {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut open = false;
    let mut last_clause = None;
    for i in range {
        let s = &st.statements[i];
        // A semicolon between two shares ends their run.
        if let Some(c) = last_clause
            && (c..s.clause).any(|k| st.layout.clauses[k].separator == super::Separator::Semicolon)
        {
            open = false;
        }
        let share = s.role == Role::Share && !standalone.contains(&i);
        // Shares joined by `、` in one clause (or enumerated after `分别占`), not across commas:
        // `45岁以下的占56.4%，高中及以上学历的占71.2%` describe two make-ups.
        let same_clause = last_clause == Some(s.clause);
        let continues = open
            && (readings[i].enumerated
                || (same_clause
                    && readings[i].share_verb
                    && same_whole_words(st, readings, runs.last(), i)));
        if share && continues {
            if let Some(run) = runs.last_mut() {
                run.push(i);
            }
            last_clause = Some(s.clause);
        } else if share && readings[i].share_verb {
            runs.push(vec![i]);
            open = true;
            last_clause = Some(s.clause);
        } else if share || (matches!(s.role, Role::Total | Role::Part) && s.measure.verb.is_some())
        {
            open = false;
        }
    }
    for run in runs.into_iter().filter(|r| r.len() >= 2) {
        for &member in &run {
            add_link(st, run[0], Link::Shares, member);
        }
    }
}

/// The key two statements must share to be one figure stated twice: measure (verb, object,
/// qualifiers, subject), unit family, role and period.
type RestatementKey = (
    Measure,
    Option<Period>,
    Vec<super::Qualifier>,
    Vec<super::Qualifier>,
    Role,
    Option<Direction>,
);

fn restatement_key(s: &Statement, lexicon: &Lexicon) -> Option<RestatementKey> {
    let m = &s.measure;
    if m.verb.is_none() || m.object.is_none() || m.family.is_none() || s.attributive {
        return None;
    }
    // What befell people in one event is dated by its day (`7月7日`, `当天`): a report of one
    // accident says it twice with two ways of naming the day. Months and years still part.
    let event = m.verb.is_some_and(|v| lexicon.is_event(v));
    let period = match &s.period {
        Some(p) if event && names_a_day(p, lexicon) => None,
        other => other.clone(),
    };
    // `下降至180起` is the value of its period, like `180起`.
    let direction = if s.role == Role::Total {
        None
    } else {
        s.direction
    };
    // In the report of one event, `其中13人死亡` and `13名女工被熏死` are one figure, whoever
    // the sentence speaks of first.
    let role = if event && s.role == Role::Part {
        Role::Total
    } else {
        s.role
    };
    let topic = if event { Vec::new() } else { s.topic.clone() };
    // Nor do the words that open its sentences (`中安在线7月7日讯：`, `当日下午`).
    let frame = if event { Vec::new() } else { s.frame.clone() };
    Some((m.clone(), period, frame, topic, role, direction))
}

/// Whether a period names a day or a time of it (`7月7日`, `13日凌晨`, `当天`).
fn names_a_day(period: &Period, lexicon: &Lexicon) -> bool {
    match period {
        Period::Named(p) => lexicon.period_name(*p) == "近日",
        Period::Date(d) => d.ends_with(['日', '时', '分', '号']),
    }
}

/// Whether two statements belong to one breakdown (one is the other's whole, or both are parts
/// of one whole): `11人（5女6男）` states three figures, none of them twice.
fn one_breakdown(st: &Statements, a: usize, b: usize) -> bool {
    let whole = |i: usize| st.statements[i].first_linked(Link::Whole);
    whole(a) == Some(b) || whole(b) == Some(a) || (whole(a).is_some() && whole(a) == whole(b))
}

/// Headline statements → the body statements they sum up; body statements → the earlier body
/// statements of the same measure and period. Only aggregates are compared in the body: a
/// bulletin states the campaign total once, and the figures of single cases (`抓获犯罪嫌疑人
/// 18名`) are not restatements of it.
pub(super) fn restatements(st: &mut Statements, lexicon: &Lexicon, text: &str) {
    // `另1名乘客经抢救无效死亡`: the counts of the event changed after the lead; the headline may
    // give the final ones.
    let evolved = lexicon.evolution.iter().any(|w| text.contains(&**w));
    let n = st.statements.len();
    let mut by_key: std::collections::HashMap<_, Vec<usize>> = std::collections::HashMap::new();
    let mut headline = Vec::new();
    for i in 0..n {
        let s = &st.statements[i];
        if !matches!(s.role, Role::Total | Role::Part | Role::ChangeRate)
            || !is_comparable_kind(st.statements[i].kind)
        {
            continue;
        }
        let part = st.part(i);
        if part.is_headline() {
            headline.push(i);
            continue;
        }
        if let Some(key) = restatement_key(s, lexicon) {
            by_key.entry(key).or_default().push(i);
        }
    }
    for (_, list) in by_key.iter() {
        // Aggregates of a period (`共破获…`), what befell the people of one event (`11人受伤`:
        // a report of one accident states it once) and change rates are stated once; the
        // figures of single cases are not.
        let aggregates: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| {
                let s = &st.statements[i];
                s.aggregate
                    || s.role == Role::ChangeRate
                    || s.measure.verb.is_some_and(|v| lexicon.is_event(v))
            })
            .collect();
        for (k, &later) in aggregates.iter().enumerate() {
            for &earlier in &aggregates[..k] {
                if !one_breakdown(st, later, earlier) {
                    add_link(st, later, Link::Earlier, earlier);
                }
            }
        }
    }
    for h in headline {
        let hs = &st.statements[h];
        if hs.attributive {
            continue;
        }
        let section = st.layout.paragraphs[st.layout.paragraph_of_clause(hs.clause)].section;
        let part = st.part(h);
        let candidates: Vec<usize> = (0..n)
            .filter(|&b| {
                let bs = &st.statements[b];
                st.part(b) == PartKind::Body
                    && (bs.role == hs.role || (hs.role == Role::Total && bs.role == Role::Part))
                    && bs.direction == hs.direction
                    && headline_measure_matches(hs, bs)
                    && periods_agree(&hs.period, &bs.period)
                    && (part != PartKind::Heading
                        || st.layout.paragraphs[st.layout.paragraph_of_clause(bs.clause)].section
                            == section)
            })
            .collect();
        let candidates = summing_up(st, candidates);
        // The lead restates the headline first: its figure of the measure must agree.
        let body_paragraphs: Vec<usize> = (0..st.layout.paragraphs.len())
            .filter(|&p| st.layout.paragraphs[p].part == PartKind::Body)
            .take(LEAD_PARAGRAPHS)
            .collect();
        let lead_paragraph = body_paragraphs.iter().copied().find(|&p| {
            candidates
                .iter()
                .any(|&b| st.layout.paragraph_of_clause(st.statements[b].clause) == p)
        });
        let event = hs.measure.verb.is_some_and(|v| lexicon.is_event(v));
        if event && evolved {
            continue;
        }
        for &b in &candidates {
            add_link(st, h, Link::Restated, b);
            if part != PartKind::Heading
                && event
                && Some(st.layout.paragraph_of_clause(st.statements[b].clause)) == lead_paragraph
            {
                add_link(st, h, Link::Lead, b);
            }
        }
    }
}

/// A headline sums up the bulletin: where the body states the measure as an aggregate (`共抓获
/// 犯罪嫌疑人263名`), that and the parts given beside it (`其中…50名`) restate the headline, and
/// the figures of single cases in later paragraphs (`一举抓获…37名`) do not.
fn summing_up(st: &Statements, candidates: Vec<usize>) -> Vec<usize> {
    let sentence = |i: usize| st.layout.clauses[st.statements[i].clause].sentence;
    let aggregate_sentences: HashSet<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| st.statements[i].aggregate)
        .map(sentence)
        .collect();
    if aggregate_sentences.is_empty() {
        return candidates;
    }
    candidates
        .into_iter()
        .filter(|&i| aggregate_sentences.contains(&sentence(i)))
        .collect()
}

/// How many body paragraphs from the start may be the lead a headline is restated in.
const LEAD_PARAGRAPHS: usize = 2;

fn is_comparable_kind(kind: Kind) -> bool {
    !matches!(kind, Kind::Ordinal | Kind::Date)
}

/// A headline names a figure more briefly than the body: `交通事故5人死亡` for `小轿车人员5人
/// 当场死亡`, `定日县6.8级地震` for `西藏日喀则市定日县6.8级地震`. The unit families must be one;
/// verbs and objects, where both name one, the same; the headline's known qualifiers (crime
/// categories) must all be the body's; and the two must share something named: the verb, the
/// object or a word of the headline's.
fn headline_measure_matches(head: &Statement, body: &Statement) -> bool {
    let (h, b) = (&head.measure, &body.measure);
    let agree = |x: Option<u16>, y: Option<u16>| x.is_none() || y.is_none() || x == y;
    if h.family.is_none()
        || h.family != b.family
        || !agree(h.verb, b.verb)
        || !agree(h.object, b.object)
    {
        return false;
    }
    let known = |q: &&super::Qualifier| matches!(q, super::Qualifier::Known(_));
    let body_words: Vec<&super::Qualifier> = b
        .qualifiers
        .iter()
        .chain(&b.subject)
        .chain(&body.frame)
        .collect();
    // Known qualifiers must not contradict: a headline about 电诈 speaks of no 盗窃 figure; one
    // the body leaves to the sentences before is no contradiction.
    let head_known: Vec<&super::Qualifier> = h.qualifiers.iter().filter(known).collect();
    let body_known: Vec<&super::Qualifier> = b.qualifiers.iter().filter(known).collect();
    if !head_known.is_empty()
        && !body_known.is_empty()
        && !head_known.iter().any(|q| body_known.contains(q))
    {
        return false;
    }
    let shared_verb = h.verb.is_some() && h.verb == b.verb;
    let shared_object = h.object.is_some() && h.object == b.object;
    let shared_word = h.qualifiers.iter().chain(&h.subject).any(|q| match q {
        super::Qualifier::Text(t) => {
            t.chars().count() >= 2
                && body_words.iter().any(|w| match w {
                    super::Qualifier::Text(u) => u.contains(&**t) || t.contains(&**u),
                    super::Qualifier::Known(_) => false,
                })
        }
        super::Qualifier::Known(_) => body_words.contains(&q),
    });
    // A place or a body alone is weak: only a headline that names no action or object may rest
    // on it (`定日县6.8级地震`).
    shared_verb || shared_object || (h.verb.is_none() && h.object.is_none() && shared_word)
}

/// A headline without a period speaks of the body's; two stated periods must be the same.
fn periods_agree(head: &Option<Period>, body: &Option<Period>) -> bool {
    match (head, body) {
        (Some(h), Some(b)) => h == b,
        _ => true,
    }
}
