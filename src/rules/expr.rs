//! The expression language of rule files: `assert = "staff <= villages"`.
//!
//! An expression states a relation among the facts a rule's patterns captured. It is parsed
//! ([`parse`]) with a byte span on every node, type-checked against the rule's facts
//! ([`check`]), and evaluated per match ([`eval`]) over intervals with three-valued
//! comparisons, so that an approximate figure (`70余`) never yields a definite violation that
//! some reading of it would satisfy. [`explain_failure`] shows an editor what failed, with the
//! figures as written: `901 ≤ 889 不成立`.
//!
//! # Grammar
//!
//! ```text
//! expr       = or
//! or         = and ("or" and)*
//! and        = not ("and" not)*
//! not        = "not" not | comparison
//! comparison = additive (cmp additive)?          -- does not chain: `a < b < c` is an error
//! cmp        = "<" | "<=" | "≤" | ">" | ">=" | "≥" | "==" | "!=" | "≠"
//! additive   = term (("+" | "-") term)*
//! term       = unary (("*" | "/") unary)*
//! unary      = "-" unary | primary
//! primary    = number | text | "true" | "false" | call | fact | "(" expr ")"
//! call       = ident "(" (expr ("," expr)*)? ")"
//! fact       = ident ("." ident)?                -- a fact, or one capture group of it
//! number     = digit+ ("." digit+)?              -- exact decimal, at most 28 digits
//! text       = '"' (char | '\"' | '\\')* '"'
//! ident      = [A-Za-z_] [A-Za-z0-9_]*           -- except and, or, not, true, false
//! ```
//!
//! Whitespace (including the ideographic space) separates tokens. Nesting is limited to 100
//! levels.
//!
//! # Types and semantics
//!
//! Four types: `num` (an interval of decimals), `list` (enumeration items), `text`, `bool`
//! (three-valued: true, false, unknown). `+ - * /` and `< <= > >=` take numbers; `==` and `!=`
//! take two values of one type: numbers compare as intervals (true only for one and the same
//! point, false when disjoint, else unknown), texts exactly, lists as multisets of their item
//! texts, truths by Kleene equivalence. `and`, `or`, `not` are Kleene logic; `and`/`or` skip
//! their right side when the left decides.
//!
//! A relation is true if it holds for every reading of the figures, false if it fails for
//! every reading, and unknown otherwise; only false is a finding. Division by a number that may
//! be zero gives every number, so nothing computed from it is ever false. Decimal overflow
//! widens to an unbounded end; it never panics.
//!
//! # Functions
//!
//! | function | meaning |
//! | --- | --- |
//! | `count(list) -> num` | the number of items of a list, exact |
//! | `sum(num, ...) -> num` | the sum of the arguments |
//! | `min(num, ...) -> num` | the smallest argument, as an interval: lower of the lows, lower of the highs |
//! | `max(num, ...) -> num` | the largest argument, as an interval: higher of the lows, higher of the highs |
//! | `abs(num) -> num` | the absolute value |
//! | `pct(num, num) -> num` | `part / whole * 100`; unbounded when `whole` may be zero, so never a finding |
//! | `change(num, num) -> num` | `(new - old) / old * 100`, the change in percent; unbounded when `old` may be zero |
//! | `within(num, num, num) -> bool` | `abs(x - y) <= tol`: equal up to the stated precision |
//! | `approx_eq(num, num) -> bool` | compatible values: true when some reading of `x` equals some reading of `y` (`2.7万` and `2.7万`), false when none does |
//! | `malformed(fact) -> bool` | whether the figure cannot be read as written (`8亿余万元`) |
//! | `kind(fact) -> text` | the figure's kind (`count`, `amount`, `percent`, ...); empty if none |
//! | `family(fact) -> text` | the family of the figure's unit (`person` for both 人 and 名); empty if none |
//! | `unit(fact) -> text` | the unit or classifier written after the figure; empty if none |
//! | `approximate(fact) -> bool` | whether the figure is stated approximately (`70余`, `约5万`, `逾200`) |
//! | `text(num\|list\|text) -> text` | a figure as written, a list's items joined by `、`, or the text itself |
//! | `uniform(list) -> bool` | whether the items are of like length (the longest at most twice the shortest): a real enumeration, not `涉黑、涉恶犯罪嫌疑人` |
//! | `total(list) -> num` | the sum of the figures of a list of figures (`{figures}` or `figures(x)`); unbounded if an item is not a figure |
//! | `figures(fact) -> list` | the figures statlint recognized inside a captured text, in order |
//! | `with_family(list, text) -> list` | the figures of a list whose unit is of the given family (`person`, `case`, `money`, …) |
//! | `all_match(list, regex) -> bool` | whether every item matches the regex, a text literal checked when the rule is loaded: `all_match(names, "某$")` for a list of anonymized people |
//! | `longest(list) -> num` | the length in characters of the longest item: enumerations counted by a number have short items (`湖南`, `刑事案件数`) |
//! | `lower(num) -> num` | the least value a figure may take (`50%以上` → 50); every number when unbounded below |
//! | `upper(num) -> num` | the greatest value a figure may take (`不到300` → 300); every number when unbounded above |
//! | `role(fact) -> text` | a statement's role (`total`, `part`, `change_rate`, …; see docs/statements.md); empty for a pattern fact |
//! | `direction(fact) -> text` | which way a change statement goes: `up` (`上升`, `增加`), `down` (`下降`, `减少`), or empty |
//! | `complete(fact) -> bool` | whether a whole's parts are all of it (`分别为`, `其余`, `…合计61起`), so they sum to it |
//! | `at_least(fact) -> bool` | whether a list count follows `等` (`罗某、汪某等4人`): the list may be shorter than the count |
//! | `signed(fact) -> num` | a change as a signed number: negative when its direction is `down` (`下降12%` → −12) |
//! | `precision(num) -> num` | the unit of the last digit a figure was stated to (`38.2%` → 0.1, `1.2万` → 1000, `25%` → 1): a tolerance for rounding and cutting off |
//! | `contains(list, num) -> bool` | whether some figure of a list may equal the number; false when none can |
//! | `agrees(list, num) -> bool` | whether every figure of a list may equal the number; false when one cannot |
//! | `present(fact) -> bool` | whether an `optional` fact was found: `not present(base)` when only the rate and the difference are stated |
//! | `change_word(fact) -> text` | the word that states a change, as written (`下降`, `增加`, `降幅`); empty for other statements |
//! | `days(fact, fact) -> num` | the days from the first date to the second, `to − from` (add 1 to count both ends); parts the second leaves out carried from the first (`3月19日至20日`); negative when the range ends before it starts; unbounded if either is no existing date |
//! | `weekday(fact) -> text` | the day of the week of a date with its year, `一` to `六` or `日` (`2026年3月8日` → `日`); empty without a year |
//! | `end_exists(fact, fact) -> bool` | whether the end of a range names an existing day once the year and month it leaves out are carried from the start (`2025年2月24日至29日` does not); true if either is no date |
//!
//! `fact` parameters take a bare reference (`amount`, `amount.v`): those functions ask about
//! the captured figure ([`Env::figure`]), not its value. `regex` parameters take a text
//! literal, compiled by the type checker as evaluation compiles it, so that a regex that does
//! not compile is an error at load with a span into it. The table is generated from
//! [`FUNCTIONS`] by [`reference_rows`]; a test keeps the two in step.
//!
//! # Evaluation errors
//!
//! A fact the environment does not have is [`EvalError::MissingFact`]; the rule engine decides
//! what a missing fact means. A type error at evaluation means the environment disagrees with
//! the [`Names`] the expression was checked against.

