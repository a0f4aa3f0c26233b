//! Tests of the language as a whole: parser, evaluator, renderer. The lexer, the checker and
//! the function table test themselves in their modules.

use super::*;
use crate::interval::{Bound, Interval, Truth};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The tree with every node parenthesized: `(+ a (* b c))`.
fn sexp(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Number(n) => n.normalize().to_string(),
        ExprKind::Text(t) => format!("{t:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Fact(r) => r.path(),
        ExprKind::Unary { op, operand } => {
            let op = match op {
                UnaryOp::Neg => "neg",
                UnaryOp::Not => "not",
            };
            format!("({op} {})", sexp(operand))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), sexp(lhs), sexp(rhs))
        }
        ExprKind::Call { func, args, .. } => {
            let args: Vec<String> = args.iter().map(sexp).collect();
            format!("({} {})", func.name, args.join(" "))
        }
    }
}

/// The source text under every node, in preorder.
fn node_texts<'a>(src: &'a str, expr: &Expr, out: &mut Vec<&'a str>) {
    out.push(&src[expr.span.range()]);
    match &expr.kind {
        ExprKind::Unary { operand, .. } => node_texts(src, operand, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            node_texts(src, lhs, out);
            node_texts(src, rhs, out);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| node_texts(src, a, out)),
        _ => {}
    }
}

