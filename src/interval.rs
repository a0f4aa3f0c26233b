//! Intervals of decimals: how statlint represents a figure it has read.
//!
//! A bulletin rarely states an exact value: `70余人` is some number in (70, 80), `38.2%` anything
//! that rounds to 38.2, `逾200` anything above 200. Every relation is evaluated over these
//! intervals, three-valued (see [`Truth`]), so an approximate figure can never produce a
//! definite violation that some reading of it would satisfy.

use rust_decimal::Decimal;
use std::fmt;

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// No bound on this side (−∞ or +∞).
    Unbounded,
    /// The end value belongs to the interval.
    Closed(Decimal),
    /// The end value does not belong to the interval.
    Open(Decimal),
}

impl Bound {
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Bound::Unbounded => None,
            Bound::Closed(v) | Bound::Open(v) => Some(*v),
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, Bound::Open(_) | Bound::Unbounded)
    }
}

/// A non-empty set of decimals `low..high`, each end open, closed or unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    pub low: Bound,
    pub high: Bound,
}

impl Interval {
    pub fn new(low: Bound, high: Bound) -> Self {
        Interval { low, high }
    }

    /// A figure stated exactly: `147起`.
    pub fn exact(value: Decimal) -> Self {
        Interval::new(Bound::Closed(value), Bound::Closed(value))
    }

    /// `[low, high]`
    pub fn closed(low: Decimal, high: Decimal) -> Self {
        Interval::new(Bound::Closed(low), Bound::Closed(high))
    }

    /// `(low, high)`
    pub fn open(low: Decimal, high: Decimal) -> Self {
        Interval::new(Bound::Open(low), Bound::Open(high))
    }

    /// Every decimal: what an expression yields when nothing is known.
    pub fn unbounded() -> Self {
        Interval::new(Bound::Unbounded, Bound::Unbounded)
    }

    /// The single value of a point interval.
    pub fn as_exact(&self) -> Option<Decimal> {
        match (self.low, self.high) {
            (Bound::Closed(a), Bound::Closed(b)) if a == b => Some(a),
            _ => None,
        }
    }

    pub fn low_value(&self) -> Option<Decimal> {
        self.low.value()
    }

    pub fn high_value(&self) -> Option<Decimal> {
        self.high.value()
    }
}

impl fmt::Display for Interval {
    /// `147`, `[38.15, 38.25]`, `(70, 80)`, `(200, ∞)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.as_exact() {
            return write!(f, "{}", v.normalize());
        }
        match self.low {
            Bound::Unbounded => write!(f, "(-∞")?,
            Bound::Closed(v) => write!(f, "[{}", v.normalize())?,
            Bound::Open(v) => write!(f, "({}", v.normalize())?,
        }
        match self.high {
            Bound::Unbounded => write!(f, ", ∞)"),
            Bound::Closed(v) => write!(f, ", {}]", v.normalize()),
            Bound::Open(v) => write!(f, ", {})", v.normalize()),
        }
    }
}

/// The outcome of a relation over intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Truth {
    /// Holds for every value the figures may take.
    True,
    /// Violated for every value the figures may take: the only outcome that is a finding.
    False,
    /// Holds for some readings and not for others; reported only under `--strict`.
    Unknown,
}

impl fmt::Display for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        })
    }
}

impl From<bool> for Truth {
    fn from(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }
}

impl Truth {
    /// Kleene conjunction: one definite `False` decides, whatever the other side.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    /// Kleene disjunction: one definite `True` decides, whatever the other side.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }

    /// `Some(b)` when the outcome is definite.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Truth::True => Some(true),
            Truth::False => Some(false),
            Truth::Unknown => None,
        }
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    /// Negation keeps `Unknown`: a relation undetermined for some readings stays so negated.
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic.
//
// Every operation works on the ends of its operands placed on the extended number line
// (`Ext`), so that unbounded ends, open ends and Decimal overflow are handled in one place. The
// result of `*` and `/` is the hull of what the four corner combinations of ends give: the
// extremes of `x·y` and `x/y` over a box lie at its corners (both are monotone in each argument
// once the divisor keeps one sign). Whenever Decimal has to round, the corner is widened by one
// unit in the last place and made open, so an interval result always contains the true result.
// ---------------------------------------------------------------------------------------------

