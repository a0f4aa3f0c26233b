//! Properties of interval arithmetic and of the expression language that tables cannot cover:
//! no input makes the parser panic, printing a tree parses back to it, three-valued relations
//! agree with plain decimal comparison on points, and every arithmetic result contains every
//! result of its members.

use proptest::prelude::*;
use rust_decimal::Decimal;
use statlint::interval::{Bound, Interval, Truth};
use statlint::rules::expr::{
    Item, MapEnv, NameTable, Num, Type, Value, check, eval, explain_failure, parse, render,
};

/// Mostly small integers, so that zero ends and ties between ends are common.
fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (-3i64..=3).prop_map(Decimal::from),
        (-100_000i64..100_000, 0u32..3).prop_map(|(m, scale)| Decimal::new(m, scale)),
    ]
}

/// An interval with ends of every kind, and a member of it: often an end, or just inside an
/// open end, where mistakes about open and closed ends show.
fn interval_and_member() -> impl Strategy<Value = (Interval, Decimal)> {
    let ends = (decimal(), decimal(), 0u8..3, 0u8..3);
    (ends, 0u8..4, 1i64..100).prop_map(|((a, b, low_kind, high_kind), pick, t)| {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let bound = |v: Decimal, kind: u8| match kind {
            _ if lo == hi => Bound::Closed(v),
            0 => Bound::Closed(v),
            1 => Bound::Open(v),
            _ => Bound::Unbounded,
        };
        let interval = Interval::new(bound(lo, low_kind), bound(hi, high_kind));
        // Generated decimals have at most 2 places: a step of 0.001 stays inside.
        let step = Decimal::new(1, 3);
        let member = match (pick, interval.low, interval.high) {
            (0, Bound::Unbounded, _) => lo - Decimal::from(1_000_000),
            (0, Bound::Open(_), _) => lo + step,
            (0, _, _) => lo,
            (1, _, Bound::Unbounded) => hi + Decimal::from(1_000_000),
            (1, _, Bound::Open(_)) => hi - step,
            (1, _, _) => hi,
            _ if lo == hi => lo,
            _ => lo + (hi - lo) * Decimal::new(t, 2),
        };
        (interval, member)
    })
}

fn truth_agrees(truth: Truth, holds: bool) -> bool {
    match truth {
        Truth::True => holds,
        Truth::False => !holds,
        Truth::Unknown => true,
    }
}

/// Fragments that make random strings look like expressions, so the parser gets past the
/// first token.
fn expression_like() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "a",
        "b.g",
        "c",
        "1",
        "0.5",
        "2",
        "\"人\"",
        "true",
        "false",
        "(",
        ")",
        ",",
        ".",
        "+",
        "-",
        "*",
        "/",
        "<",
        "<=",
        "≤",
        ">",
        ">=",
        "==",
        "!=",
        "≠",
        "and",
        "or",
        "not",
        "sum(",
        "count(",
        "min(",
        "pct(",
        "within(",
        "malformed(",
        "unit(",
        "text(",
        "abs(",
        " ",
        "%",
        "=",
        "万",
    ]);
    prop::collection::vec(fragment, 0..30).prop_map(|parts| parts.concat())
}

fn names() -> NameTable {
    NameTable::new()
        .with("a", None, Type::Num)
        .with("b", Some("g"), Type::Num)
        .with("c", None, Type::List)
}

fn env(a: Interval, b: Interval) -> MapEnv {
    let item = Item::words;
    MapEnv::new()
        .with_fact("a", None, Value::Num(Num::written(a, "a")))
        .with_fact("b", Some("g"), Value::Num(Num::computed(b)))
        .with_fact("c", None, Value::List(vec![item("甲"), item("乙")]))
}

proptest! {
    #[test]
    fn parsing_any_string_never_panics(src in any::<String>()) {
        let _ = parse(&src);
    }

    #[test]
    fn expression_like_input_never_panics_and_prints_back(
        src in expression_like(),
        (a, _) in interval_and_member(),
        (b, _) in interval_and_member(),
    ) {
        let Ok(expr) = parse(&src) else { return Ok(()) };
        let printed = expr.to_string();
        let again = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        prop_assert_eq!(again.to_string(), printed);
        if check(&expr, &names()).is_ok() {
            let env = env(a, b);
            let _ = eval(&expr, &env);
            let _ = render(&expr, &env);
            let _ = explain_failure(&expr, &env);
        }
    }

    #[test]
    fn relations_on_points_are_decimal_comparisons(x in decimal(), y in decimal()) {
        let (a, b) = (Interval::exact(x), Interval::exact(y));
        prop_assert_eq!(a.le(&b), Truth::from(x <= y));
        prop_assert_eq!(a.lt(&b), Truth::from(x < y));
        prop_assert_eq!(a.ge(&b), Truth::from(x >= y));
        prop_assert_eq!(a.gt(&b), Truth::from(x > y));
        prop_assert_eq!(a.eq(&b), Truth::from(x == y));
        prop_assert_eq!(a.ne(&b), Truth::from(x != y));
    }

    #[test]
    fn relations_never_contradict_members(
        (a, x) in interval_and_member(),
        (b, y) in interval_and_member(),
    ) {
        prop_assert!(a.contains(x) && b.contains(y), "{} ∌ {} or {} ∌ {}", a, x, b, y);
        prop_assert!(truth_agrees(a.lt(&b), x < y), "{} < {}", a, b);
        prop_assert!(truth_agrees(a.le(&b), x <= y), "{} <= {}", a, b);
        prop_assert!(truth_agrees(a.gt(&b), x > y), "{} > {}", a, b);
        prop_assert!(truth_agrees(a.ge(&b), x >= y), "{} >= {}", a, b);
        prop_assert!(truth_agrees(a.eq(&b), x == y), "{} == {}", a, b);
        prop_assert!(truth_agrees(a.ne(&b), x != y), "{} != {}", a, b);
        if !a.intersects(&b) {
            prop_assert_ne!(x, y);
        }
    }

    #[test]
    fn arithmetic_contains_every_result_of_members(
        (a, x) in interval_and_member(),
        (b, y) in interval_and_member(),
    ) {
        let cases = [
            ("+", a + b, x + y),
            ("-", a - b, x - y),
            ("*", a * b, x * y),
            ("min", a.min(&b), x.min(y)),
            ("max", a.max(&b), x.max(y)),
        ];
        for (op, result, value) in cases {
            prop_assert!(result.contains(value), "{} {} {} = {} ∌ {}", a, op, b, result, value);
        }
        prop_assert!((-a).contains(-x), "-{}", a);
        prop_assert!(a.abs().contains(x.abs()), "abs {}", a);
        prop_assert!(a.hull(&b).contains(x) && a.hull(&b).contains(y));
        if !y.is_zero() {
            let quotient = x / y;
            prop_assert!((a / b).contains(quotient), "{} / {} = {} ∌ {}", a, b, a / b, quotient);
        }
    }
}
