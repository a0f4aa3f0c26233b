//! Why a relation is undetermined: what `--strict` tells an editor about a relation that is
//! neither true nor false.
//!
//! Approximate figures are the usual reason (`70余人`), but not the only one, and a note that
//! blamed them for everything sent editors looking for a 约数 that was not there (issue 19): a
//! division by zero (`pct(part, whole)` with `whole` = 0), a figure beyond the range of a
//! decimal, and a rule that cannot be evaluated leave a relation open too.

use super::ast::{BinaryOp, Expr, ExprKind};
use super::eval::{Env, Value, eval};
use super::func::Builtin;
use super::render::render;
use crate::interval::Interval;

/// Why `expr`, an assertion that is neither true nor false for `env`, is undetermined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undetermined {
    /// The expression cannot be evaluated here (a fact without a value, a figure that cannot
    /// be read); the message is the evaluator's.
    Unevaluable(String),
    /// A divisor is zero, or may be: the quotient is every number. The divisor as rendered
    /// for an editor (`0起`, `不到5起`).
    ZeroDivisor { divisor: String, certain: bool },
    /// A figure is stated approximately.
    Approximate,
    /// A figure or a result is beyond the range of a decimal (about 7.9 × 10²⁸).
    OutOfRange,
    /// None of the above could be told.
    Other,
}

impl Undetermined {
    /// Finds the reason, checking in this order: evaluation, divisors, approximate figures,
    /// unbounded figures.
    pub fn of(expr: &Expr, env: &dyn Env) -> Undetermined {
        if let Err(e) = eval(expr, env) {
            return Undetermined::Unevaluable(e.to_string());
        }
        if let Some(found) = zero_divisor(expr, env) {
            return found;
        }
        let referenced = super::facts_referenced(expr);
        let approximate = referenced.iter().any(|(name, group, _)| {
            env.figure(name, group.as_deref())
                .is_some_and(|f| f.approximate)
        });
        if approximate {
            return Undetermined::Approximate;
        }
        let unbounded = referenced.iter().any(|(name, group, _)| {
            matches!(env.fact(name, group.as_deref()), Some(Value::Num(n)) if is_unbounded(&n.value))
        });
        if unbounded {
            return Undetermined::OutOfRange;
        }
        Undetermined::Other
    }

    /// The note appended to a finding's message (in Chinese, as the standard pack's messages).
    pub fn note(&self) -> String {
        match self {
            Undetermined::Unevaluable(reason) => format!("（规则无法求值：{reason}）"),
            // `除数0为0` would say it twice.
            Undetermined::ZeroDivisor {
                divisor,
                certain: true,
            } if divisor == "0" => "（除数为0，无法确定是否成立）".to_string(),
            Undetermined::ZeroDivisor {
                divisor,
                certain: true,
            } => format!("（除数{divisor}为0，无法确定是否成立）"),
            Undetermined::ZeroDivisor {
                divisor,
                certain: false,
            } => format!("（除数{divisor}可能为0，无法确定是否成立）"),
            Undetermined::Approximate => "（数字为约数，无法确定是否成立）".to_string(),
            Undetermined::OutOfRange => "（数字超出可计算的范围，无法确定是否成立）".to_string(),
            Undetermined::Other => "（无法确定是否成立）".to_string(),
        }
    }
}

fn is_unbounded(value: &Interval) -> bool {
    value.low_value().is_none() || value.high_value().is_none()
}

