//! The type checker: every reference resolves, every operator and function gets the types it
//! expects. A checked expression can still meet a missing fact at evaluation, never a type
//! error, as long as the environment agrees with the [`Names`] it was checked against.

use super::ast::{BinaryOp, Expr, ExprKind, FactRef, UnaryOp};
use super::error::{ExprError, did_you_mean, excerpt};
use super::func::{Function, Param, Type};
use crate::span::Span;
use std::collections::BTreeMap;

/// What an expression may refer to: the facts of one rule and their capture groups.
pub trait Names {
    /// The type of fact `name`, or of its capture group `group`; `None` if there is none.
    fn lookup(&self, name: &str, group: Option<&str>) -> Option<Type>;

    /// Every reference that resolves, as written (`staff`, `items.v`): for error help.
    fn known(&self) -> Vec<String>;
}

/// A [`Names`] built entry by entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameTable {
    entries: BTreeMap<(String, Option<String>), Type>,
}

impl NameTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares `name` (with `group: None`) or `name.group` to have type `ty`.
    pub fn insert(&mut self, name: &str, group: Option<&str>, ty: Type) {
        self.entries
            .insert((name.to_owned(), group.map(str::to_owned)), ty);
    }

    /// [`NameTable::insert`], chained.
    pub fn with(mut self, name: &str, group: Option<&str>, ty: Type) -> Self {
        self.insert(name, group, ty);
        self
    }
}

impl Names for NameTable {
    fn lookup(&self, name: &str, group: Option<&str>) -> Option<Type> {
        self.entries
            .get(&(name.to_owned(), group.map(str::to_owned)))
            .copied()
    }

    fn known(&self) -> Vec<String> {
        self.entries
            .keys()
            .map(|(name, group)| match group {
                Some(g) => format!("{name}.{g}"),
                None => name.clone(),
            })
            .collect()
    }
}

/// The type of `expr`, or the first error in source order.
pub fn check(expr: &Expr, names: &dyn Names) -> Result<Type, ExprError> {
    match &expr.kind {
        ExprKind::Number(_) => Ok(Type::Num),
        ExprKind::Text(_) => Ok(Type::Text),
        ExprKind::Bool(_) => Ok(Type::Bool),
        ExprKind::Fact(reference) => resolve(reference, names),
        ExprKind::Unary { op, operand } => check_unary(*op, operand, names),
        ExprKind::Binary { op, lhs, rhs } => check_binary(*op, lhs, rhs, names),
        ExprKind::Call { func, args, .. } => check_call(expr, func, args, names),
    }
}

fn resolve(reference: &FactRef, names: &dyn Names) -> Result<Type, ExprError> {
    if let Some(ty) = names.lookup(&reference.name, reference.group.as_deref()) {
        return Ok(ty);
    }
    let known = names.known();
    let groups: Vec<&str> = known
        .iter()
        .filter_map(|k| k.strip_prefix(&format!("{}.", reference.name)))
        .collect();
    let fact_exists = !groups.is_empty() || names.lookup(&reference.name, None).is_some();
    match (&reference.group, reference.group_span) {
        (Some(group), Some(span)) if fact_exists => Err(ExprError::new(
            format!("fact `{}` has no group `{group}`", reference.name),
            span,
            "no such group",
        )
        .with_help(if groups.is_empty() {
            format!("`{}` has no groups: write it alone", reference.name)
        } else {
            list_help(group, &groups, "groups")
        })),
        (None, _) if fact_exists => Err(ExprError::new(
            format!("fact `{}` needs a group", reference.name),
            reference.name_span,
            "which group?",
        )
        .with_help(format!(
            "write one of: {}",
            quoted(groups.iter().map(|g| format!("{}.{g}", reference.name)))
        ))),
        _ => Err(unknown_fact(reference, &known)),
    }
}

fn unknown_fact(reference: &FactRef, known: &[String]) -> ExprError {
    let name = &reference.name;
    let help = if Function::lookup(name).is_some() {
        format!("`{name}` is a function: call it as `{name}(…)`")
    } else {
        let bare: Vec<&str> = known
            .iter()
            .map(|k| k.split('.').next().unwrap_or(k))
            .collect();
        list_help(name, &bare, "facts")
    };
    ExprError::new(
        format!("unknown fact `{name}`"),
        reference.name_span,
        "not a fact of this rule",
    )
    .with_help(help)
}