/// A point of the extended number line. The derived order is the numeric one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ext {
    NegInf,
    Fin(Decimal),
    PosInf,
}

impl Ext {
    fn sign(self) -> i8 {
        match self {
            Ext::NegInf => -1,
            Ext::PosInf => 1,
            Ext::Fin(v) if v.is_zero() => 0,
            Ext::Fin(v) if v.is_sign_negative() => -1,
            Ext::Fin(_) => 1,
        }
    }

    fn infinity(sign: i8) -> Ext {
        if sign < 0 { Ext::NegInf } else { Ext::PosInf }
    }

    fn is_zero(self) -> bool {
        self.sign() == 0
    }
}

/// One end of an interval on the extended line; infinite ends are always open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct End {
    at: Ext,
    open: bool,
}

impl End {
    fn new(at: Ext, open: bool) -> End {
        End {
            at,
            open: open || !matches!(at, Ext::Fin(_)),
        }
    }

    fn is_closed_zero(self) -> bool {
        !self.open && self.at.is_zero()
    }

    fn low(bound: Bound) -> End {
        match bound {
            Bound::Unbounded => End::new(Ext::NegInf, true),
            Bound::Closed(v) => End::new(Ext::Fin(v), false),
            Bound::Open(v) => End::new(Ext::Fin(v), true),
        }
    }

    fn high(bound: Bound) -> End {
        match bound {
            Bound::Unbounded => End::new(Ext::PosInf, true),
            Bound::Closed(v) => End::new(Ext::Fin(v), false),
            Bound::Open(v) => End::new(Ext::Fin(v), true),
        }
    }

    /// Back to a [`Bound`]. An infinite end becomes `Unbounded` whatever its sign: a low end
    /// at +∞ cannot arise from non-empty operands, and widening is the safe reading if it did.
    fn to_bound(self) -> Bound {
        match self.at {
            Ext::Fin(v) if self.open => Bound::Open(v),
            Ext::Fin(v) => Bound::Closed(v),
            Ext::NegInf | Ext::PosInf => Bound::Unbounded,
        }
    }

    /// The lower of two low ends; at a tie the closed one, since the union contains the value.
    fn lower_inclusive(self, other: End) -> End {
        match self.at.cmp(&other.at) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal => End::new(self.at, self.open && other.open),
        }
    }

    /// The higher of two high ends; at a tie the closed one.
    fn higher_inclusive(self, other: End) -> End {
        match self.at.cmp(&other.at) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal => End::new(self.at, self.open && other.open),
        }
    }

    /// The lower of two ends where reaching the value needs both: at a tie, open if either is.
    fn lower_exclusive(self, other: End) -> End {
        match self.at.cmp(&other.at) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal => End::new(self.at, self.open || other.open),
        }
    }

    /// The higher of two ends where reaching the value needs both: at a tie, open if either is.
    fn higher_exclusive(self, other: End) -> End {
        match self.at.cmp(&other.at) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal => End::new(self.at, self.open || other.open),
        }
    }

    fn neg(self) -> End {
        let at = match self.at {
            Ext::NegInf => Ext::PosInf,
            Ext::PosInf => Ext::NegInf,
            // Decimal's range is symmetric: negation cannot overflow.
            Ext::Fin(v) => Ext::Fin(-v),
        };
        End::new(at, self.open)
    }
}

/// What one combination of ends contributes to a result: a point, or — when Decimal rounded —
/// the open band of one unit in the last place around the rounded value.
#[derive(Debug, Clone, Copy)]
struct Corner {
    low: End,
    high: End,
}

impl Corner {
    fn point(at: Ext, open: bool) -> Corner {
        let end = End::new(at, open);
        Corner {
            low: end,
            high: end,
        }
    }

    /// The outcome of a finite Decimal operation: exact, rounded (`exact == false`), or
    /// overflowed (`None`, towards the infinity of `overflow_sign`).
    fn computed(result: Option<Decimal>, exact: bool, open: bool, overflow_sign: i8) -> Corner {
        match result {
            None => Corner::point(Ext::infinity(overflow_sign), true),
            Some(v) if exact => Corner::point(Ext::Fin(v), open),
            Some(v) => {
                let ulp = Decimal::new(1, v.scale());
                let low = v.checked_sub(ulp).map_or(Ext::NegInf, Ext::Fin);
                let high = v.checked_add(ulp).map_or(Ext::PosInf, Ext::Fin);
                Corner {
                    low: End::new(low, true),
                    high: End::new(high, true),
                }
            }
        }
    }
}

