//! Showing an editor the arithmetic behind a finding: expressions rendered with the figures as
//! the bulletin wrote them, and the comparison that failed.

use super::ast::{BinaryOp, Expr, ExprKind, FactRef, UnaryOp, prec};
use super::eval::{Env, Value, eval, eval_truth, join_items};
use super::func::{Builtin, Function};
use crate::interval::Truth;

/// `expr` with every fact replaced by its figure as written (`901 ≤ 889`), computed numbers
/// as normalized decimals or intervals, and operators as an editor writes them (`≤ × ÷`).
/// A part that cannot be evaluated is shown as source (`count(items)`).
pub fn render(expr: &Expr, env: &dyn Env) -> String {
    render_at(expr, env, 0)
}

/// A value as an editor reads it: a figure as written (else its interval), texts and lists
/// in Chinese quotes (`“湖南、湖北”`), truths as `true`/`false`/`unknown`.
pub fn render_value(value: &Value) -> String {
    match value {
        Value::Num(n) => n.render(),
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
    (eval_truth(expr, env).ok()? == Truth::False).then(|| explain_false(expr, env))
}

fn truth_of(expr: &Expr, env: &dyn Env) -> Option<Truth> {
    eval_truth(expr, env).ok()
}

/// Why `expr`, which is false, fails.
fn explain_false(expr: &Expr, env: &dyn Env) -> String {
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
            explain_false(failing, env)
        }
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => format!("{}；{}", explain_false(lhs, env), explain_false(rhs, env)),
        ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => comparison(*op, lhs, rhs, env),
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => explain_true(operand, env),
        ExprKind::Call { func, args, .. } => match (func.builtin, args.as_slice()) {
            (Builtin::Within, [x, y, tol]) => within(x, y, tol, BinaryOp::Le, env),
            (Builtin::ApproxEq, [x, y]) => comparison(BinaryOp::Eq, x, y, env),
            _ => format!("{} 不成立", render(expr, env)),
        },
        _ => format!("{} 不成立", render(expr, env)),
    }
}

/// Why `expr`, which is true, makes a `not` around it fail.
fn explain_true(expr: &Expr, env: &dyn Env) -> String {
    match &expr.kind {
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => format!("{}；{}", explain_true(lhs, env), explain_true(rhs, env)),
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
            explain_true(holding, env)
        }
        ExprKind::Binary { op, lhs, rhs } => match op.complement() {
            Some(complement) => comparison(complement, lhs, rhs, env),
            None => negated(expr, env),
        },
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => explain_false(operand, env),
        ExprKind::Call { func, args, .. } => match (func.builtin, args.as_slice()) {
            (Builtin::Within, [x, y, tol]) => within(x, y, tol, BinaryOp::Gt, env),
            (Builtin::ApproxEq, [x, y]) => comparison(BinaryOp::Ne, x, y, env),
            // The statement itself is the finding: “8亿余万元” 格式有误：亿与万混用.
            (Builtin::Malformed, [x]) => match malformation(x, env) {
                Some(reason) => format!("{}：{reason}", render(expr, env)),
                None => render(expr, env),
            },
            (Builtin::Approximate, _) => render(expr, env),
            _ => negated(expr, env),
        },
        _ => negated(expr, env),
    }
}

fn negated(expr: &Expr, env: &dyn Env) -> String {
    format!("并非 {} 不成立", render_at(expr, env, prec::NOT))
}

fn comparison(op: BinaryOp, lhs: &Expr, rhs: &Expr, env: &dyn Env) -> String {
    format!("{} 不成立", render_comparison(op, lhs, rhs, env))
}

fn within(x: &Expr, y: &Expr, tol: &Expr, op: BinaryOp, env: &dyn Env) -> String {
    format!("{} 不成立", render_within(x, y, tol, op, env))
}

fn malformation(reference: &Expr, env: &dyn Env) -> Option<String> {
    let ExprKind::Fact(r) = &reference.kind else {
        return None;
    };
    env.figure(&r.name, r.group.as_deref())?.malformed
}

fn render_comparison(op: BinaryOp, lhs: &Expr, rhs: &Expr, env: &dyn Env) -> String {
    let (left, right) = op.operand_precedence();
    format!(
        "{} {} {}",
        render_at(lhs, env, left),
        op.display_symbol(),
        render_at(rhs, env, right)
    )
}

fn render_within(x: &Expr, y: &Expr, tol: &Expr, op: BinaryOp, env: &dyn Env) -> String {
    format!(
        "|{} - {}| {} {}",
        render_at(x, env, prec::ADD),
        render_at(y, env, prec::MUL),
        op.display_symbol(),
        render_at(tol, env, prec::ADD)
    )
}

/// Renders `expr`, parenthesized if it binds more loosely than `min`.
fn render_at(expr: &Expr, env: &dyn Env, min: u8) -> String {
    let (text, precedence) = render_bare(expr, env);
    if precedence < min {
        format!("({text})")
    } else {
        text
    }
}

/// The rendering and the precedence it binds with.
fn render_bare(expr: &Expr, env: &dyn Env) -> (String, u8) {
    match &expr.kind {
        ExprKind::Number(n) => (n.normalize().to_string(), prec::ATOM),
        ExprKind::Text(t) => (format!("“{t}”"), prec::ATOM),
        ExprKind::Bool(b) => (b.to_string(), prec::ATOM),
        ExprKind::Fact(reference) => (render_fact(reference, env), prec::ATOM),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => (
            format!("-{}", render_at(operand, env, prec::NEG)),
            prec::NEG,
        ),
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => (
            format!("并非 {}", render_at(operand, env, prec::NOT)),
            prec::NOT,
        ),
        ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
            (render_comparison(*op, lhs, rhs, env), op.precedence())
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (left, right) = op.operand_precedence();
            let text = format!(
                "{} {} {}",
                render_at(lhs, env, left),
                op.display_symbol(),
                render_at(rhs, env, right)
            );
            (text, op.precedence())
        }
        ExprKind::Call { func, args, .. } => render_call(expr, func, args, env),
    }
}

fn render_fact(reference: &FactRef, env: &dyn Env) -> String {
    env.fact(&reference.name, reference.group.as_deref())
        .map_or_else(|| reference.path(), |v| render_value(&v))
}

/// Calls read as the arithmetic they stand for: `sum(a, b)` as `2 + 4`, `pct(a, b)` as
/// `a ÷ b × 100`; calls that compute a value (`count`, `unit`) as that value.
fn render_call(call: &Expr, func: &Function, args: &[Expr], env: &dyn Env) -> (String, u8) {
    let r = |e: &Expr, min: u8| render_at(e, env, min);
    match (func.builtin, args) {
        (Builtin::Sum, [only]) => render_bare(only, env),
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
        (Builtin::Within, [x, y, tol]) => (render_within(x, y, tol, BinaryOp::Le, env), prec::CMP),
        (Builtin::ApproxEq, [x, y]) => (render_comparison(BinaryOp::Eq, x, y, env), prec::CMP),
        (Builtin::Malformed, [x]) => (format!("{} 格式有误", quoted_figure(x, env)), prec::CMP),
        (Builtin::Approximate, [x]) => (format!("{} 为约数", quoted_figure(x, env)), prec::CMP),
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
            Ok(value) => (render_value(&value), prec::ATOM),
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
fn quoted_figure(expr: &Expr, env: &dyn Env) -> String {
    match eval(expr, env) {
        Ok(Value::Num(n)) => format!("“{}”", n.render()),
        Ok(other) => render_value(&other),
        Err(_) => expr.to_string(),
    }
}