/// "did you mean `x`?" when one candidate is close, else the list of candidates.
fn list_help(name: &str, candidates: &[&str], what: &str) -> String {
    match did_you_mean(name, candidates.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if candidates.is_empty() => format!("there are no {what} to refer to"),
        None => {
            let mut unique: Vec<&str> = candidates.to_vec();
            unique.dedup();
            format!("known {what}: {}", quoted(unique))
        }
    }
}

fn quoted<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error for `expr` having type `found` where `what` expects `expected`.
fn mismatch(what: &str, expected: &str, expr: &Expr, found: Type) -> ExprError {
    ExprError::new(
        format!(
            "{what} expects {expected}, `{}` is {found}",
            excerpt(&expr.to_string())
        ),
        expr.span,
        format!("this is {found}"),
    )
}

/// Checks `expr` and requires type `want`; `what` names the operator or function, `expected`
/// says what it expects in words ("numbers", "a list").
fn expect(
    expr: &Expr,
    want: Type,
    what: &str,
    expected: &str,
    names: &dyn Names,
) -> Result<(), ExprError> {
    let found = check(expr, names)?;
    if found == want {
        Ok(())
    } else {
        Err(mismatch(what, expected, expr, found))
    }
}

fn check_unary(op: UnaryOp, operand: &Expr, names: &dyn Names) -> Result<Type, ExprError> {
    let (want, what) = match op {
        UnaryOp::Neg => (Type::Num, "unary `-`"),
        UnaryOp::Not => (Type::Bool, "`not`"),
    };
    expect(operand, want, what, &want.to_string(), names)?;
    Ok(want)
}

fn check_binary(
    op: BinaryOp,
    lhs: &Expr,
    rhs: &Expr,
    names: &dyn Names,
) -> Result<Type, ExprError> {
    let what = format!("`{}`", op.symbol());
    match op {
        BinaryOp::And | BinaryOp::Or => {
            expect(lhs, Type::Bool, &what, "truth values", names)?;
            expect(rhs, Type::Bool, &what, "truth values", names)?;
            Ok(Type::Bool)
        }
        BinaryOp::Eq | BinaryOp::Ne => {
            let left = check(lhs, names)?;
            let right = check(rhs, names)?;
            if left == right {
                Ok(Type::Bool)
            } else {
                Err(ExprError::new(
                    format!(
                        "{what} compares values of one type, `{}` is {left} and `{}` is {right}",
                        excerpt(&lhs.to_string()),
                        excerpt(&rhs.to_string())
                    ),
                    rhs.span,
                    format!("this is {right}"),
                ))
            }
        }
        _ => {
            expect(lhs, Type::Num, &what, "numbers", names)?;
            expect(rhs, Type::Num, &what, "numbers", names)?;
            Ok(if op.is_comparison() {
                Type::Bool
            } else {
                Type::Num
            })
        }
    }
}

fn check_call(
    call: &Expr,
    func: &Function,
    args: &[Expr],
    names: &dyn Names,
) -> Result<Type, ExprError> {
    check_arity(call, func, args)?;
    for (i, arg) in args.iter().enumerate() {
        match func.param(i) {
            Some(Param::Of(want)) => {
                let found = check(arg, names)?;
                if found != want {
                    return Err(mismatch(
                        &format!("`{}`", func.name),
                        &want.to_string(),
                        arg,
                        found,
                    ));
                }
            }
            Some(Param::Writable) => {
                let found = check(arg, names)?;
                if found == Type::Bool {
                    return Err(mismatch(
                        &format!("`{}`", func.name),
                        "a number, a list or a text",
                        arg,
                        found,
                    ));
                }
            }
            Some(Param::FactRef) => {
                let ExprKind::Fact(reference) = &arg.kind else {
                    return Err(ExprError::new(
                        format!("`{}` expects a fact reference such as `amount` or `amount.v`, found `{}`", func.name, excerpt(&arg.to_string())),
                        arg.span,
                        "not a fact reference",
                    )
                    .with_help(format!("`{}` asks about a captured figure, not about a computed value", func.name)));
                };
                resolve(reference, names)?;
            }
            Some(Param::Regex) => check_regex(func, arg)?,
            // Unreachable after the arity check; checking nothing is the safe reading.
            None => {}
        }
    }
    Ok(func.result)
}