/// `a + b` on low ends (`toward = -1`) or high ends (`toward = 1`); an overflowing or rounded
/// sum is widened in the direction of `toward`.
fn add_ends(a: End, b: End, toward: i8) -> End {
    let open = a.open || b.open;
    match (a.at, b.at) {
        (Ext::Fin(x), Ext::Fin(y)) => match x.checked_add(y) {
            Some(s) if s.scale() == x.scale().max(y.scale()) => End::new(Ext::Fin(s), open),
            Some(s) => {
                let ulp = Decimal::new(i64::from(toward), s.scale());
                End::new(
                    s.checked_add(ulp).map_or(Ext::infinity(toward), Ext::Fin),
                    true,
                )
            }
            None => End::new(Ext::infinity(toward), true),
        },
        // An infinite end of an operand is infinite on the same side in the sum.
        _ => End::new(Ext::infinity(toward), true),
    }
}

/// Whether Decimal computed `p = x·y` without rounding: it keeps every decimal place of the
/// operands unless it had to drop some. (A product that merely lost trailing zeros counts as
/// rounded; treating it so only widens the result.)
fn is_exact_product(p: Decimal, x: Decimal, y: Decimal) -> bool {
    p.scale() == x.scale() + y.scale()
}

/// The product of two ends, as a corner of the product box.
fn mul_corner(a: End, b: End) -> Corner {
    // A zero that belongs to its operand makes the product exactly zero, even against ±∞.
    if a.is_closed_zero() || b.is_closed_zero() {
        return Corner::point(Ext::Fin(Decimal::ZERO), false);
    }
    let open = a.open || b.open;
    let sign = a.at.sign() * b.at.sign();
    match (a.at, b.at) {
        (Ext::Fin(x), Ext::Fin(y)) => {
            let p = x.checked_mul(y);
            Corner::computed(p, p.is_some_and(|p| is_exact_product(p, x, y)), open, sign)
        }
        // An open zero against an infinite end: the products approach zero without reaching it;
        // the other corners already cover how large they get.
        _ if sign == 0 => Corner::point(Ext::Fin(Decimal::ZERO), true),
        _ => Corner::point(Ext::infinity(sign), true),
    }
}

/// The quotient of end `a` by end `b`, a divisor end that is not a closed zero. `b_side` is 1
/// when `b` is a low end (its values lie above it), -1 when it is a high end: an open zero end
/// of the divisor is approached from that side.
fn div_corner(a: End, b: End, b_side: i8) -> Corner {
    if a.is_closed_zero() {
        return Corner::point(Ext::Fin(Decimal::ZERO), false);
    }
    let open = a.open || b.open;
    let b_sign = if b.at.is_zero() { b_side } else { b.at.sign() };
    let sign = a.at.sign() * b_sign;
    match (a.at, b.at) {
        (Ext::Fin(x), Ext::Fin(y)) if !y.is_zero() => {
            let q = x.checked_div(y);
            let exact = q.is_some_and(|q| {
                q.checked_mul(y)
                    .is_some_and(|back| is_exact_product(back, q, y) && back == x)
            });
            Corner::computed(q, exact, open, sign)
        }
        // By an ever larger divisor the quotient shrinks towards zero. ∞/∞ lands here too: the
        // other corners already reach every value of its sign.
        (_, Ext::NegInf | Ext::PosInf) => Corner::point(Ext::Fin(Decimal::ZERO), true),
        // An open zero over an open zero divisor: likewise covered by the other corners.
        _ if sign == 0 => Corner::point(Ext::Fin(Decimal::ZERO), true),
        // Near a zero divisor, or with an infinite dividend, the quotient grows without bound.
        _ => Corner::point(Ext::infinity(sign), true),
    }
}

