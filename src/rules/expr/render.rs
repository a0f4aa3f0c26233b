//! Showing an editor the arithmetic behind a finding: expressions rendered with the figures as
//! the bulletin wrote them, and the comparison that failed.

use super::ast::{BinaryOp, Expr, ExprKind, FactRef, UnaryOp, prec};
use super::eval::{Env, Num, Value, eval, eval_truth, join_items};
use super::func::{Builtin, Function};
use crate::interval::Truth;
use crate::recognize::readable;

/// How numbers show in a message: a figure of the bulletin as written, followed by the
/// interval it stands for when its writing leaves that open (`70余（70–80）`); a computed number
/// rounded to the precision the text uses, the most decimals among the figures of the match
/// (`实际变化22.4%` beside a written `22.4%`), as one number or a range (`104.7–105.1`), never
/// a raw interval or a 28-digit decimal.
#[derive(Debug, Clone, Copy)]
struct Style {
    decimals: u32,
}

impl Style {
    /// The style of a message about `context` (a rule's assertion): the precision of the
    /// figures it names.
    fn of(context: &Expr, env: &dyn Env) -> Style {
        let decimals = super::facts_referenced(context)
            .iter()
            .flat_map(|(name, group, _)| {
                let written: Vec<u32> = match env.fact(name, group.as_deref()) {
                    Some(Value::Num(n)) => n
                        .written
                        .iter()
                        .map(|w| readable::written_decimals(w))
                        .collect(),
                    // A text searched for figures (`figures(p.parts)`): the figures in it.
                    _ => env
                        .figures(name, group.as_deref())
                        .unwrap_or_default()
                        .iter()
                        .map(|item| readable::written_decimals(&item.text))
                        .collect(),
                };
                written
            })
            .max()
            .unwrap_or(0);
        Style { decimals }
    }

    fn number(self, n: &Num) -> String {
        match &n.written {
            Some(written) => match readable::written_range(&n.value) {
                Some(range) => format!("{written}（{range}）"),
                None => written.clone(),
            },
            None => readable::range(&n.value, self.decimals).unwrap_or_else(|| "?".to_string()),
        }
    }
}

/// `expr` with every fact replaced by its figure as written (`901 ≤ 889`), computed numbers
/// rounded to the precision of those figures, and operators as an editor writes them
/// (`≤ × ÷`). A part that cannot be evaluated is shown as source (`count(items)`).
pub fn render(expr: &Expr, env: &dyn Env) -> String {
    render_at(expr, env, 0, Style::of(expr, env))
}

/// A value as an editor reads it: a figure as written (with its interval when the writing
/// leaves it open), a computed number rounded to the precision of the figures `context` names
/// (a rule's assertion), texts and lists in Chinese quotes (`“湖南、湖北”`), truths as
/// `true`/`false`/`unknown`.
pub fn render_value_in(value: &Value, context: &Expr, env: &dyn Env) -> String {
    show(value, Style::of(context, env))
}

/// [`render_value_in`] without a context: computed numbers in whole units.
pub fn render_value(value: &Value) -> String {
    show(value, Style { decimals: 0 })
}

fn show(value: &Value, st: Style) -> String {
    match value {
        Value::Num(n) => st.number(n),
        Value::Text(t) => format!("“{t}”"),
        Value::List(items) => format!("“{}”", join_items(items)),
        Value::Bool(t) => t.to_string(),
    }
}

/// For an expression that evaluates to `False`: the comparison that fails, rendered as by
/// [`render`] and followed by ` 不成立` (`901 ≤ 889 不成立`). Through `and`, the first false
/// conjunct; through `or`, every disjunct, joined by `；`; through `not`, the statement that
/// holds but should not. `None` when the expression is true, unknown or cannot be evaluated.
pub fn explain_failure(expr: &Expr, env: &dyn Env) -> Option<String> {
    let st = Style::of(expr, env);
    (eval_truth(expr, env).ok()? == Truth::False).then(|| explain_false(expr, env, st))
}

fn truth_of(expr: &Expr, env: &dyn Env) -> Option<Truth> {
    eval_truth(expr, env).ok()
}