/// A regex argument: a text literal that compiles as evaluation will compile it. A syntax error
/// points at the offending characters inside the literal.
fn check_regex(func: &Function, arg: &Expr) -> Result<(), ExprError> {
    let ExprKind::Text(pattern) = &arg.kind else {
        return Err(ExprError::new(
            format!(
                "`{}` expects a regex written as a text literal, found `{}`",
                func.name,
                excerpt(&arg.to_string())
            ),
            arg.span,
            "not a text literal",
        )
        .with_help(format!(
            "the regex is compiled when the rule is loaded: write it in quotes, `{}(items, \"某$\")`",
            func.name
        )));
    };
    let offsets = |s: &regex_syntax::ast::Span| Some((s.start.offset, s.end.offset));
    let syntax = match regex_syntax::Parser::new().parse(pattern) {
        Ok(_) => None,
        Err(regex_syntax::Error::Parse(e)) => Some((e.kind().to_string(), offsets(e.span()))),
        Err(regex_syntax::Error::Translate(e)) => Some((e.kind().to_string(), offsets(e.span()))),
        Err(other) => Some((other.to_string(), None)),
    };
    if let Some((message, at)) = syntax {
        let span = match at {
            Some((start, end)) => literal_span(pattern, arg.span, start, end),
            None => arg.span,
        };
        return Err(ExprError::new(
            format!("invalid regex in `{}`: {message}", func.name),
            span,
            "here",
        ));
    }
    super::eval::build_regex(pattern).map_err(|e| {
        let message = match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("the regex compiles to more than {limit} bytes")
            }
            other => other.to_string(),
        };
        ExprError::new(
            format!("invalid regex in `{}`: {message}", func.name),
            arg.span,
            "this regex",
        )
    })?;
    Ok(())
}

/// The source span of bytes `start..end` of the text literal `value` written at `literal`:
/// past the opening quote, each `"` or `\` of the value was written as a two-byte escape.
fn literal_span(value: &str, literal: Span, start: usize, end: usize) -> Span {
    let at = |offset: usize| {
        let offset = offset.min(value.len());
        let escaped = value.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'"' || b == b'\\')
            .count();
        (literal.start + 1 + offset + escaped).min(literal.end)
    };
    let start = at(start);
    Span::new(start, at(end).max(start))
}

