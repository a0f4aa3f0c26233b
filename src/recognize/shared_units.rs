//! Figures that share the unit of the figure after them: `分别提高15、22个百分点`,
//! `20.9、36.2、54个百分点`, `分别为3、5、7人`. A bare number joined by `、` (or `和`) to a figure
//! with a unit is read with that unit, as the writer meant; alone it would be no figure at all.
//!
//! A unit word that holds a magnitude is shared whole (`3、5万元` is 3万元 and 5万元); when the
//! last figure's number itself holds one (`3、5万人`: 5万 + 人) nothing is read: whether the bare
//! number takes the magnitude too is unclear.

use super::{Kind, Quantity, Recognizer};
use crate::span::Span;

/// Characters of a bare number that may share a unit.
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || "零〇一二两三四五六七八九十".contains(c)
}

/// Kinds whose unit a bare number before them may share.
fn shares_unit(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Count | Kind::Percent | Kind::PercentagePoint | Kind::Amount
    )
}

/// Adds to `found` (sorted, spans into `text`) the bare numbers that share the unit of the
/// figure after them.
pub(super) fn add(recognizer: &Recognizer, text: &str, found: &mut Vec<Quantity>) {
    let mut added = Vec::new();
    for i in 0..found.len() {
        let q = &found[i];
        let Some(unit) = q.unit.clone() else { continue };
        if !shares_unit(q.kind) || q.malformed.is_some() {
            continue;
        }
        let written = &text[q.span.range()];
        let Some(number) = written.strip_suffix(&*unit.text) else {
            continue;
        };
        if !number.chars().all(is_numeral) {
            continue;
        }
        let floor = if i == 0 { 0 } else { found[i - 1].span.end };
        let mut at = q.span.start;
        while let Some((span, _)) = bare_number_before(text, at, floor) {
            let bare = &text[span.range()];
            let Some(figure) = recognizer.parse_figure(&format!("{bare}{}", unit.text)) else {
                break;
            };
            added.push(Quantity {
                span,
                value: figure.value,
                unit: Some(unit.clone()),
                kind: q.kind,
                malformed: None,
                date: None,
            });
            at = span.start;
        }
    }
    if !added.is_empty() {
        found.extend(added);
        found.sort_by_key(|q| q.span.start);
    }
}

/// The bare number right before `at` across `、` or `和` (and not before `floor`), and the
/// joiner.
fn bare_number_before(text: &str, at: usize, floor: usize) -> Option<(Span, &'static str)> {
    let before = &text[floor..at];
    let (joiner, rest) = if let Some(rest) = before.strip_suffix('、') {
        ("、", rest)
    } else if let Some(rest) = before.strip_suffix('和') {
        ("和", rest)
    } else {
        return None;
    };
    let end = floor + rest.len();
    let start = rest
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_numeral(*c))
        .last()
        .map(|(i, _)| floor + i)?;
    let number = &text[start..end];
    // A word before the number (`第1`, `A6`, `一是`…) or a number that is no number (`.`).
    let previous = text[..start].chars().next_back();
    let glued = previous.is_some_and(|c| c.is_ascii_alphanumeric() || c == '第' || c == '.');
    let numeric = number.chars().any(|c| c.is_ascii_digit() || c != '.');
    (!glued && numeric && !number.starts_with('.') && !number.ends_with('.'))
        .then(|| (Span::new(start, end), joiner))
}

#[cfg(test)]
mod tests {
    use super::super::Recognizer;

    fn read(text: &str) -> Vec<(String, String)> {
        Recognizer::standard()
            .recognize(text)
            .iter()
            .map(|q| (text[q.span.range()].to_string(), q.value.to_string()))
            .collect()
    }

    #[test]
    fn bare_numbers_take_the_unit_after_them() {
        assert_eq!(
            read("分别提高15、22个百分点"),
            [
                ("15".to_string(), "15".to_string()),
                ("22个百分点".to_string(), "22".to_string())
            ]
        );
        let three = read("分别提高20.9、36.2、54个百分点");
        assert_eq!(three.len(), 3, "{three:?}");
        assert_eq!(three[0].0, "20.9");
        assert_eq!(read("分别为3、5和7人").len(), 3);
    }

    #[test]
    fn magnitudes_and_labels_are_not_shared() {
        // 万元 is a unit word: shared whole.
        assert_eq!(
            read("分别为3、5万元"),
            [
                ("3".to_string(), "30000".to_string()),
                ("5万元".to_string(), "50000".to_string())
            ]
        );
        // 5万 is the number: whether 3 is 3万 is unclear, not read.
        assert_eq!(read("分别为3、5万人").len(), 1);
        // 第1、2名: ordinals, not counts sharing a unit.
        assert!(read("分获第1、2名").iter().all(|(t, _)| t != "1"));
    }
}