/// Why `expr`, which is false, fails.
fn explain_false(expr: &Expr, env: &dyn Env, st: Style) -> String {
    match &expr.kind {
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => {
            let failing = if truth_of(lhs, env) == Some(Truth::False) {
                lhs
            } else {
                rhs
            };
            explain_false(failing, env, st)
        }
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => format!(
            "{}；{}",
            explain_false(lhs, env, st),
            explain_false(rhs, env, st)
        ),
        ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
            comparison(*op, lhs, rhs, env, st)
        }
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => explain_true(operand, env, st),
        ExprKind::Call { func, args, .. } => match (func.builtin, args.as_slice()) {
            (Builtin::Within, [x, y, tol]) => within(x, y, tol, BinaryOp::Le, env, st),
            (Builtin::ApproxEq, [x, y]) => comparison(BinaryOp::Eq, x, y, env, st),
            _ => format!("{} 不成立", render(expr, env)),
        },
        _ => format!("{} 不成立", render(expr, env)),
    }
}

/// Why `expr`, which is true, makes a `not` around it fail.
fn explain_true(expr: &Expr, env: &dyn Env, st: Style) -> String {
    match &expr.kind {
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => format!(
            "{}；{}",
            explain_true(lhs, env, st),
            explain_true(rhs, env, st)
        ),
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => {
            let holding = if truth_of(lhs, env) == Some(Truth::True) {
                lhs
            } else {
                rhs
            };
            explain_true(holding, env, st)
        }
        ExprKind::Binary { op, lhs, rhs } => match op.complement() {
            Some(complement) => comparison(complement, lhs, rhs, env, st),
            None => negated(expr, env, st),
        },
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => explain_false(operand, env, st),
        ExprKind::Call { func, args, .. } => match (func.builtin, args.as_slice()) {
            (Builtin::Within, [x, y, tol]) => within(x, y, tol, BinaryOp::Gt, env, st),
            (Builtin::ApproxEq, [x, y]) => comparison(BinaryOp::Ne, x, y, env, st),
            // The statement itself is the finding: “8亿余万元” 格式有误：亿与万混用.
            (Builtin::Malformed, [x]) => match malformation(x, env) {
                Some(reason) => format!("{}：{reason}", render(expr, env)),
                None => render(expr, env),
            },
            (Builtin::Approximate, _) => render(expr, env),
            _ => negated(expr, env, st),
        },
        _ => negated(expr, env, st),
    }
}

fn negated(expr: &Expr, env: &dyn Env, st: Style) -> String {
    format!("并非 {} 不成立", render_at(expr, env, prec::NOT, st))
}

fn comparison(op: BinaryOp, lhs: &Expr, rhs: &Expr, env: &dyn Env, st: Style) -> String {
    format!("{} 不成立", render_comparison(op, lhs, rhs, env, st))
}

fn within(x: &Expr, y: &Expr, tol: &Expr, op: BinaryOp, env: &dyn Env, st: Style) -> String {
    format!("{} 不成立", render_within(x, y, tol, op, env, st))
}

fn malformation(reference: &Expr, env: &dyn Env) -> Option<String> {
    let ExprKind::Fact(r) = &reference.kind else {
        return None;
    };
    env.figure(&r.name, r.group.as_deref())?.malformed
}

fn render_comparison(op: BinaryOp, lhs: &Expr, rhs: &Expr, env: &dyn Env, st: Style) -> String {
    let (left, right) = op.operand_precedence();
    format!(
        "{} {} {}",
        render_at(lhs, env, left, st),
        op.display_symbol(),
        render_at(rhs, env, right, st)
    )
}

fn render_within(x: &Expr, y: &Expr, tol: &Expr, op: BinaryOp, env: &dyn Env, st: Style) -> String {
    format!(
        "|{} - {}| {} {}",
        render_at(x, env, prec::ADD, st),
        render_at(y, env, prec::MUL, st),
        op.display_symbol(),
        render_at(tol, env, prec::ADD, st)
    )
}

/// Renders `expr`, parenthesized if it binds more loosely than `min`.
fn render_at(expr: &Expr, env: &dyn Env, min: u8, st: Style) -> String {
    let (text, precedence) = render_bare(expr, env, st);
    if precedence < min {
        format!("({text})")
    } else {
        text
    }
}

