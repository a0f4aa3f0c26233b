//! Approximation words and stated precision, as intervals. Each reading is documented in
//! `docs/recognizer.md`; the summary:
//!
//! | written | reading | interval |
//! | --- | --- | --- |
//! | `70余`, `6万多`, `十几` | next place | `(x, x + p)`, `p` the unit of the last non-zero digit |
//! | `38.2` | precision | `[x − u/2, x + u/2]`, `u` the unit of the last written digit |
//! | `不到/不足 x` | below | `[0, x)` |
//! | `x以下`, `至多 x` | at most | `[0, x]` |
//! | `逾/超过/超 x` | above | `(x, ∞)` |
//! | `x以上`, `至少/不少于 x` | at least | `[x, ∞)` |
//! | `约/大约 x`, `x左右` | about | `[x − d, x + d]`, `d = max(x/10, p/2)` |
//! | `近 x` | near | `[0.9x, x]` |
//! | `数十`, `几百` | some | `[2M, 10M)` |
//! | `上千`, `上万` | order | `[M, 10M)` |
//! | `千万元级` (after a unit) | order | `[x, 10x)` |
//! | `多达/高达/仅 x` | exact | `x` |
//!
//! Readings that take a figure which is itself an interval (`不到300余`, `约3至5`) apply to its
//! ends: "below" keeps the upper end, "above" the lower end, "about" widens both.

use super::lexicon::Reading;
use crate::interval::{Bound, Interval};
use rust_decimal::Decimal;

/// The unit of the last non-zero digit of `n`: 70 → 10, 260000 → 10000, 2.6 → 0.1, 0 → 1.
pub(crate) fn place(n: Decimal) -> Decimal {
    let n = n.normalize();
    if n.is_zero() {
        return Decimal::ONE;
    }
    if n.scale() > 0 {
        return Decimal::new(1, n.scale());
    }
    let mut p = Decimal::ONE;
    let mut m = n.abs();
    // At most 28 steps: Decimal holds at most 29 digits.
    while (m % Decimal::TEN).is_zero() {
        m /= Decimal::TEN;
        p *= Decimal::TEN;
    }
    p
}

/// `x余`, `x多`, `x几`: the open interval up to the next unit of the last non-zero digit.
pub(crate) fn next_place(n: Decimal) -> Interval {
    match n.checked_add(place(n)) {
        Some(high) => Interval::open(n, high),
        None => Interval::new(Bound::Open(n), Bound::Unbounded),
    }
}

/// A figure written with decimals: half a unit of its last digit either side.
pub(crate) fn precision(n: Decimal, ulp: Decimal) -> Interval {
    let half = ulp / Decimal::TWO;
    match (n.checked_sub(half), n.checked_add(half)) {
        (Some(lo), Some(hi)) => Interval::closed(lo, hi),
        _ => Interval::unbounded(),
    }
}

/// `数十` (some) and `上千` (order) for the magnitude `m`.
pub(crate) fn vague(reading: Reading, m: Decimal) -> Option<Interval> {
    let ten_m = m.checked_mul(Decimal::TEN)?;
    match reading {
        Reading::Some => Some(Interval::new(
            Bound::Closed(m.checked_mul(Decimal::TWO)?),
            Bound::Open(ten_m),
        )),
        Reading::Order => Some(Interval::new(Bound::Closed(m), Bound::Open(ten_m))),
        _ => None,
    }
}

/// Applies an approximation word written before the figure or after its unit. `nominal` is the
/// figure as written (its lower end for ranges), which sets the width of "about".
pub(crate) fn apply(reading: Reading, core: Interval, nominal: Option<Decimal>) -> Interval {
    let zero = Bound::Closed(Decimal::ZERO);
    match reading {
        Reading::Below => Interval::new(
            zero,
            core.high_value().map_or(Bound::Unbounded, Bound::Open),
        ),
        Reading::AtMost => Interval::new(zero, core.high),
        Reading::Above => Interval::new(
            core.low_value().map_or(Bound::Unbounded, Bound::Open),
            Bound::Unbounded,
        ),
        Reading::AtLeast => Interval::new(core.low, Bound::Unbounded),
        Reading::About => about(core, nominal),
        Reading::Near => near(core),
        Reading::NextPlace => match nominal {
            Some(n) => next_place(n),
            None => Interval::unbounded(),
        },
        // After a unit, `order` is a class of magnitude: `千万元级` = [10⁷, 10⁸).
        Reading::Order => Interval::new(
            core.low,
            core.high_value()
                .and_then(|h| h.checked_mul(Decimal::TEN))
                .map_or(Bound::Unbounded, Bound::Open),
        ),
        // Only meaningful before a bare magnitude; the scanner handles those.
        Reading::Some => core,
        Reading::Exact => core,
    }
}