/// The first divisor of `expr`, in source order, that is or may be zero: of `/`, of `pct`'s
/// whole and of `change`'s old value.
fn zero_divisor(expr: &Expr, env: &dyn Env) -> Option<Undetermined> {
    let divisor = match &expr.kind {
        ExprKind::Binary {
            op: BinaryOp::Div,
            rhs,
            ..
        } => Some(rhs.as_ref()),
        ExprKind::Call { func, args, .. } => match (func.builtin, args.as_slice()) {
            (Builtin::Pct, [_, whole]) => Some(whole),
            (Builtin::Change, [old, _]) => Some(old),
            _ => None,
        },
        _ => None,
    };
    let children: Vec<&Expr> = match &expr.kind {
        ExprKind::Unary { operand, .. } => vec![operand],
        ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
        ExprKind::Call { args, .. } => args.iter().collect(),
        _ => Vec::new(),
    };
    // Inner divisions first: in `a / (b / c)` a zero `c` is why `b / c` is every number.
    if let Some(found) = children.into_iter().find_map(|c| zero_divisor(c, env)) {
        return Some(found);
    }
    let divisor = divisor?;
    let Ok(Value::Num(n)) = eval(divisor, env) else {
        return None;
    };
    n.value.contains_zero().then(|| Undetermined::ZeroDivisor {
        divisor: render(divisor, env),
        certain: n.value.as_exact().is_some_and(|v| v.is_zero()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{FigureInfo, MapEnv, Num, parse};
    use super::*;
    use rust_decimal::Decimal;

    /// A figure of the bulletin: its interval, as written, approximate or not.
    fn figure(env: MapEnv, name: &str, value: Interval, written: &str) -> MapEnv {
        let approximate = value.as_exact().is_none() && value.low_value().is_some();
        env.with_fact(name, None, Value::Num(Num::written(value, written)))
            .with_figure(
                name,
                None,
                FigureInfo {
                    approximate,
                    ..FigureInfo::default()
                },
            )
    }

    fn exact(n: i64) -> Interval {
        Interval::exact(Decimal::from(n))
    }

    #[test]
    fn each_reason_is_told() {
        let bulletin = |whole: Interval, whole_written: &str| {
            let env = figure(MapEnv::new(), "part", exact(12), "12人");
            figure(env, "whole", whole, whole_written)
        };
        let zero = bulletin(exact(0), "0人");
        let under_five = bulletin(
            Interval::new(
                crate::interval::Bound::Closed(Decimal::ZERO),
                crate::interval::Bound::Open(Decimal::from(5)),
            ),
            "不到5人",
        );
        let about_seventy = bulletin(Interval::open(70.into(), 80.into()), "70余人");
        let huge = bulletin(Interval::unbounded(), "7777…人");
        let cases: [(&str, &MapEnv, Undetermined); 7] = [
            (
                "pct(part, whole) > 50",
                &zero,
                Undetermined::ZeroDivisor {
                    divisor: "0人".into(),
                    certain: true,
                },
            ),
            (
                "part / whole <= 1",
                &under_five,
                Undetermined::ZeroDivisor {
                    divisor: "不到5人（0–5）".into(),
                    certain: false,
                },
            ),
            (
                "change(whole, part) > 5",
                &zero,
                Undetermined::ZeroDivisor {
                    divisor: "0人".into(),
                    certain: true,
                },
            ),
            ("whole <= 75", &about_seventy, Undetermined::Approximate),
            ("part <= whole", &huge, Undetermined::OutOfRange),
            (
                "part <= villages",
                &zero,
                Undetermined::Unevaluable("fact `villages` has no value here".into()),
            ),
            (
                "part == part + whole - whole",
                &bulletin(exact(3), "3人"),
                Undetermined::Other,
            ),
        ];
        for (src, env, expected) in cases {
            let expr = parse(src).unwrap();
            assert_eq!(Undetermined::of(&expr, env), expected, "{src}");
        }
    }

    #[test]
    fn notes_say_what_happened() {
        let zero = Undetermined::ZeroDivisor {
            divisor: "0人".into(),
            certain: true,
        };
        assert_eq!(zero.note(), "（除数0人为0，无法确定是否成立）");
        let bare = Undetermined::ZeroDivisor {
            divisor: "0".into(),
            certain: true,
        };
        assert_eq!(bare.note(), "（除数为0，无法确定是否成立）");
        let maybe = Undetermined::ZeroDivisor {
            divisor: "不到5人".into(),
            certain: false,
        };
        assert_eq!(maybe.note(), "（除数不到5人可能为0，无法确定是否成立）");
        assert_eq!(
            Undetermined::Approximate.note(),
            "（数字为约数，无法确定是否成立）"
        );
    }
}