#[test]
fn precedence_and_associativity() {
    let cases = [
        ("a + b * c", "(+ a (* b c))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b * c", "(* (/ a b) c)"),
        ("-a * b", "(* (neg a) b)"),
        ("- -a", "(neg (neg a))"),
        ("a - -1", "(- a (neg 1))"),
        ("not a and b", "(and (not a) b)"),
        ("not a < b", "(not (< a b))"),
        ("not not true", "(not (not true))"),
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c and d", "(or (and a b) (and c d))"),
        ("a < b + 1", "(< a (+ b 1))"),
        ("a * 2 == b - 1", "(== (* a 2) (- b 1))"),
        ("(a or b) and c", "(and (or a b) c)"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("sum(a, b.c) ≥ 1.50", "(>= (sum a b.c) 1.5)"),
        ("x ≠ \"人\"", "(!= x \"人\")"),
        ("a≤b", "(<= a b)"),
        ("count(items) == n", "(== (count items) n)"),
        (
            "max(min(a, b), 0) > 1 or false",
            "(or (> (max (min a b) 0) 1) false)",
        ),
        ("malformed(amount.v)", "(malformed amount.v)"),
    ];
    for (src, want) in cases {
        let expr = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        assert_eq!(sexp(&expr), want, "{src}");
    }
}

#[test]
fn every_node_spans_its_source() {
    let cases: [(&str, &[&str]); 6] = [
        ("(a + b) * c", &["(a + b) * c", "(a + b)", "a", "b", "c"]),
        ("not -x.g", &["not -x.g", "-x.g", "x.g"]),
        (
            "count(items) ≤ 5",
            &["count(items) ≤ 5", "count(items)", "items", "5"],
        ),
        (
            "  sum( a , 2 ) == total ",
            &["sum( a , 2 ) == total", "sum( a , 2 )", "a", "2", "total"],
        ),
        ("((a))", &["((a))"]),
        ("f2 or \"值\"", &["f2 or \"值\"", "f2", "\"值\""]),
    ];
    for (src, want) in cases {
        let mut got = Vec::new();
        node_texts(src, &parse(src).unwrap(), &mut got);
        assert_eq!(got, want, "{src}");
    }
}

#[test]
fn call_and_reference_spans() {
    let src = "sum(parts.a, 1)";
    let expr = parse(src).unwrap();
    let ExprKind::Call {
        name_span, args, ..
    } = &expr.kind
    else {
        panic!("not a call: {expr:?}");
    };
    assert_eq!(&src[name_span.range()], "sum");
    let ExprKind::Fact(r) = &args[0].kind else {
        panic!("not a fact: {:?}", args[0]);
    };
    assert_eq!(&src[r.name_span.range()], "parts");
    assert_eq!(r.group_span.map(|s| &src[s.range()]), Some("a"));
}

/// Every parse error: source, message, the byte range of its span, and a fragment of the
/// help (or `None` when the error has no help).
#[test]
fn parse_errors() {
    let cases = [
        ("", "expected an expression, found end of input", 0..0, None),
        (
            "a +",
            "expected an expression, found end of input",
            3..3,
            None,
        ),
        ("and", "expected an expression, found `and`", 0..3, None),
        ("sum(a,)", "expected an expression, found `)`", 6..7, None),
        (
            "sum(a, b",
            "expected `)` after arguments",
            8..8,
            Some("separate arguments"),
        ),
        (
            "sum(a b)",
            "expected `)` after arguments",
            6..7,
            Some("separate arguments"),
        ),
        ("(a + b", "expected `)` to close `(`", 6..6, Some("byte 0")),
        ("a + b)", "unmatched `)`", 5..6, None),
        (
            "a b",
            "expected an operator or the end of the expression",
            2..3,
            None,
        ),
        (
            "a < b < c",
            "comparisons cannot be chained",
            6..7,
            Some("and"),
        ),
        (
            "a == b ≠ c",
            "comparisons cannot be chained",
            7..10,
            Some("and"),
        ),
        (
            "summ(a)",
            "unknown function `summ`",
            0..4,
            Some("did you mean `sum`?"),
        ),
        (
            "frobnicate(a)",
            "unknown function `frobnicate`",
            0..10,
            Some("functions: count, sum"),
        ),
        ("a.", "expected a group name after `.`", 2..2, None),
        ("a.1", "expected a group name after `.`", 2..3, None),
        (
            "a % b",
            "unexpected character `%`",
            2..3,
            Some("percentages"),
        ),
        ("a = b", "unexpected character `=`", 2..3, Some("`==`")),
    ];
    for (src, message, span, help) in cases {
        let err = parse(src).unwrap_err();
        assert_eq!(err.message, message, "{src}");
        assert_eq!(err.span, span.into(), "{src}");
        match help {
            Some(h) => {
                let got = err.help.clone().unwrap_or_default();
                assert!(got.contains(h), "{src}: help {got:?}");
            }
            None => assert_eq!(err.help, None, "{src}"),
        }
    }
}

#[test]
fn nesting_is_limited_without_exhausting_the_stack() {
    let nested =
        |n: usize, open: &str, close: &str| format!("{}a{}", open.repeat(n), close.repeat(n));
    assert!(parse(&nested(40, "(", ")")).is_ok());
    assert!(parse(&nested(40, "abs(", ")")).is_ok());
    let chain = vec!["a"; 60].join(" + ");
    assert!(parse(&chain).is_ok());
    let too_deep = [
        nested(5000, "(", ")"),
        nested(5000, "abs(", ")"),
        nested(5000, "not ", ""),
        nested(5000, "-", ""),
        vec!["a"; 5000].join(" * "),
    ];
    for src in too_deep {
        let err = parse(&src).unwrap_err();
        assert_eq!(
            err.message,
            "expression nested too deeply",
            "{}",
            &src[..20]
        );
    }
}

#[test]
fn display_is_canonical_source_that_parses_back() {
    let cases = [
        ("(a+b)*c", "(a + b) * c"),
        ("a-(b-c)", "a - (b - c)"),
        ("(a-b)-c", "a - b - c"),
        ("-(a+1)", "-(a + 1)"),
        ("not (a and b)", "not (a and b)"),
        ("(not a) and b", "not a and b"),
        ("(a<b)==(c>=d)", "(a < b) == (c >= d)"),
        ("a≤b", "a <= b"),
        ("text(x)==\"a\\\"b\"", "text(x) == \"a\\\"b\""),
        ("sum((a),b.c,0.50)", "sum(a, b.c, 0.5)"),
    ];
    for (src, want) in cases {
        let expr = parse(src).unwrap();
        assert_eq!(expr.to_string(), want, "{src}");
        let again = parse(&expr.to_string()).unwrap();
        assert_eq!(sexp(&again), sexp(&expr), "{src}");
    }
}

#[test]
fn facts_are_listed_in_source_order() {
    let src = "sum(a, b.v) > 1 and not malformed(c) or a == 2";
    let got: Vec<_> = facts_referenced(&parse(src).unwrap())
        .into_iter()
        .map(|(name, group, span)| (name, group, &src[span.range()]))
        .collect();
    let want = [
        ("a".to_owned(), None, "a"),
        ("b".to_owned(), Some("v".to_owned()), "b.v"),
        ("c".to_owned(), None, "c"),
        ("a".to_owned(), None, "a"),
    ];
    assert_eq!(got, want);
}

#[test]
fn function_table_in_module_doc_matches_the_data() {
    let module_doc = include_str!("../expr.rs");
    for row in reference_rows() {
        assert!(
            module_doc.contains(&format!("//! {row}\n")),
            "module doc lacks the row {row}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation and rendering.

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn figure(value: Interval, written: &str) -> Value {
    Value::Num(Num::written(value, written))
}

fn exact(written: &str) -> Value {
    figure(Interval::exact(dec(written)), written)
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|t| Item::words(*t)).collect())
}

/// Facts modeled on the seed bulletin.
fn env() -> MapEnv {
    let person = |unit: &str, approximate: bool| FigureInfo {
        kind: Some("count".into()),
        family: Some("person".into()),
        unit: Some(unit.into()),
        malformed: None,
        approximate,
        ..FigureInfo::default()
    };
    MapEnv::new()
        .with_fact("villages", None, exact("889"))
        .with_fact("staff", None, exact("901"))
        .with_figure("staff", None, person("名", false))
        .with_fact(
            "approx",
            None,
            figure(Interval::open(dec("70"), dec("80")), "70余"),
        )
        .with_figure("approx", None, person("人", true))
        .with_fact(
            "under",
            None,
            figure(
                Interval::new(Bound::Closed(dec("0")), Bound::Open(dec("300"))),
                "不到300",
            ),
        )
        .with_fact(
            "over",
            None,
            figure(
                Interval::new(Bound::Open(dec("200")), Bound::Unbounded),
                "逾200",
            ),
        )
        .with_fact("zero", None, exact("0"))
        .with_fact("a", None, exact("2"))
        .with_figure("a", None, FigureInfo::default())
        .with_fact("b", None, exact("4"))
        .with_fact("total", None, exact("9"))
        .with_fact("whole", None, exact("6"))
        .with_fact("n", None, figure(Interval::exact(dec("5")), "5"))
        .with_fact("four", None, figure(Interval::exact(dec("4")), "四"))
        .with_fact("items", None, list(&["湖南", "湖北", "广东", "海南"]))
        .with_fact("same", None, list(&["海南", "广东", "湖北", "湖南"]))
        .with_fact("other", None, list(&["湖南", "湖北", "广东", "广西"]))
        .with_fact(
            "rate",
            None,
            figure(Interval::closed(dec("38.15"), dec("38.25")), "38.2%"),
        )
        .with_fact("old", None, exact("100"))
        .with_fact("new", None, exact("62"))
        .with_fact("amount", None, figure(Interval::unbounded(), "8亿余万元"))
        .with_figure(
            "amount",
            None,
            FigureInfo {
                kind: Some("amount".into()),
                unit: Some("元".into()),
                malformed: Some("亿与万混用".into()),
                ..FigureInfo::default()
            },
        )
        .with_fact(
            "huge",
            None,
            Value::Num(Num::computed(Interval::exact(Decimal::MAX))),
        )
        .with_fact(
            "band",
            None,
            Value::Num(Num::computed(Interval::open(dec("70"), dec("80")))),
        )
        .with_fact("parts", Some("x"), exact("3"))
        .with_fact("title", None, Value::Text("通报".into()))
}

#[test]
fn evaluation_is_three_valued() {
    use Truth::{False as F, True as T, Unknown as U};
    let cases = [
        ("staff <= villages", F),
        ("staff > villages", T),
        ("approx >= 50", T),
        ("approx == 75", U),
        ("approx <= 70", F),
        ("approx < 80", T),
        ("under < 300", T),
        ("under < 299", U),
        ("over > 200", T),
        ("over > 300", U),
        ("over < 200", F),
        ("sum(a, b) == total", F),
        ("sum(a, b) == whole", T),
        ("sum(a, approx) > 72", T),
        ("25 * 4 <= approx", F),
        ("24 * 2 <= approx", T),
        ("count(items) == four", T),
        ("count(items) == n", F),
        ("items == same", T),
        ("items == other", F),
        ("items != other", T),
        ("pct(a, b) == 50", T),
        ("pct(a, zero) > 1000", U),
        ("pct(a, zero) < 0", U),
        ("pct(a, under) < 0", U),
        ("pct(approx, over) < 40", T),
        ("pct(approx, over) <= 0", F),
        ("change(old, new) == -38", T),
        ("change(old, new) >= 0", F),
        ("change(zero, new) >= 0", U),
        ("within(rate, 38.18, 0.1)", T),
        ("within(rate, 40, 0.5)", F),
        ("within(rate, 38.2, 0.01)", U),
        // (70, 80) and 75 are compatible: some reading of 70余 is 75.
        ("approx_eq(approx, 75)", T),
        ("approx_eq(approx, 80)", F),
        ("approx_eq(staff, villages)", F),
        ("approx_eq(a, 2)", T),
        ("min(approx, 75) <= 75", T),
        ("min(approx, 75) > 70", T),
        ("max(approx, 75) >= 75", T),
        ("max(approx, 75) > 80", F),
        ("abs(a - b) == 2", T),
        ("-a < 0", T),
        ("malformed(amount)", T),
        ("not malformed(staff)", T),
        ("unit(staff) == \"名\"", T),
        ("unit(a) == \"\"", T),
        ("family(staff) == family(approx)", T),
        ("kind(staff) != kind(amount)", T),
        ("approximate(approx)", T),
        ("approximate(staff)", F),
        ("text(approx) == \"70余\"", T),
        ("text(items) == \"湖南、湖北、广东、海南\"", T),
        ("text(band) == \"(70, 80)\"", T),
        ("text(title) == \"通报\"", T),
        ("parts.x == 3", T),
        ("staff > villages and approx == 75", U),
        ("staff <= villages and approx == 75", F),
        ("staff <= villages or approx == 75", U),
        ("staff <= villages or a == 2", T),
        ("not (approx == 75)", U),
        ("(a == 2) == (b == 4)", T),
        ("(a == 2) == (b == 5)", F),
        ("(approx == 75) == (approx == 75)", U),
        ("false and missing > 1", F),
        ("true or missing > 1", T),
        ("huge * huge > 0", U),
        ("huge + huge == 1", U),
        ("huge * 2 < 0", U),
        ("huge / 0.0000000000000000000000000001 > 0", U),
        ("a / (b - b) == 1", U),
    ];
    let env = env();
    for (src, want) in cases {
        let expr = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        assert_eq!(eval_truth(&expr, &env), Ok(want), "{src}");
    }
}

#[test]
fn evaluation_errors() {
    let cases = [
        ("missing > 1", "fact `missing` has no value here", 0..7),
        ("a + parts.y > 1", "fact `parts.y` has no value here", 4..11),
        (
            "a > 1 and missing > 1",
            "fact `missing` has no value here",
            10..17,
        ),
        (
            "unit(total) == \"人\"",
            "fact `total` is not a captured figure",
            5..10,
        ),
        ("count(a) == 1", "expected a list, `a` is a number", 6..7),
        (
            "items + 1 > 0",
            "expected a number, `items` is a list",
            0..5,
        ),
        (
            "a == title",
            "`==` compares values of one type, `a` is a number and `title` is a text",
            5..10,
        ),
    ];
    let env = env();
    for (src, message, span) in cases {
        let err = eval(&parse(src).unwrap(), &env).unwrap_err();
        assert_eq!(err.to_string(), message, "{src}");
        let got = match err {
            EvalError::MissingFact { span, .. }
            | EvalError::NotAFigure { span, .. }
            | EvalError::Type { span, .. } => span,
        };
        assert_eq!(got, span.into(), "{src}");
    }
}

#[test]
fn computed_values_keep_no_written_form() {
    let env = env();
    let value = eval(&parse("count(items)").unwrap(), &env).unwrap();
    assert_eq!(
        value,
        Value::Num(Num::computed(Interval::exact(Decimal::from(4))))
    );
    let value = eval(&parse("approx").unwrap(), &env).unwrap();
    assert_eq!(render_value(&value), "70余（70–80）");
    assert_eq!(render_value(&Value::Bool(Truth::Unknown)), "unknown");
}

#[test]
fn failures_are_explained_with_figures_as_written() {
    let cases = [
        ("staff <= villages", "901 ≤ 889 不成立"),
        ("sum(a, b) == total", "2 + 4 = 9 不成立"),
        ("count(items) == n", "4 = 5 不成立"),
        ("approx <= 70", "70余（70–80） ≤ 70 不成立"),
        ("25 * 4 <= approx", "25 × 4 ≤ 70余（70–80） 不成立"),
        ("pct(a, b) >= 60", "2 ÷ 4 × 100 ≥ 60 不成立"),
        ("change(old, new) > 0", "(62 - 100) ÷ 100 × 100 > 0 不成立"),
        ("a * (b + 1) > 100", "2 × (4 + 1) > 100 不成立"),
        ("sum(a, b) * 2 > 100", "(2 + 4) × 2 > 100 不成立"),
        ("a - (b - 1) > 0", "2 - (4 - 1) > 0 不成立"),
        ("-a > 0", "-2 > 0 不成立"),
        ("abs(a - b) > 3", "|2 - 4| > 3 不成立"),
        ("a / b - 1 > 0", "2 ÷ 4 - 1 > 0 不成立"),
        ("band > 90", "70–80 > 90 不成立"),
        ("staff <= villages and a == 2", "901 ≤ 889 不成立"),
        ("a == 2 and sum(a, b) == total", "2 + 4 = 9 不成立"),
        (
            "staff <= villages or sum(a, b) == total",
            "901 ≤ 889 不成立；2 + 4 = 9 不成立",
        ),
        ("not (villages < staff)", "889 ≥ 901 不成立"),
        ("not (a == 2 and b == 4)", "2 ≠ 2 不成立；4 ≠ 4 不成立"),
        ("not (a == 3 or b == 4)", "4 ≠ 4 不成立"),
        ("not not (staff <= villages)", "901 ≤ 889 不成立"),
        ("not malformed(amount)", "“8亿余万元” 格式有误：亿与万混用"),
        ("malformed(staff)", "“901” 格式有误 不成立"),
        ("not approximate(approx)", "“70余” 为约数"),
        ("within(rate, 40, 0.5)", "|38.2% - 40| ≤ 0.5 不成立"),
        ("not within(rate, 38.2, 0.1)", "|38.2% - 38.2| > 0.1 不成立"),
        ("approx_eq(staff, villages)", "901 = 889 不成立"),
        ("not approx_eq(a, 2)", "2 ≠ 2 不成立"),
        ("unit(staff) == \"人\"", "“名” = “人” 不成立"),
        (
            "items == other",
            "“湖南、湖北、广东、海南” = “湖南、湖北、广东、广西” 不成立",
        ),
        ("false", "false 不成立"),
        ("not (a == 2) == true", "(2 = 2) ≠ true 不成立"),
    ];
    let env = env();
    for (src, want) in cases {
        let expr = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        assert_eq!(explain_failure(&expr, &env).as_deref(), Some(want), "{src}");
    }
}

#[test]
fn only_definite_failures_are_explained() {
    let env = env();
    for src in [
        "approx == 75",
        "staff > villages",
        "pct(a, zero) > 1000",
        "missing > 1",
        "a + 1",
    ] {
        assert_eq!(explain_failure(&parse(src).unwrap(), &env), None, "{src}");
    }
}

#[test]
fn render_shows_figures_or_falls_back_to_source() {
    let cases = [
        ("pct(a, b)", "2 ÷ 4 × 100"),
        ("sum(a)", "2"),
        ("count(missing) == 1", "count(missing) = 1"),
        ("missing + a", "missing + 2"),
        ("unit(staff)", "“名”"),
        ("text(items)", "“湖南、湖北、广东、海南”"),
        (
            "min(a, approx) ≤ max(b, 1)",
            "min(2, 70余（70–80）) ≤ max(4, 1)",
        ),
        (
            "a > 1 and not b > 1 or title == \"x\"",
            "2 > 1 且 并非 4 > 1 或 “通报” = “x”",
        ),
        ("(a > 1 or b > 1) and true", "(2 > 1 或 4 > 1) 且 true"),
    ];
    let env = env();
    for (src, want) in cases {
        assert_eq!(render(&parse(src).unwrap(), &env), want, "{src}");
    }
}

/// Computed numbers are rounded to the precision of the figures the rule names, never shown
/// as a 28-digit decimal or a raw interval: 3 ÷ 7 × 100 = 42.857…, beside the written 38.2%
/// (one decimal), is 42.9; beside whole numbers only, 43.
#[test]
fn computed_values_are_rounded_to_the_precision_of_the_text() {
    let env = env()
        .with_fact("three", None, figure(Interval::exact(dec("3")), "3"))
        .with_fact("seven", None, figure(Interval::exact(dec("7")), "7"));
    let value = eval(&parse("pct(three, seven)").unwrap(), &env).unwrap();
    let with_rate = parse("within(pct(three, seven), rate, 1)").unwrap();
    let whole = parse("pct(three, seven) <= 40").unwrap();
    assert_eq!(render_value_in(&value, &with_rate, &env), "42.9");
    assert_eq!(render_value_in(&value, &whole, &env), "43");
    // An interval of computed values reads as a range at that precision.
    let range = eval(&parse("pct(approx, 300)").unwrap(), &env).unwrap();
    assert_eq!(render_value_in(&range, &whole, &env), "23–27");
    assert_eq!(render_value_in(&range, &with_rate, &env), "23.3–26.7");
}