/// The interval covering every corner.
fn hull_of(corners: [Corner; 4]) -> Interval {
    let [first, rest @ ..] = corners;
    let (low, high) = rest.iter().fold((first.low, first.high), |(low, high), c| {
        (low.lower_inclusive(c.low), high.higher_inclusive(c.high))
    });
    Interval::new(low.to_bound(), high.to_bound())
}

impl Interval {
    fn ends(&self) -> (End, End) {
        (End::low(self.low), End::high(self.high))
    }

    fn from_ends(low: End, high: End) -> Interval {
        Interval::new(low.to_bound(), high.to_bound())
    }

    /// Whether `value` belongs to the interval.
    pub fn contains(&self, value: Decimal) -> bool {
        let (low, high) = self.ends();
        let v = Ext::Fin(value);
        let above = low.at < v || (low.at == v && !low.open);
        let below = v < high.at || (v == high.at && !high.open);
        above && below
    }

    /// The smallest interval containing both: the value of a figure read either way.
    pub fn hull(&self, other: &Interval) -> Interval {
        let (a_low, a_high) = self.ends();
        let (b_low, b_high) = other.ends();
        Interval::from_ends(
            a_low.lower_inclusive(b_low),
            a_high.higher_inclusive(b_high),
        )
    }

    /// Whether some value belongs to both.
    pub fn intersects(&self, other: &Interval) -> bool {
        !all_lt(self, other) && !all_lt(other, self)
    }

    /// `|x|` for every `x` of the interval.
    pub fn abs(&self) -> Interval {
        let (low, high) = self.ends();
        if low.at >= Ext::Fin(Decimal::ZERO) {
            return *self;
        }
        if high.at <= Ext::Fin(Decimal::ZERO) {
            return -*self;
        }
        // Zero lies strictly inside: it is reached, and the far end is whichever end is further.
        let far = low.neg().higher_inclusive(high);
        Interval::from_ends(End::new(Ext::Fin(Decimal::ZERO), false), far)
    }

    /// `min(x, y)` over every pair: the lower of the lows and the lower of the highs.
    pub fn min(&self, other: &Interval) -> Interval {
        let (a_low, a_high) = self.ends();
        let (b_low, b_high) = other.ends();
        // The low is reached if either operand reaches it; the high only if both do.
        Interval::from_ends(a_low.lower_inclusive(b_low), a_high.lower_exclusive(b_high))
    }

    /// `max(x, y)` over every pair: the higher of the lows and the higher of the highs.
    pub fn max(&self, other: &Interval) -> Interval {
        let (a_low, a_high) = self.ends();
        let (b_low, b_high) = other.ends();
        Interval::from_ends(
            a_low.higher_exclusive(b_low),
            a_high.higher_inclusive(b_high),
        )
    }

    /// The interval shifted by a constant.
    pub fn shift(&self, by: Decimal) -> Interval {
        *self + Interval::exact(by)
    }

    /// The interval multiplied by a constant.
    pub fn scale(&self, by: Decimal) -> Interval {
        *self * Interval::exact(by)
    }

    /// Whether zero belongs to the interval: dividing by it says nothing.
    pub fn contains_zero(&self) -> bool {
        self.contains(Decimal::ZERO)
    }

    /// Three-valued `<`: true when every value of `self` is below every value of `other`.
    pub fn lt(&self, other: &Interval) -> Truth {
        decide(all_lt(self, other), all_le(other, self))
    }

    /// Three-valued `<=`.
    pub fn le(&self, other: &Interval) -> Truth {
        decide(all_le(self, other), all_lt(other, self))
    }

    /// Three-valued `>`.
    pub fn gt(&self, other: &Interval) -> Truth {
        other.lt(self)
    }

    /// Three-valued `>=`.
    pub fn ge(&self, other: &Interval) -> Truth {
        other.le(self)
    }

    /// Three-valued `==`: true only for one and the same point, false when the intervals are
    /// disjoint. Two equal intervals of several values may still hold different values.
    pub fn eq(&self, other: &Interval) -> Truth {
        let same_point = self.as_exact().is_some() && self.as_exact() == other.as_exact();
        decide(same_point, !self.intersects(other))
    }

    /// Three-valued `!=`.
    pub fn ne(&self, other: &Interval) -> Truth {
        !self.eq(other)
    }
}

