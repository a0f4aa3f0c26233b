//! Ratios between statements: a rate named by its ratio (`结案率92.9%`) and the figures of its
//! numerator and denominator (`受理案件1.27万件，审结1.18万件`); an average (`平均每个团伙涉案
//! 2100万元`, `人均`, `日均`) and the total it divides and the count it divides by.
//!
//! The lexicon's `[[rate]]` tables say which words name each term of a rate (see
//! [`super::lexicon::Lexicon::rate_terms`]); an average's count is the one in the unit its words
//! name (`平均每件` → a count in 件, `人均` → of people, `日均` → of days). The figures are looked
//! for backwards within the paragraph, so a ratio is never tied to figures of another section.

use super::build::Reading;
use super::lexicon::{Lexicon, Marker, RateTerms};
use super::links::{add_link, is_duration, is_value_kind, same_family};
use super::{Link, Role, Statements};
use crate::recognize::Kind;
use crate::recognize::Recognizer;
use std::sync::Arc;

/// Link every rate to its numerator and denominator, when both are found.
pub(super) fn rates(st: &mut Statements, readings: &[Reading], lexicon: &Lexicon) {
    for rate in 0..st.statements.len() {
        let s = &st.statements[rate];
        if s.role != Role::Rate || s.kind != Kind::Percent {
            continue;
        }
        if s.measure.rate.is_none() {
            continue;
        }
        // The name as written up to its `率`, with words the measure leaves out (`不起诉率`).
        let lead = &readings[rate].lead;
        let Some(end) = lead.rfind(lexicon.rate_suffix) else {
            continue;
        };
        let terms = lexicon.rate_terms(&lead[..end + lexicon.rate_suffix.len_utf8()]);
        if let Some((numerator, denominator)) = terms_of(st, readings, rate, &terms) {
            add_link(st, rate, Link::Numerator, numerator);
            add_link(st, rate, Link::Denominator, denominator);
        }
    }
}

/// Link every average to the total it divides (numerator) and the count it divides by
/// (denominator), when both are found.
pub(super) fn averages(
    st: &mut Statements,
    readings: &[Reading],
    lexicon: &Lexicon,
    recognizer: &Recognizer,
) {
    for (average, reading) in readings.iter().enumerate() {
        let s = &st.statements[average];
        if s.role != Role::Average || !is_value_kind(s.kind) {
            continue;
        }
        let Some(per) = divides_by(&reading.lead, lexicon, recognizer) else {
            continue;
        };
        if let Some((total, count)) = average_terms(st, average, &per) {
            add_link(st, average, Link::Numerator, total);
            add_link(st, average, Link::Denominator, count);
        }
    }
}

/// What an average divides by: counts of one unit family, of one object when its words name
/// it (`平均每个团伙`: groups counted in 个).
struct Per {
    family: Arc<str>,
    object: Option<u16>,
}

/// The count the last average word of `lead` divides by: the unit the word names (`人均`) or
/// the unit written after it (`平均每件`, `平均每天`), or the object after `个` (`平均每个团伙`).
fn divides_by(lead: &str, lexicon: &Lexicon, recognizer: &Recognizer) -> Option<Per> {
    let found = lexicon
        .find(lead)
        .filter(|f| f.word.markers.contains(Marker::Average))
        .last()?;
    if let Some(unit) = lexicon.per_unit(&found.word.text) {
        return Some(Per {
            family: recognizer.unit_at(unit)?.family,
            object: None,
        });
    }
    let after = lead[found.end..].trim_start_matches('每');
    if let Some(noun) = after.strip_prefix('个') {
        let object = lexicon
            .find(noun)
            .find(|f| f.start == 0 || lexicon.find(&noun[..f.start]).all(|w| w.word.filler))?
            .word
            .object?;
        return Some(Per {
            family: recognizer.unit_at("个")?.family,
            object: Some(object),
        });
    }
    Some(Per {
        family: recognizer.unit_at(after)?.family,
        object: None,
    })
}

/// The total and the count of `average`: the nearest count before it in its paragraph in the
/// unit it divides by, and the nearest other value in the average's own unit family that
/// counts what the average counts (its action or object), or else the nearest such value of
/// its sentence that counts nothing else.
fn average_terms(st: &Statements, average: usize, per: &Per) -> Option<(usize, usize)> {
    let start = paragraph_start(st, average);
    let count = (start..average).rev().find(|&c| {
        let s = &st.statements[c];
        is_term(st, average, c)
            && s.measure.family.as_deref() == Some(&*per.family)
            && per.object.is_none_or(|o| s.measure.object == Some(o))
    })?;
    let own = &st.statements[average].measure;
    let candidate = |c: usize| {
        c != count
            && is_term(st, average, c)
            && !is_duration(&st.statements[c])
            && same_family(&st.statements[c], &st.statements[average])
    };
    // The object the average is per (`平均每个团伙涉案`) is not what it counts.
    let object = own.object.filter(|&o| per.object != Some(o));
    // A total counts what the average counts, not less: no known qualifier the average lacks
    // (`治安警情3562起` is not the total of `人均处置有效警情`), and an aggregate of the bulletin's
    // scope when the average is one (not `省法院审结1.18万件` for `全省法院…人均结案`).
    let average_is_aggregate = st.statements[average].aggregate;
    let names_the_same = |c: usize| {
        let s = &st.statements[c];
        let m = &s.measure;
        ((own.verb.is_some() && m.verb == own.verb) || (object.is_some() && m.object == object))
            && m.qualifiers
                .iter()
                .filter(|q| matches!(q, super::Qualifier::Known(_)))
                .all(|q| own.qualifiers.contains(q))
            && (s.aggregate || !average_is_aggregate)
    };
    // Failing that, the nearest value of the sentence that names no other action or object
    // (`追索欠薪1.12亿元、惠及劳动者3.26万人，人均4746元`).
    let named = own.verb.is_some() || object.is_some();
    let names_nothing_else = |c: usize| {
        let m = &st.statements[c].measure;
        !named
            || (m.verb.is_none_or(|v| own.verb == Some(v))
                && m.object.is_none_or(|o| object == Some(o)))
    };
    let sentence = sentence_of(st, average);
    let nearest_of_sentence = || {
        (start..average)
            .rev()
            .take_while(|&c| sentence_of(st, c) == sentence)
            .find(|&c| candidate(c) && names_nothing_else(c))
    };
    let total = if named {
        (start..average)
            .rev()
            .find(|&c| candidate(c) && names_the_same(c))
            .or_else(nearest_of_sentence)
    } else {
        nearest_of_sentence()
    }?;
    Some((total, count))
}