fn about(core: Interval, nominal: Option<Decimal>) -> Interval {
    let (Some(n), Some(lo), Some(hi)) = (nominal, core.low_value(), core.high_value()) else {
        return Interval::unbounded();
    };
    let tenth = n.abs() / Decimal::TEN;
    let half_place = place(n) / Decimal::TWO;
    let d = tenth.max(half_place);
    match (lo.checked_sub(d), hi.checked_add(d)) {
        (Some(a), Some(b)) => Interval::closed(a, b),
        _ => Interval::unbounded(),
    }
}

fn near(core: Interval) -> Interval {
    let (Some(lo), Some(_)) = (core.low_value(), core.high_value()) else {
        return Interval::unbounded();
    };
    let nine_tenths = Decimal::new(9, 1);
    match lo.checked_mul(nine_tenths) {
        Some(a) => Interval::new(Bound::Closed(a), core.high),
        None => Interval::unbounded(),
    }
}

/// Multiplies both ends by a positive `k` (unit scale); an end that overflows becomes unbounded.
pub(crate) fn scale(iv: Interval, k: Decimal) -> Interval {
    if k == Decimal::ONE {
        return iv;
    }
    let f = |b: Bound| match b {
        Bound::Unbounded => Bound::Unbounded,
        Bound::Closed(v) => v.checked_mul(k).map_or(Bound::Unbounded, Bound::Closed),
        Bound::Open(v) => v.checked_mul(k).map_or(Bound::Unbounded, Bound::Open),
    };
    Interval::new(f(iv.low), f(iv.high))
}

/// `a / b` as an interval: exact when the quotient is a finite decimal, otherwise the closed
/// interval between its 26-digit truncations below and above.
pub(crate) fn quotient(a: Decimal, b: Decimal) -> Option<Interval> {
    if b.is_zero() {
        return None;
    }
    let q = a.checked_div(b)?;
    if q.checked_mul(b) == Some(a) {
        return Some(Interval::exact(q));
    }
    let lo = q.trunc_with_scale(26);
    let hi = lo.checked_add(Decimal::new(1, 26))?;
    Some(Interval::closed(lo.min(hi), lo.max(hi)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn place_of_the_last_nonzero_digit() {
        let cases = [
            ("70", "10"),
            ("260000", "10000"),
            ("2000000", "1000000"),
            ("2.6", "0.1"),
            ("38.20", "0.1"),
            ("1825", "1"),
            ("0", "1"),
        ];
        for (n, p) in cases {
            assert_eq!(place(d(n)), d(p), "place({n})");
        }
    }

    #[test]
    fn readings() {
        let x = Interval::exact(d("300"));
        let n = Some(d("300"));
        let cases = [
            (Reading::Below, "[0, 300)"),
            (Reading::AtMost, "[0, 300]"),
            (Reading::Above, "(300, ∞)"),
            (Reading::AtLeast, "[300, ∞)"),
            (Reading::About, "[250, 350]"),
            (Reading::Near, "[270, 300]"),
        ];
        for (r, want) in cases {
            assert_eq!(apply(r, x, n).to_string(), want, "{r:?}");
        }
        // 约1825: ten percent dominates half a unit.
        let about = apply(Reading::About, Interval::exact(d("1825")), Some(d("1825")));
        assert_eq!(about.to_string(), "[1642.5, 2007.5]");
    }

    #[test]
    fn quotients() {
        assert_eq!(quotient(d("1"), d("4")), Some(Interval::exact(d("0.25"))));
        let third = quotient(d("1"), d("3")).unwrap();
        let (lo, hi) = (third.low_value().unwrap(), third.high_value().unwrap());
        assert!(lo < hi && lo * d("3") < d("1") && hi * d("3") > d("1"));
        assert_eq!(quotient(d("1"), d("0")), None);
    }

    #[test]
    fn scaling_overflows_to_unbounded() {
        let big = Interval::exact(Decimal::MAX);
        assert_eq!(scale(big, d("10")), Interval::unbounded());
        assert_eq!(
            scale(Interval::open(d("200"), d("300")), d("10000")),
            Interval::open(d("2000000"), d("3000000"))
        );
    }
}