fn decide(always: bool, never: bool) -> Truth {
    match (always, never) {
        (true, _) => Truth::True,
        (false, true) => Truth::False,
        (false, false) => Truth::Unknown,
    }
}

/// Every value of `a` is `<=` every value of `b`: `sup a <= inf b`.
fn all_le(a: &Interval, b: &Interval) -> bool {
    match (a.high, b.low) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
        (x, y) => x.value() <= y.value(),
    }
}

/// Every value of `a` is `<` every value of `b`: `sup a < inf b`, or equal with either open.
fn all_lt(a: &Interval, b: &Interval) -> bool {
    match (a.high, b.low) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
        (x, y) => x.value() < y.value() || (x.value() == y.value() && (x.is_open() || y.is_open())),
    }
}

impl std::ops::Neg for Interval {
    type Output = Interval;

    fn neg(self) -> Interval {
        let (low, high) = self.ends();
        Interval::from_ends(high.neg(), low.neg())
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;

    fn add(self, other: Interval) -> Interval {
        let (a_low, a_high) = self.ends();
        let (b_low, b_high) = other.ends();
        Interval::from_ends(add_ends(a_low, b_low, -1), add_ends(a_high, b_high, 1))
    }
}

impl std::ops::Sub for Interval {
    type Output = Interval;

    fn sub(self, other: Interval) -> Interval {
        self + -other
    }
}

impl std::ops::Mul for Interval {
    type Output = Interval;

    fn mul(self, other: Interval) -> Interval {
        let (a_low, a_high) = self.ends();
        let (b_low, b_high) = other.ends();
        hull_of([
            mul_corner(a_low, b_low),
            mul_corner(a_low, b_high),
            mul_corner(a_high, b_low),
            mul_corner(a_high, b_high),
        ])
    }
}

impl std::ops::Div for Interval {
    type Output = Interval;