/// The first statement of the paragraph of `statement`.
fn paragraph_start(st: &Statements, statement: usize) -> usize {
    let paragraph = paragraph_of(st, statement);
    (0..statement)
        .rev()
        .take_while(|&c| paragraph_of(st, c) == paragraph)
        .last()
        .unwrap_or(statement)
}

/// The numerator and denominator of `rate`: the nearest value before it in its paragraph whose
/// words name the numerator, and before that the nearest naming the denominator, or (when the
/// lexicon names none) the numerator's whole or the value of its sentence right before it.
fn terms_of(
    st: &Statements,
    readings: &[Reading],
    rate: usize,
    terms: &RateTerms,
) -> Option<(usize, usize)> {
    let start = paragraph_start(st, rate);
    let numerator = (start..rate).rev().find(|&c| {
        is_term(st, rate, c)
            && !is_duration(&st.statements[c])
            && names_term(&readings[c].lead, &terms.numerator, &terms.denominator)
    })?;
    // Another rate's numerator, or a part of the numerator's own whole, is a sibling of the
    // numerator, never its denominator (`以调解、撤诉方式结案28.7万件` beside `判决结案30.7万件`).
    let whole = st.statements[numerator].first_linked(Link::Whole);
    let sibling = |c: usize| {
        st.statements[..rate]
            .iter()
            .any(|s| s.role == Role::Rate && s.first_linked(Link::Numerator) == Some(c))
            || (whole.is_some() && st.statements[c].first_linked(Link::Whole) == whole)
    };
    let candidate = |c: usize| {
        is_term(st, rate, c)
            && same_family(&st.statements[c], &st.statements[numerator])
            && !sibling(c)
    };
    let denominator = if terms.denominator.is_empty() {
        let sentence = sentence_of(st, numerator);
        st.statements[numerator]
            .first_linked(Link::Whole)
            .filter(|&w| candidate(w))
            .or_else(|| {
                (start..numerator)
                    .rev()
                    .take_while(|&c| sentence_of(st, c) == sentence)
                    .find(|&c| candidate(c))
            })
    } else {
        (start..numerator)
            .rev()
            .find(|&c| candidate(c) && names_term(&readings[c].lead, &terms.denominator, &[]))
    }?;
    Some((numerator, denominator))
}

fn sentence_of(st: &Statements, statement: usize) -> usize {
    st.layout.clauses[st.statements[statement].clause].sentence
}

fn paragraph_of(st: &Statements, statement: usize) -> usize {
    st.layout.sentences[sentence_of(st, statement)].paragraph
}

/// Whether statement `c` may be a term of the ratio `of`: a value (not a share nor a change) of
/// its period, and not a figure describing a noun after it. Only an average's count may be a
/// length of time (`春节8天…日均233起`).
fn is_term(st: &Statements, of: usize, c: usize) -> bool {
    let (s, r) = (&st.statements[c], &st.statements[of]);
    matches!(s.role, Role::Total | Role::Part)
        && is_value_kind(s.kind)
        && !s.attributive
        && (s.period.is_none() || r.period.is_none() || s.period == r.period)
}

/// Whether `lead` names a term by one of `words`: an occurrence that is not inside an
/// occurrence of one of `unless` (`起诉` in `审查起诉`) and not negated by a `不` right before
/// it (`不起诉` is no `起诉`), unless the word itself says `不`.
fn names_term(lead: &str, words: &[Box<str>], unless: &[Box<str>]) -> bool {
    let covered: Vec<(usize, usize)> = unless
        .iter()
        .flat_map(|u| lead.match_indices(&**u).map(|(at, m)| (at, at + m.len())))
        .collect();
    words.iter().any(|word| {
        lead.match_indices(&**word).any(|(at, m)| {
            let end = at + m.len();
            let negated = !word.starts_with('不') && lead[..at].ends_with('不');
            let inside = covered
                .iter()
                .any(|&(s, e)| s <= at && end <= e && (s, e) != (at, end));
            !negated && !inside
        })
    })
}

#[cfg(test)]
mod tests {
    use super::names_term;

    fn words(list: &[&str]) -> Vec<Box<str>> {
        list.iter().map(|w| (*w).into()).collect()
    }

    #[test]
    fn a_term_word_inside_another_or_negated_names_nothing() {
        let qisu = words(&["起诉"]);
        let shencha = words(&["审查起诉"]);
        assert!(names_term("决定起诉", &qisu, &shencha));
        assert!(!names_term("受理审查起诉犯罪嫌疑人", &qisu, &shencha));
        assert!(!names_term("决定不起诉", &qisu, &shencha));
        assert!(names_term("决定不起诉", &words(&["不起诉"]), &shencha));
        // The denominator's word inside the numerator's does not hide it.
        assert!(names_term(
            "调解成功",
            &words(&["调解成功"]),
            &words(&["调解"])
        ));
    }
}