/// The rendering and the precedence it binds with.
fn render_bare(expr: &Expr, env: &dyn Env, st: Style) -> (String, u8) {
    match &expr.kind {
        ExprKind::Number(n) => (n.normalize().to_string(), prec::ATOM),
        ExprKind::Text(t) => (format!("“{t}”"), prec::ATOM),
        ExprKind::Bool(b) => (b.to_string(), prec::ATOM),
        ExprKind::Fact(reference) => (render_fact(reference, env, st), prec::ATOM),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => (
            format!("-{}", render_at(operand, env, prec::NEG, st)),
            prec::NEG,
        ),
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => (
            format!("并非 {}", render_at(operand, env, prec::NOT, st)),
            prec::NOT,
        ),
        ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
            (render_comparison(*op, lhs, rhs, env, st), op.precedence())
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (left, right) = op.operand_precedence();
            let text = format!(
                "{} {} {}",
                render_at(lhs, env, left, st),
                op.display_symbol(),
                render_at(rhs, env, right, st)
            );
            (text, op.precedence())
        }
        ExprKind::Call { func, args, .. } => render_call(expr, func, args, env, st),
    }
}

fn render_fact(reference: &FactRef, env: &dyn Env, st: Style) -> String {
    env.fact(&reference.name, reference.group.as_deref())
        .map_or_else(|| reference.path(), |v| show(&v, st))
}

/// Calls read as the arithmetic they stand for: `sum(a, b)` as `2 + 4`, `pct(a, b)` as
/// `a ÷ b × 100`; calls that compute a value (`count`, `unit`) as that value.
fn render_call(
    call: &Expr,
    func: &Function,
    args: &[Expr],
    env: &dyn Env,
    st: Style,
) -> (String, u8) {
    let r = |e: &Expr, min: u8| render_at(e, env, min, st);
    match (func.builtin, args) {
        (Builtin::Sum, [only]) => render_bare(only, env, st),
        (Builtin::Sum, [first, rest @ ..]) => {
            let mut text = r(first, prec::ADD);
            for arg in rest {
                text.push_str(" + ");
                text.push_str(&r(arg, prec::MUL));
            }
            (text, prec::ADD)
        }
        (Builtin::Abs, [x]) => (format!("|{}|", r(x, 0)), prec::ATOM),
        (Builtin::Pct, [part, whole]) => (
            format!("{} ÷ {} × 100", r(part, prec::MUL), r(whole, prec::NEG)),
            prec::MUL,
        ),
        (Builtin::Change, [old, new]) => (
            format!(
                "({} - {}) ÷ {} × 100",
                r(new, prec::ADD),
                r(old, prec::MUL),
                r(old, prec::NEG)
            ),
            prec::MUL,
        ),
        (Builtin::Within, [x, y, tol]) => {
            (render_within(x, y, tol, BinaryOp::Le, env, st), prec::CMP)
        }
        (Builtin::ApproxEq, [x, y]) => (render_comparison(BinaryOp::Eq, x, y, env, st), prec::CMP),
        (Builtin::Malformed, [x]) => (format!("{} 格式有误", quoted_figure(x, env, st)), prec::CMP),
        (Builtin::Approximate, [x]) => (format!("{} 为约数", quoted_figure(x, env, st)), prec::CMP),
        (
            Builtin::Count
            | Builtin::Kind
            | Builtin::Family
            | Builtin::Unit
            | Builtin::Text
            | Builtin::Total
            | Builtin::Longest
            | Builtin::Lower
            | Builtin::Upper
            | Builtin::Figures
            | Builtin::WithFamily,
            _,
        ) => match eval(call, env) {
            Ok(value) => (show(&value, st), prec::ATOM),
            Err(_) => (call.to_string(), prec::ATOM),
        },
        _ => {
            let rendered: Vec<String> = args.iter().map(|a| r(a, 0)).collect();
            (
                format!("{}({})", func.name, rendered.join(", ")),
                prec::ATOM,
            )
        }
    }
}

/// A figure in Chinese quotes, as written: `“8亿余万元”`.
fn quoted_figure(expr: &Expr, env: &dyn Env, st: Style) -> String {
    match eval(expr, env) {
        Ok(Value::Num(n)) => format!("“{}”", n.render()),
        Ok(other) => show(&other, st),
        Err(_) => expr.to_string(),
    }
}