    /// A divisor that may be zero gives every decimal: no reading of the figures can then be
    /// ruled out, so no comparison of the quotient is ever definite.
    fn div(self, other: Interval) -> Interval {
        if other.contains_zero() {
            return Interval::unbounded();
        }
        let (a_low, a_high) = self.ends();
        let (b_low, b_high) = other.ends();
        hull_of([
            div_corner(a_low, b_low, 1),
            div_corner(a_low, b_high, -1),
            div_corner(a_high, b_low, 1),
            div_corner(a_high, b_high, -1),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Reads `5`, `[1, 2)`, `(-inf, 3]`, `(70, inf)`: tables below stay readable.
    fn iv(s: &str) -> Interval {
        let s = s.trim();
        let bound = |text: &str, open: bool| {
            let text = text.trim();
            if text.ends_with("inf") {
                Bound::Unbounded
            } else if open {
                Bound::Open(Decimal::from_str(text).unwrap())
            } else {
                Bound::Closed(Decimal::from_str(text).unwrap())
            }
        };
        let Some(inner) = s.get(1..s.len() - 1).filter(|_| s.contains(',')) else {
            return Interval::exact(Decimal::from_str(s).unwrap());
        };
        let (low, high) = inner.split_once(',').unwrap();
        Interval::new(
            bound(low, s.starts_with('(')),
            bound(high, s.ends_with(')')),
        )
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_test_notation_reads_every_kind_of_end() {
        assert_eq!(
            iv("[1, 2)"),
            Interval::new(Bound::Closed(dec("1")), Bound::Open(dec("2")))
        );
        assert_eq!(
            iv("(-inf, 3]"),
            Interval::new(Bound::Unbounded, Bound::Closed(dec("3")))
        );
        assert_eq!(iv("7"), Interval::exact(dec("7")));
    }

    #[test]
    fn arithmetic() {
        use std::ops::{Add, Div, Mul, Sub};
        type Op = fn(Interval, Interval) -> Interval;
        let (add, sub, mul, div): (Op, Op, Op, Op) =
            (Interval::add, Interval::sub, Interval::mul, Interval::div);
        let cases: &[(&str, Op, &str, &str, &str)] = &[
            ("add points", add, "2", "4", "6"),
            ("add closed+open", add, "[1, 2]", "(10, 20)", "(11, 22)"),
            ("add open low only", add, "(70, 80]", "[5, 5]", "(75, 85]"),
            ("add unbounded", add, "(200, inf)", "[1, 2]", "(201, inf)"),
            (
                "add both unbounded",
                add,
                "(-inf, 0]",
                "[0, inf)",
                "(-inf, inf)",
            ),
            ("sub points", sub, "9", "4", "5"),
            ("sub swaps ends", sub, "[10, 20)", "(1, 2]", "[8, 19)"),
            (
                "sub unbounded",
                sub,
                "[0, 300)",
                "(200, inf)",
                "(-inf, 100)",
            ),
            ("mul points", mul, "25", "2", "50"),
            ("mul positive", mul, "(70, 80)", "[2, 3]", "(140, 240)"),
            ("mul negative", mul, "[-3, -2]", "(1, 4]", "[-12, -2)"),
            ("mul straddling", mul, "[-1, 2)", "[3, 5]", "[-5, 10)"),
            (
                "mul both straddling",
                mul,
                "[-2, 3]",
                "(-5, 1]",
                "(-15, 10)",
            ),
            ("mul tie closed wins", mul, "[-1, 1]", "[-1, 1)", "[-1, 1]"),
            (
                "mul closed zero kills inf",
                mul,
                "[0, 1]",
                "[5, inf)",
                "[0, inf)",
            ),
            ("mul open zero", mul, "(0, 1]", "[1, inf)", "(0, inf)"),
            ("mul by zero point", mul, "0", "(-inf, inf)", "0"),
            (
                "mul negative unbounded",
                mul,
                "(0, 1]",
                "(-inf, -1]",
                "(-inf, 0)",
            ),
            ("div points", div, "1", "4", "0.25"),
            ("div positive", div, "[10, 20]", "(2, 5]", "[2, 10)"),
            (
                "div negative divisor",
                div,
                "[10, 20]",
                "[-5, -2]",
                "[-10, -2]",
            ),
            (
                "div divisor with zero",
                div,
                "[1, 2]",
                "[-1, 1]",
                "(-inf, inf)",
            ),
            (
                "div divisor closed zero end",
                div,
                "[1, 2]",
                "[0, 5]",
                "(-inf, inf)",
            ),
            (
                "div divisor open zero low",
                div,
                "[1, 2]",
                "(0, 5]",
                "[0.2, inf)",
            ),
            (
                "div divisor open zero high",
                div,
                "[1, 2]",
                "[-4, 0)",
                "(-inf, -0.25]",
            ),
            ("div by unbounded", div, "[1, 2]", "[1, inf)", "(0, 2]"),
            (
                "div unbounded by unbounded",
                div,
                "[1, inf)",
                "[1, inf)",
                "(0, inf)",
            ),
            ("div zero dividend", div, "[0, 0]", "(0, 1]", "0"),
            (
                "div open zero dividend",
                div,
                "(0, 1]",
                "(0, 1]",
                "(0, inf)",
            ),
            (
                "div unbounded dividend",
                div,
                "(-inf, -1]",
                "(0, 2]",
                "(-inf, -0.5]",
            ),
        ];
        for &(name, op, a, b, want) in cases {
            assert_eq!(op(iv(a), iv(b)), iv(want), "{name}: {a} ∘ {b}");
        }
    }

    #[test]
    fn unary_and_set_operations() {
        type Op = fn(&Interval) -> Interval;
        let neg: Op = |a| -*a;
        let abs: Op = Interval::abs;
        let cases: &[(&str, Op, &str, &str)] = &[
            ("neg", neg, "[1, 2)", "(-2, -1]"),
            ("neg unbounded", neg, "(200, inf)", "(-inf, -200)"),
            ("abs positive", abs, "(0, 5]", "(0, 5]"),
            ("abs negative", abs, "[-3, -1)", "(1, 3]"),
            ("abs straddling", abs, "[-4, 3)", "[0, 4]"),
            ("abs straddling tie", abs, "(-3, 3]", "[0, 3]"),
            ("abs unbounded", abs, "(-inf, 1]", "[0, inf)"),
        ];
        for &(name, op, a, want) in cases {
            assert_eq!(op(&iv(a)), iv(want), "{name}: {a}");
        }

        type Op2 = fn(&Interval, &Interval) -> Interval;
        let (hull, min, max): (Op2, Op2, Op2) = (Interval::hull, Interval::min, Interval::max);
        let cases: &[(&str, Op2, &str, &str, &str)] = &[
            ("hull disjoint", hull, "[1, 2)", "(5, 6]", "[1, 6]"),
            ("hull tie closed", hull, "(1, 2)", "[1, 2]", "[1, 2]"),
            ("hull unbounded", hull, "(200, inf)", "3", "[3, inf)"),
            ("min", min, "(70, 80)", "[50, 75]", "[50, 75]"),
            ("min high tie open", min, "[1, 5)", "[2, 5]", "[1, 5)"),
            ("min high tie closed", min, "[1, 5]", "[2, 5]", "[1, 5]"),
            ("min low tie closed", min, "(1, 5)", "[1, 2]", "[1, 2]"),
            ("min unbounded", min, "(200, inf)", "[1, 300]", "[1, 300]"),
            ("max", max, "(70, 80)", "[50, 75]", "(70, 80)"),
            ("max low tie open", max, "[1, 5]", "(1, 3]", "(1, 5]"),
            ("max low tie closed", max, "[1, 5]", "[1, 3]", "[1, 5]"),
            ("max unbounded", max, "(-inf, 3]", "[1, 2]", "[1, 3]"),
        ];
        for &(name, op, a, b, want) in cases {
            assert_eq!(op(&iv(a), &iv(b)), iv(want), "{name}: {a}, {b}");
        }
    }

    #[test]
    fn scalar_helpers() {
        assert_eq!(iv("(70, 80)").scale(dec("2")), iv("(140, 160)"));
        assert_eq!(iv("(70, 80)").scale(dec("-1")), iv("(-80, -70)"));
        assert_eq!(iv("(70, 80)").shift(dec("-70")), iv("(0, 10)"));
        assert_eq!(iv("[0, inf)").shift(dec("1")), iv("[1, inf)"));
    }

    #[test]
    fn membership_and_intersection() {
        let contains = [
            ("[0, 300)", "0", true),
            ("[0, 300)", "300", false),
            ("(70, 80)", "70", false),
            ("(70, 80)", "75.5", true),
            ("(-inf, inf)", "-99999", true),
            ("(200, inf)", "200", false),
        ];
        for (a, v, want) in contains {
            assert_eq!(iv(a).contains(dec(v)), want, "{v} in {a}");
        }
        let intersects = [
            ("[1, 2]", "[2, 3]", true),
            ("[1, 2)", "[2, 3]", false),
            ("[1, 2]", "(2, 3]", false),
            ("(70, 80)", "75", true),
            ("(-inf, 0)", "(0, inf)", false),
            ("(-inf, 0]", "[0, inf)", true),
            ("(200, inf)", "(-inf, 201)", true),
        ];
        for (a, b, want) in intersects {
            assert_eq!(iv(a).intersects(&iv(b)), want, "{a} ∩ {b}");
            assert_eq!(iv(b).intersects(&iv(a)), want, "{b} ∩ {a}");
        }
    }

    #[test]
    fn comparisons() {
        use Truth::{False as F, True as T, Unknown as U};
        type Cmp = fn(&Interval, &Interval) -> Truth;
        let (lt, le, gt, ge, eq, ne): (Cmp, Cmp, Cmp, Cmp, Cmp, Cmp) = (
            Interval::lt,
            Interval::le,
            Interval::gt,
            Interval::ge,
            Interval::eq,
            Interval::ne,
        );
        let cases: &[(&str, &str, Cmp, &str, Truth)] = &[
            ("approximate above exact", "(70, 80)", ge, "[50, 50]", T),
            ("staff exceeds villages", "[901, 901]", le, "[889, 889]", F),
            ("staff within villages", "801", le, "889", T),
            ("approximate around a point", "(70, 80)", eq, "75", U),
            ("under 300 is below 300", "[0, 300)", lt, "300", T),
            ("under 300 may reach 299", "[0, 300)", lt, "299", U),
            ("open end excludes the point", "(70, 80)", le, "70", F),
            ("closed end includes it", "[70, 80)", le, "70", U),
            ("touching closed ends le", "[1, 2]", le, "[2, 3]", T),
            ("touching closed ends lt", "[1, 2]", lt, "[2, 3]", U),
            ("touching open end lt", "[1, 2)", lt, "[2, 3]", T),
            ("lt false at touching", "[2, 3]", lt, "[1, 2]", F),
            ("le false needs a gap", "[2, 3]", le, "[1, 2]", U),
            ("le false open", "(2, 3]", le, "[1, 2]", F),
            ("gt", "(200, inf)", gt, "200", T),
            ("gt unbounded unknown", "(200, inf)", gt, "300", U),
            ("ge unbounded false", "(-inf, 10)", ge, "10", F),
            ("ge", "10", ge, "[9, 10]", T),
            ("ge unknown", "10", ge, "[9, 11]", U),
            ("unbounded both sides", "(-inf, inf)", lt, "0", U),
            ("unbounded both le", "(-inf, inf)", le, "(-inf, inf)", U),
            ("eq points", "147", eq, "147", T),
            ("eq points differ", "147", eq, "148", F),
            (
                "eq identical ranges",
                "[38.15, 38.25]",
                eq,
                "[38.15, 38.25]",
                U,
            ),
            ("eq disjoint ranges", "(70, 80)", eq, "[80, 90]", F),
            (
                "eq overlapping unbounded",
                "(200, inf)",
                eq,
                "(-inf, 250]",
                U,
            ),
            ("eq scale does not matter", "38.20", eq, "38.2", T),
            ("ne points", "147", ne, "148", T),
            ("ne same point", "4", ne, "4", F),
            ("ne overlapping", "(70, 80)", ne, "75", U),
        ];
        for &(name, a, op, b, want) in cases {
            assert_eq!(op(&iv(a), &iv(b)), want, "{name}: {a} ? {b}");
        }
    }

    #[test]
    fn kleene_logic() {
        use Truth::{False as F, True as T, Unknown as U};
        let cases = [
            (T, T, T, T),
            (T, F, F, T),
            (T, U, U, T),
            (F, F, F, F),
            (F, U, F, U),
            (U, U, U, U),
        ];
        for (a, b, and, or) in cases {
            assert_eq!(a.and(b), and, "{a} and {b}");
            assert_eq!(b.and(a), and, "{b} and {a}");
            assert_eq!(a.or(b), or, "{a} or {b}");
            assert_eq!(b.or(a), or, "{b} or {a}");
        }
        assert_eq!([!T, !F, !U], [F, T, U]);
        assert_eq!(Truth::from(true), T);
        assert_eq!(F.as_bool(), Some(false));
        assert_eq!(U.as_bool(), None);
    }

    #[test]
    fn overflow_widens_instead_of_panicking() {
        let max = Interval::exact(Decimal::MAX);
        let min = Interval::exact(Decimal::MIN);
        assert_eq!(max + max, Interval::new(Bound::Unbounded, Bound::Unbounded));
        assert_eq!(min - max, Interval::unbounded());
        assert_eq!(max * iv("[2, 3]"), Interval::unbounded());
        assert_eq!(max * iv("-2"), Interval::unbounded());
        let tiny = Interval::exact(Decimal::new(1, 28));
        let quotient = max / tiny;
        assert_eq!(quotient, Interval::unbounded());
        assert_eq!(max.scale(dec("0.5")).gt(&iv("0")), Truth::True);
    }

    #[test]
    fn rounded_results_stay_enclosing() {
        // 1/3 is not a decimal: the result is a tiny open band around the rounded value.
        let third = iv("1") / iv("3");
        assert_eq!(third.as_exact(), None);
        assert!(third.contains(dec("0.3333333333333333333333333333")));
        assert_eq!((third * iv("3")).eq(&iv("1")), Truth::Unknown);
        assert_eq!(third.lt(&iv("0.34")), Truth::True);
        // A product that needs more than 28 decimal places.
        let tiny = Interval::exact(Decimal::new(1, 20));
        let product = tiny * tiny;
        assert!(product.contains(Decimal::ZERO));
        assert_eq!(product.ge(&iv("0")), Truth::Unknown);
    }

    #[test]
    fn display_unchanged() {
        assert_eq!(iv("(70, 80)").to_string(), "(70, 80)");
        assert_eq!(iv("(200, inf)").to_string(), "(200, ∞)");
        assert_eq!(iv("147").to_string(), "147");
    }
}
