//! Figures as an editor reads them: `70余 (70–80)`, `≥ 300`, `22.4`; never `(70, 80)` or a
//! 28-digit decimal. `statlint extract` and the messages of every rule render figures with
//! these functions, so a figure reads the same wherever it is shown.

use super::approx;
use crate::interval::{Bound, Interval};
use rust_decimal::{Decimal, RoundingStrategy};

/// The most decimals a readable number shows: a third is `0.3333`.
pub const MAX_DECIMALS: u32 = 4;

/// `d` rounded to `decimals` places (at most [`MAX_DECIMALS`]), without trailing zeros.
pub fn number(d: Decimal, decimals: u32) -> String {
    let rounded = d
        .round_dp_with_strategy(
            decimals.min(MAX_DECIMALS),
            RoundingStrategy::MidpointAwayFromZero,
        )
        .normalize();
    if rounded.is_zero() {
        // Not `-0` for a small negative number.
        "0".to_string()
    } else {
        rounded.to_string()
    }
}

/// The decimals `d` is written with, at most [`MAX_DECIMALS`]: 38.25 → 2, 300 → 0.
pub fn decimals_of(d: Decimal) -> u32 {
    d.normalize().scale().min(MAX_DECIMALS)
}

/// The decimals a written figure shows: `22.4%` → 1, `三十八点二` → 1, `70余` → 0.
pub fn written_decimals(written: &str) -> u32 {
    let after_point = written
        .char_indices()
        .find(|&(_, c)| c == '.' || c == '点')
        .map_or("", |(i, c)| &written[i + c.len_utf8()..]);
    let digits = after_point
        .chars()
        .take_while(|c| c.is_ascii_digit() || super::numeral::digit_value(*c).is_some())
        .count();
    u32::try_from(digits)
        .unwrap_or(MAX_DECIMALS)
        .min(MAX_DECIMALS)
}

/// The interval as an editor reads it, ends rounded to `decimals` places: `70–80`, one number
/// when both ends round alike (`22.4`), `≥ 300`, `> 200`, `< 300`; `None` when unbounded both
/// ways. Between negative ends `至` reads better than a dash (`-25.1 至 -24.9`).
pub fn range(iv: &Interval, decimals: u32) -> Option<String> {
    if let Some(v) = iv.as_exact() {
        return Some(number(v, decimals));
    }
    match (iv.low, iv.high) {
        (Bound::Unbounded, Bound::Unbounded) => None,
        (low, Bound::Unbounded) => {
            let sign = if low.is_open() { ">" } else { "≥" };
            Some(format!("{sign} {}", number(low.value()?, decimals)))
        }
        (Bound::Unbounded, high) => {
            let sign = if high.is_open() { "<" } else { "≤" };
            Some(format!("{sign} {}", number(high.value()?, decimals)))
        }
        (low, high) => {
            let (a, b) = (
                number(low.value()?, decimals),
                number(high.value()?, decimals),
            );
            if a == b {
                Some(a)
            } else if a.starts_with('-') || b.starts_with('-') {
                Some(format!("{a} 至 {b}"))
            } else {
                Some(format!("{a}–{b}"))
            }
        }
    }
}

/// The interval a written figure stands for, when its writing leaves it open: `70余` →
/// `70–80`, `不到300` → `0–300`, `近300` → `270–300`. `None` when the writing says all: an exact
/// figure, one whose interval is the stated precision of its decimals (`38.2` = [38.15, 38.25],
/// `2.6万` = [25500, 26500]) or of its rounding (`约300` = [250, 350]), or an unbounded one (a
/// malformed amount).
pub fn written_range(iv: &Interval) -> Option<String> {
    if iv.as_exact().is_some() || is_stated_precision(iv) {
        return None;
    }
    let decimals = [iv.low.value(), iv.high.value()]
        .into_iter()
        .flatten()
        .map(decimals_of)
        .max()?;
    range(iv, decimals)
}

/// A closed interval whose width is the place of the last digit of its midpoint:
/// [38.15, 38.25] (38.2 ± 0.05), [25500, 26500] (26000 ± 500).
fn is_stated_precision(iv: &Interval) -> bool {
    let (Bound::Closed(lo), Bound::Closed(hi)) = (iv.low, iv.high) else {
        return false;
    };
    let (Some(sum), Some(width)) = (lo.checked_add(hi), hi.checked_sub(lo)) else {
        return false;
    };
    width == approx::place(sum / Decimal::TWO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: &str) -> Interval {
        let (lo, hi) = s.split_once(',').unwrap();
        let bound = |t: &str, open: bool| match t.trim() {
            "-∞" | "∞" => Bound::Unbounded,
            v if open => Bound::Open(v.parse().unwrap()),
            v => Bound::Closed(v.parse().unwrap()),
        };
        Interval::new(
            bound(&lo[1..], lo.starts_with('(')),
            bound(&hi[..hi.len() - 1], hi.ends_with(')')),
        )
    }

    #[test]
    fn ranges_read_as_an_editor_writes_them() {
        let cases = [
            ("(70, 80)", 0, Some("70–80")),
            ("[0, 300)", 0, Some("0–300")),
            ("(200, ∞)", 0, Some("> 200")),
            ("[300, ∞)", 0, Some("≥ 300")),
            ("(-∞, 5)", 0, Some("< 5")),
            ("(-∞, ∞)", 0, None),
            (
                "[22.413793103448275862068965509, 22.413793103448275862068965531]",
                1,
                Some("22.4"),
            ),
            ("[104.7, 105.1]", 1, Some("104.7–105.1")),
            ("[-25.1, -24.9]", 1, Some("-25.1 至 -24.9")),
            (
                "[0.33333333333333333333333333, 0.33333333333333333333333334]",
                4,
                Some("0.3333"),
            ),
        ];
        for (text, decimals, want) in cases {
            assert_eq!(range(&iv(text), decimals).as_deref(), want, "{text}");
        }
        assert_eq!(number("-0.0001".parse().unwrap(), 2), "0");
        assert_eq!(number("33.335".parse().unwrap(), 2), "33.34");
    }

    #[test]
    fn a_written_figure_shows_its_interval_only_when_the_writing_leaves_it_open() {
        let cases = [
            ("(70, 80)", Some("70–80")),
            ("[0, 300)", Some("0–300")),
            ("[270, 300]", Some("270–300")),
            ("[1642.5, 2007.5]", Some("1642.5–2007.5")),
            ("[38.15, 38.25]", None),
            ("[25500, 26500]", None),
            ("[250, 350]", None),
            ("[-3.45, -3.35]", None),
            ("(-∞, ∞)", None),
        ];
        for (text, want) in cases {
            assert_eq!(written_range(&iv(text)).as_deref(), want, "{text}");
        }
        assert_eq!(written_range(&Interval::exact(147.into())), None);
    }

    #[test]
    fn written_decimals_count_arabic_and_chinese_digits() {
        for (written, want) in [("22.4%", 1), ("三十八点二", 1), ("70余", 0), ("0.125", 3)] {
            assert_eq!(written_decimals(written), want, "{written}");
        }
    }
}