fn check_arity(call: &Expr, func: &Function, args: &[Expr]) -> Result<(), ExprError> {
    if func.accepts(args.len()) {
        return Ok(());
    }
    let n = func.params.len();
    let expected = match (func.variadic, n) {
        (true, 1) => "at least 1 argument".to_owned(),
        (true, _) => format!("at least {n} arguments"),
        (false, 1) => "1 argument".to_owned(),
        (false, _) => format!("{n} arguments"),
    };
    let message = format!("`{}` takes {expected}, found {}", func.name, args.len());
    // Too many: point at the first extra argument; too few: at the whole call.
    let span = args.get(n).map_or(call.span, |extra| extra.span);
    Err(ExprError::new(
        message,
        span,
        format!("`{}`", func.signature()),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use crate::span::Span;

    fn names() -> NameTable {
        NameTable::new()
            .with("staff", None, Type::Num)
            .with("villages", None, Type::Num)
            .with("items", None, Type::List)
            .with("n", None, Type::Num)
            .with("unit_name", None, Type::Text)
            .with("parts", Some("a"), Type::Num)
            .with("parts", Some("b"), Type::Num)
            .with("flag", None, Type::Bool)
    }

    #[test]
    fn well_typed() {
        let cases = [
            ("staff <= villages", Type::Bool),
            ("count(items) == n", Type::Bool),
            ("sum(parts.a, parts.b) - 1", Type::Num),
            (
                "pct(staff, villages) > 50 and not malformed(staff)",
                Type::Bool,
            ),
            ("unit(staff) == \"人\" or flag", Type::Bool),
            ("text(items) != unit_name", Type::Bool),
            ("items == items", Type::Bool),
            ("within(staff, n, 0.5)", Type::Bool),
            ("-abs(min(1, 2, staff))", Type::Num),
            ("kind(parts.a)", Type::Text),
            ("approximate(staff) == false", Type::Bool),
        ];
        for (src, want) in cases {
            let expr = parse(src).unwrap();
            assert_eq!(check(&expr, &names()), Ok(want), "{src}");
        }
    }

    /// Each error: source, message, the exact text under the span, and a fragment of the help.
    #[test]
    fn errors() {
        let cases = [
            (
                "stafff <= villages",
                "unknown fact `stafff`",
                "stafff",
                Some("did you mean `staff`?"),
            ),
            (
                "1 + zzz",
                "unknown fact `zzz`",
                "zzz",
                Some("known facts: `flag`, `items`, `n`, `parts`"),
            ),
            (
                "sum + 1",
                "unknown fact `sum`",
                "sum",
                Some("`sum` is a function"),
            ),
            (
                "parts.c > 1",
                "fact `parts` has no group `c`",
                "c",
                Some("known groups: `a`, `b`"),
            ),
            (
                "parts > 1",
                "fact `parts` needs a group",
                "parts",
                Some("`parts.a`, `parts.b`"),
            ),
            (
                "staff.v > 1",
                "fact `staff` has no group `v`",
                "v",
                Some("`staff` has no groups: write it alone"),
            ),
            (
                "count(villages) == 1",
                "`count` expects a list, `villages` is a number",
                "villages",
                None,
            ),
            (
                "staff + items > 1",
                "`+` expects numbers, `items` is a list",
                "items",
                None,
            ),
            (
                "sum(1, unit_name)",
                "`sum` expects a number, `unit_name` is a text",
                "unit_name",
                None,
            ),
            (
                "staff < \"x\"",
                "`<` expects numbers, `\"x\"` is a text",
                "\"x\"",
                None,
            ),
            (
                "staff and flag",
                "`and` expects truth values, `staff` is a number",
                "staff",
                None,
            ),
            (
                "not staff",
                "`not` expects a truth value, `staff` is a number",
                "staff",
                None,
            ),
            (
                "-flag",
                "unary `-` expects a number, `flag` is a truth value",
                "flag",
                None,
            ),
            (
                "staff == items",
                "`==` compares values of one type, `staff` is a number and `items` is a list",
                "items",
                None,
            ),
            (
                "malformed(staff + 1)",
                "`malformed` expects a fact reference such as `amount` or `amount.v`, found `staff + 1`",
                "staff + 1",
                Some("captured figure"),
            ),
            ("unit(nope)", "unknown fact `nope`", "nope", None),
            (
                "text(flag)",
                "`text` expects a number, a list or a text, `flag` is a truth value",
                "flag",
                None,
            ),
            ("pct(1)", "`pct` takes 2 arguments, found 1", "pct(1)", None),
            (
                "abs(1, (2))",
                "`abs` takes 1 argument, found 2",
                "(2)",
                None,
            ),
            (
                "sum()",
                "`sum` takes at least 1 argument, found 0",
                "sum()",
                None,
            ),
            (
                "count((villages))",
                "`count` expects a list, `villages` is a number",
                "(villages)",
                None,
            ),
            // Issue 19: a regex argument that does not compile loaded silently and never fired.
            (
                "all_match(items, \"(((\")",
                "invalid regex in `all_match`: unclosed group",
                "(",
                None,
            ),
            (
                "all_match(items, \"a\\\"b[\")",
                "invalid regex in `all_match`: unclosed character class",
                "[",
                None,
            ),
            (
                "all_match(items, \"某\\\\p{Nope}$\")",
                "invalid regex in `all_match`: Unicode property not found",
                "\\\\p{Nope}",
                None,
            ),
            (
                "all_match(items, \"(?:\\\\w{100}){100}\")",
                "invalid regex in `all_match`: the regex compiles to more than 1048576 bytes",
                "\"(?:\\\\w{100}){100}\"",
                None,
            ),
            (
                "all_match(items, unit_name)",
                "`all_match` expects a regex written as a text literal, found `unit_name`",
                "unit_name",
                Some("write it in quotes"),
            ),
            // Issue 19: long source text is quoted by its start only.
            (
                "count(\"驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警\")",
                "`count` expects a list, `\"驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅…` is a text",
                "\"驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警驻村辅警\"",
                None,
            ),
        ];
        for (src, message, under, help) in cases {
            let expr = parse(src).unwrap();
            let err = check(&expr, &names()).unwrap_err();
            assert_eq!(err.message, message, "{src}");
            assert_eq!(&src[err.span.range()], under, "{src}");
            if let Some(help) = help {
                let got = err.help.clone().unwrap_or_default();
                assert!(got.contains(help), "{src}: help {got:?}");
            }
        }
    }

    #[test]
    fn unknown_fact_span_is_the_name_only() {
        let src = "1 + stafff.v";
        let err = check(&parse(src).unwrap(), &names()).unwrap_err();
        assert_eq!(err.span, Span::new(4, 10));
    }
}