mod ast;
mod check;
mod error;
mod eval;
mod func;
mod lex;
mod parse;
mod render;
mod undetermined;

pub use ast::{BinaryOp, Expr, ExprKind, FactRef, UnaryOp};
pub use check::{NameTable, Names, check};
pub use error::{EvalError, ExprError};
pub use eval::{Env, FigureInfo, Item, MapEnv, Num, Value, eval, eval_truth};
pub use func::{Builtin, FUNCTIONS, Function, Param, Type, reference_rows};
pub use parse::parse;
pub use render::{explain_failure, render, render_value, render_value_in};
pub use undetermined::Undetermined;

use crate::span::Span;

/// Every fact reference of `expr` in source order, as `(name, group, span of the reference)`,
/// so that the rule loader can report a reference to a fact the rule does not define.
pub fn facts_referenced(expr: &Expr) -> Vec<(String, Option<String>, Span)> {
    let mut found = Vec::new();
    collect_facts(expr, &mut found);
    found
}

fn collect_facts(expr: &Expr, found: &mut Vec<(String, Option<String>, Span)>) {
    match &expr.kind {
        ExprKind::Fact(r) => found.push((r.name.clone(), r.group.clone(), expr.span)),
        ExprKind::Unary { operand, .. } => collect_facts(operand, found),
        ExprKind::Binary { lhs, rhs, .. } => {
            collect_facts(lhs, found);
            collect_facts(rhs, found);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| collect_facts(a, found)),
        ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {}
    }
}

/// A fact whose captured text is searched for figures (`figures(x)`), and the family the
/// figures are narrowed to when the search is wrapped in `with_family(…, family)`.
#[derive(Debug, Clone)]
pub struct Searched {
    pub name: String,
    pub group: Option<String>,
    pub family: Option<Expr>,
}

/// The facts whose captured text is searched for figures: their figures, not the whole text,
/// are what a finding should underline.
pub fn facts_searched(expr: &Expr) -> Vec<Searched> {
    let mut found = Vec::new();
    collect_searched(expr, None, &mut found);
    found
}

fn collect_searched(expr: &Expr, family: Option<&Expr>, found: &mut Vec<Searched>) {
    match &expr.kind {
        ExprKind::Call { func, args, .. } => match (func.builtin, args.as_slice()) {
            (
                Builtin::Figures,
                [
                    Expr {
                        kind: ExprKind::Fact(r),
                        ..
                    },
                ],
            ) => found.push(Searched {
                name: r.name.clone(),
                group: r.group.clone(),
                family: family.cloned(),
            }),
            (Builtin::WithFamily, [list, wanted]) => collect_searched(list, Some(wanted), found),
            _ => args.iter().for_each(|a| collect_searched(a, None, found)),
        },
        ExprKind::Unary { operand, .. } => collect_searched(operand, None, found),
        ExprKind::Binary { lhs, rhs, .. } => {
            collect_searched(lhs, None, found);
            collect_searched(rhs, None, found);
        }
        ExprKind::Fact(_) | ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {}
    }
}

#[cfg(test)]
mod tests;
