//! Values and the evaluator.

use super::ast::{BinaryOp, Expr, ExprKind, FactRef, UnaryOp};
use super::error::EvalError;
use super::func::{Builtin, Function, Type};
use crate::interval::{Interval, Truth};
use crate::span::Span;
use rust_decimal::Decimal;

/// A value at evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(Num),
    List(Vec<Item>),
    Text(String),
    Bool(Truth),
}

/// A number: the interval of values it may take, and the figure as the bulletin wrote it
/// (`70余`, `901`) when it is one, so that messages quote the bulletin rather than `(70, 80)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    pub value: Interval,
    pub written: Option<String>,
}

impl Num {
    /// A number computed by an expression: it was never written.
    pub fn computed(value: Interval) -> Num {
        Num {
            value,
            written: None,
        }
    }

    /// A figure of the bulletin.
    pub fn written(value: Interval, written: impl Into<String>) -> Num {
        Num {
            value,
            written: Some(written.into()),
        }
    }

    /// The figure as written, or the value: normalized decimal when exact, else the interval.
    pub fn render(&self) -> String {
        self.written
            .clone()
            .unwrap_or_else(|| self.value.to_string())
    }
}

/// One item of an enumeration or of a list of figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Item {
    pub text: String,
    /// The figure's value, for items that are figures (`{figures}`, `figures(x)`).
    pub value: Option<Interval>,
    /// The family of the figure's unit (`person`, `case`), when it has one.
    pub family: Option<String>,
    /// The item may be one with the item before it: it was split from it at `和`, which also
    /// joins the words of one item (`软件和信息服务业`). A list holding such items has as many
    /// items as it lists, or fewer by one for each.
    pub joined: bool,
}

impl Item {
    /// An enumeration item: words, not a figure.
    pub fn words(text: impl Into<String>) -> Item {
        Item {
            text: text.into(),
            ..Item::default()
        }
    }
}

impl Value {
    pub fn ty(&self) -> Type {
        match self {
            Value::Num(_) => Type::Num,
            Value::List(_) => Type::List,
            Value::Text(_) => Type::Text,
            Value::Bool(_) => Type::Bool,
        }
    }
}

pub(super) fn join_items(items: &[Item]) -> String {
    items
        .iter()
        .map(|i| i.text.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// Properties of a captured figure, beyond its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureInfo {
    /// `count`, `amount`, `percent`, …
    pub kind: Option<String>,
    /// The unit's family: `person` for 人 and 名.
    pub family: Option<String>,
    /// The unit or classifier as written.
    pub unit: Option<String>,
    /// Why the figure cannot be read as written, if it cannot.
    pub malformed: Option<String>,
    /// Stated approximately: `70余`, `约5万`.
    pub approximate: bool,
    /// For a statement: its role (`part`, `change_rate`, …).
    pub role: Option<String>,
    /// For a change: `up` or `down`.
    pub direction: Option<String>,
    /// For a whole: its parts are all of it.
    pub complete: bool,
    /// For a list count: `等` before it (at least as many as listed).
    pub at_least: bool,
    /// For a change: the word that states it, as written (`下降`, `降幅`).
    pub change_word: Option<String>,
    /// For a date: its parts as written (`3月19日` has no year).
    pub date: Option<crate::recognize::Date>,
}

/// The facts of one match of a rule.
pub trait Env {
    /// The value of fact `name`, or of its capture group `group`.
    fn fact(&self, name: &str, group: Option<&str>) -> Option<Value>;

    /// The captured figure behind fact `name` (or its group), for the figure-property functions.
    fn figure(&self, name: &str, group: Option<&str>) -> Option<FigureInfo>;

    /// The figures recognized inside the text fact `name` (or its group) captured.
    fn figures(&self, name: &str, group: Option<&str>) -> Option<Vec<Item>> {
        let _ = (name, group);
        None
    }
}

/// Evaluates `expr`. Comparisons are three-valued over intervals; `and` and `or` evaluate their
/// right side only when the left does not decide, so a missing fact there is not an error.
pub fn eval(expr: &Expr, env: &dyn Env) -> Result<Value, EvalError> {
    match &expr.kind {
        ExprKind::Number(n) => Ok(Value::Num(Num::computed(Interval::exact(*n)))),
        ExprKind::Text(t) => Ok(Value::Text(t.clone())),
        ExprKind::Bool(b) => Ok(Value::Bool(Truth::from(*b))),
        ExprKind::Fact(reference) => fact(reference, expr.span, env),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => Ok(num_value(-number(operand, env)?)),
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => Ok(Value::Bool(!truth(operand, env)?)),
        ExprKind::Binary { op, lhs, rhs } => binary(*op, lhs, rhs, env),
        ExprKind::Call { func, args, .. } => call(func, args, env),
    }
}

/// Evaluates an expression that must be a truth: a rule's assertion.
pub fn eval_truth(expr: &Expr, env: &dyn Env) -> Result<Truth, EvalError> {
    truth(expr, env)
}

fn fact(reference: &FactRef, span: Span, env: &dyn Env) -> Result<Value, EvalError> {
    env.fact(&reference.name, reference.group.as_deref())
        .ok_or_else(|| EvalError::MissingFact {
            name: reference.path(),
            span,
        })
}

fn num_value(value: Interval) -> Value {
    Value::Num(Num::computed(value))
}

fn type_error(expr: &Expr, expected: Type, found: &Value) -> EvalError {
    EvalError::Type {
        message: format!("expected {expected}, `{expr}` is {}", found.ty()),
        span: expr.span,
    }
}

fn number(expr: &Expr, env: &dyn Env) -> Result<Interval, EvalError> {
    match eval(expr, env)? {
        Value::Num(n) => Ok(n.value),
        other => Err(type_error(expr, Type::Num, &other)),
    }
}

fn truth(expr: &Expr, env: &dyn Env) -> Result<Truth, EvalError> {
    match eval(expr, env)? {
        Value::Bool(t) => Ok(t),
        other => Err(type_error(expr, Type::Bool, &other)),
    }
}

fn binary(op: BinaryOp, lhs: &Expr, rhs: &Expr, env: &dyn Env) -> Result<Value, EvalError> {
    let arithmetic = |f: fn(Interval, Interval) -> Interval| -> Result<Value, EvalError> {
        Ok(num_value(f(number(lhs, env)?, number(rhs, env)?)))
    };
    let compare = |f: fn(&Interval, &Interval) -> Truth| -> Result<Value, EvalError> {
        Ok(Value::Bool(f(&number(lhs, env)?, &number(rhs, env)?)))
    };
    match op {
        BinaryOp::Add => arithmetic(|a, b| a + b),
        BinaryOp::Sub => arithmetic(|a, b| a - b),
        BinaryOp::Mul => arithmetic(|a, b| a * b),
        BinaryOp::Div => arithmetic(|a, b| a / b),
        BinaryOp::Lt => compare(Interval::lt),
        BinaryOp::Le => compare(Interval::le),
        BinaryOp::Gt => compare(Interval::gt),
        BinaryOp::Ge => compare(Interval::ge),
        BinaryOp::Eq => Ok(Value::Bool(equal(lhs, rhs, env)?)),
        BinaryOp::Ne => Ok(Value::Bool(!equal(lhs, rhs, env)?)),
        BinaryOp::And => logic(lhs, rhs, Truth::False, Truth::and, env),
        BinaryOp::Or => logic(lhs, rhs, Truth::True, Truth::or, env),
    }
}

/// `and`/`or`: `decisive` on the left decides without looking right.
fn logic(
    lhs: &Expr,
    rhs: &Expr,
    decisive: Truth,
    combine: fn(Truth, Truth) -> Truth,
    env: &dyn Env,
) -> Result<Value, EvalError> {
    let left = truth(lhs, env)?;
    if left == decisive {
        return Ok(Value::Bool(left));
    }
    Ok(Value::Bool(combine(left, truth(rhs, env)?)))
}

/// `==` for every type: intervals three-valued, texts exactly, lists as multisets of item
/// texts (the same enumeration stated twice, in any order), truths by Kleene equivalence.
fn equal(lhs: &Expr, rhs: &Expr, env: &dyn Env) -> Result<Truth, EvalError> {
    match (eval(lhs, env)?, eval(rhs, env)?) {
        (Value::Num(a), Value::Num(b)) => Ok(a.value.eq(&b.value)),
        (Value::Text(a), Value::Text(b)) => Ok(Truth::from(a == b)),
        (Value::List(a), Value::List(b)) => Ok(Truth::from(sorted_texts(&a) == sorted_texts(&b))),
        (Value::Bool(a), Value::Bool(b)) => Ok(match (a.as_bool(), b.as_bool()) {
            (Some(x), Some(y)) => Truth::from(x == y),
            _ => Truth::Unknown,
        }),
        (a, b) => Err(EvalError::Type {
            message: format!(
                "`==` compares values of one type, `{lhs}` is {} and `{rhs}` is {}",
                a.ty(),
                b.ty()
            ),
            span: rhs.span,
        }),
    }
}

fn sorted_texts(items: &[Item]) -> Vec<&str> {
    let mut texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    texts.sort_unstable();
    texts
}

fn call(func: &Function, args: &[Expr], env: &dyn Env) -> Result<Value, EvalError> {
    let num = |i: usize| arg(args, i).and_then(|a| number(a, env));
    let hundred = Interval::exact(Decimal::ONE_HUNDRED);
    Ok(match func.builtin {
        Builtin::Count => count(arg(args, 0)?, env)?,
        Builtin::Sum => num_value(fold(args, env, |a, b| a + b)?),
        Builtin::Min => num_value(fold(args, env, |a, b| a.min(&b))?),
        Builtin::Max => num_value(fold(args, env, |a, b| a.max(&b))?),
        Builtin::Abs => num_value(num(0)?.abs()),
        Builtin::Pct => num_value(num(0)? / num(1)? * hundred),
        // new/old − 1 uses `old` once: (new − old)/old would let its two uses disagree and
        // widen the result for nothing.
        Builtin::Change => num_value((num(1)? / num(0)? - Interval::exact(Decimal::ONE)) * hundred),
        Builtin::Within => Value::Bool((num(0)? - num(1)?).abs().le(&num(2)?)),
        // Compatible: some reading of one is a reading of the other (`2.7万` and `2.7万`).
        Builtin::ApproxEq => Value::Bool(Truth::from(num(0)?.intersects(&num(1)?))),
        Builtin::Lower => num_value(bound_point(num(0)?.low)),
        Builtin::Upper => num_value(bound_point(num(0)?.high)),
        Builtin::Malformed => Value::Bool(Truth::from(figure(args, env)?.malformed.is_some())),
        Builtin::Approximate => Value::Bool(Truth::from(figure(args, env)?.approximate)),
        Builtin::Kind => Value::Text(figure(args, env)?.kind.unwrap_or_default()),
        Builtin::Family => Value::Text(figure(args, env)?.family.unwrap_or_default()),
        Builtin::Unit => Value::Text(figure(args, env)?.unit.unwrap_or_default()),
        Builtin::Role => Value::Text(figure(args, env)?.role.unwrap_or_default()),
        Builtin::Direction => Value::Text(figure(args, env)?.direction.unwrap_or_default()),
        Builtin::Complete => Value::Bool(Truth::from(figure(args, env)?.complete)),
        Builtin::ChangeWord => Value::Text(figure(args, env)?.change_word.unwrap_or_default()),
        Builtin::Present => {
            let expr = arg(args, 0)?;
            let ExprKind::Fact(reference) = &expr.kind else {
                return Err(EvalError::Type {
                    message: format!("expected a fact reference, found `{expr}`"),
                    span: expr.span,
                });
            };
            Value::Bool(Truth::from(
                env.fact(&reference.name, reference.group.as_deref())
                    .is_some(),
            ))
        }
        Builtin::AtLeast => Value::Bool(Truth::from(figure(args, env)?.at_least)),
        Builtin::Signed => {
            let value = number(arg(args, 0)?, env)?;
            let down = figure(args, env)?.direction.as_deref() == Some("down");
            num_value(if down { -value } else { value })
        }
        Builtin::Precision => num_value(precision(&num(0)?)),
        Builtin::Days => {
            let from = figure(args, env)?.date;
            let to = figure(&args[1..], env)?.date;
            let days = from
                .zip(to)
                .and_then(|(from, to)| crate::recognize::date::range_days(&from, &to));
            num_value(match days {
                Some((low, high)) => Interval::closed(Decimal::from(low), Decimal::from(high)),
                None => Interval::unbounded(),
            })
        }
        Builtin::EndExists => {
            let from = figure(args, env)?.date;
            let to = figure(&args[1..], env)?.date;
            Value::Bool(Truth::from(from.zip(to).is_none_or(|(from, to)| {
                crate::recognize::date::end_exists(&from, &to)
            })))
        }
        Builtin::Weekday => {
            const NAMES: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
            let day = figure(args, env)?
                .date
                .and_then(|d| crate::recognize::date::weekday(&d));
            Value::Text(
                day.and_then(|d| NAMES.get(d as usize - 1))
                    .map(|n| (*n).to_string())
                    .unwrap_or_default(),
            )
        }
        Builtin::Contains => {
            let items = list(arg(args, 0)?, env)?;
            let x = num(1)?;
            Value::Bool(any_compatible(&items, &x))
        }
        Builtin::Agrees => {
            let items = list(arg(args, 0)?, env)?;
            let x = num(1)?;
            Value::Bool(all_compatible(&items, &x))
        }
        Builtin::Text => Value::Text(written(arg(args, 0)?, env)?),
        Builtin::Uniform => Value::Bool(Truth::from(uniform(&list(arg(args, 0)?, env)?))),
        Builtin::Total => num_value(total(&list(arg(args, 0)?, env)?)),
        Builtin::Longest => {
            let items = list(arg(args, 0)?, env)?;
            let longest = items
                .iter()
                .map(|i| i.text.chars().count())
                .max()
                .unwrap_or(0);
            num_value(Interval::exact(Decimal::from(longest)))
        }
        Builtin::Figures => Value::List(fact_figures(args, env)?),
        Builtin::AllMatch => {
            let items = list(arg(args, 0)?, env)?;
            let pattern = match eval(arg(args, 1)?, env)? {
                Value::Text(t) => t,
                other => return Err(type_error(arg(args, 1)?, Type::Text, &other)),
            };
            Value::Bool(all_match(&items, &pattern, arg(args, 1)?.span)?)
        }
        Builtin::WithFamily => {
            let family = match eval(arg(args, 1)?, env)? {
                Value::Text(t) => t,
                other => return Err(type_error(arg(args, 1)?, Type::Text, &other)),
            };
            let items = list(arg(args, 0)?, env)?;
            Value::List(
                items
                    .into_iter()
                    .filter(|i| i.family.as_deref() == Some(family.as_str()))
                    .collect(),
            )
        }
    })
}

/// The unit of the last digit a figure was stated to: the width of its interval when it was
/// rounded (`38.2%` is [38.15, 38.25]: 0.1; `1.2万` is 1000), else 1 (`25%`, `147起`).
fn precision(x: &Interval) -> Interval {
    let width = match (x.low_value(), x.high_value()) {
        (Some(low), Some(high)) if high > low => high - low,
        _ => Decimal::ONE,
    };
    Interval::exact(width)
}

/// Whether some item may equal `x`: true when one surely can (their intervals meet), false
/// when none can, unknown when an item is not a figure.
fn any_compatible(items: &[Item], x: &Interval) -> Truth {
    let mut truth = Truth::False;
    for item in items {
        match &item.value {
            Some(v) if v.intersects(x) => return Truth::True,
            Some(_) => {}
            None => truth = Truth::Unknown,
        }
    }
    truth
}

/// Whether every item may equal `x`: false as soon as one cannot.
fn all_compatible(items: &[Item], x: &Interval) -> Truth {
    let mut truth = Truth::True;
    for item in items {
        match &item.value {
            Some(v) if !v.intersects(x) => return Truth::False,
            Some(_) => {}
            None => truth = Truth::Unknown,
        }
    }
    truth
}

/// Whether every item matches `pattern`. Compiled regexes are cached per thread: a rule
/// evaluates the same literal pattern on every match.
fn all_match(items: &[Item], pattern: &str, span: Span) -> Result<Truth, EvalError> {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            let regex = build_regex(pattern).map_err(|e| EvalError::Type {
                message: format!("invalid regex in `all_match`: {e}"),
                span,
            })?;
            cache.insert(pattern.to_string(), regex);
        }
        let regex = &cache[pattern];
        Ok(Truth::from(items.iter().all(|i| regex.is_match(&i.text))))
    })
}

/// The regex of a [`super::Param::Regex`] argument, as evaluation compiles it: the type checker
/// compiles it the same way, so a rule that loads never meets a regex that does not compile.
pub(super) fn build_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
}

fn list(expr: &Expr, env: &dyn Env) -> Result<Vec<Item>, EvalError> {
    match eval(expr, env)? {
        Value::List(items) => Ok(items),
        other => Err(type_error(expr, Type::List, &other)),
    }
}

/// Items of like length: the longest has at most twice the characters of the shortest. A
/// regex cannot tell `湖南、湖北` (an enumeration) from `涉黑、涉恶犯罪嫌疑人` (two modifiers of
/// one noun); the lengths can.
fn uniform(items: &[Item]) -> bool {
    let lengths = items.iter().map(|i| i.text.chars().count());
    match (lengths.clone().min(), lengths.max()) {
        (Some(shortest), Some(longest)) => longest <= 2 * shortest,
        _ => true,
    }
}

/// The end of an interval as a number of its own; an unbounded end is every number.
fn bound_point(bound: crate::interval::Bound) -> Interval {
    bound
        .value()
        .map_or_else(Interval::unbounded, Interval::exact)
}

/// The sum of a list of figures; an item that is not a figure makes the sum unknown.
fn total(items: &[Item]) -> Interval {
    items
        .iter()
        .try_fold(Interval::exact(Decimal::ZERO), |sum, item| {
            item.value.map(|v| sum + v)
        })
        .unwrap_or_else(Interval::unbounded)
}

fn fact_figures(args: &[Expr], env: &dyn Env) -> Result<Vec<Item>, EvalError> {
    let expr = arg(args, 0)?;
    let ExprKind::Fact(reference) = &expr.kind else {
        return Err(EvalError::Type {
            message: format!("expected a fact reference, found `{expr}`"),
            span: expr.span,
        });
    };
    env.figures(&reference.name, reference.group.as_deref())
        .ok_or_else(|| EvalError::NotAFigure {
            name: reference.path(),
            span: expr.span,
        })
}

/// Argument `i`; the checker guarantees it exists, the error keeps a bad tree from panicking.
fn arg(args: &[Expr], i: usize) -> Result<&Expr, EvalError> {
    args.get(i).ok_or_else(|| EvalError::Type {
        message: format!("missing argument {}", i + 1),
        span: args.last().map_or(Span::default(), |a| a.span),
    })
}

fn count(list: &Expr, env: &dyn Env) -> Result<Value, EvalError> {
    match eval(list, env)? {
        Value::List(items) => {
            let most = Decimal::from(items.len());
            let fewest = most - Decimal::from(items.iter().filter(|i| i.joined).count());
            Ok(num_value(Interval::closed(fewest, most)))
        }
        other => Err(type_error(list, Type::List, &other)),
    }
}

fn fold(
    args: &[Expr],
    env: &dyn Env,
    f: fn(Interval, Interval) -> Interval,
) -> Result<Interval, EvalError> {
    let first = number(arg(args, 0)?, env)?;
    args[1..]
        .iter()
        .try_fold(first, |acc, a| Ok(f(acc, number(a, env)?)))
}

/// The captured figure behind the single fact-reference argument.
fn figure(args: &[Expr], env: &dyn Env) -> Result<FigureInfo, EvalError> {
    let expr = arg(args, 0)?;
    let ExprKind::Fact(reference) = &expr.kind else {
        return Err(EvalError::Type {
            message: format!("expected a fact reference, found `{expr}`"),
            span: expr.span,
        });
    };
    env.figure(&reference.name, reference.group.as_deref())
        .ok_or_else(|| EvalError::NotAFigure {
            name: reference.path(),
            span: expr.span,
        })
}

/// `text(x)`: the figure as written, the items joined by `、`, or the text.
fn written(expr: &Expr, env: &dyn Env) -> Result<String, EvalError> {
    match eval(expr, env)? {
        Value::Num(n) => Ok(n.render()),
        Value::List(items) => Ok(join_items(&items)),
        Value::Text(t) => Ok(t),
        other @ Value::Bool(_) => Err(type_error(expr, Type::Text, &other)),
    }
}

/// An [`Env`] built entry by entry: for tests, rule examples and tools.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapEnv {
    facts: std::collections::BTreeMap<(String, Option<String>), Value>,
    figures: std::collections::BTreeMap<(String, Option<String>), FigureInfo>,
}

impl MapEnv {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the value of `name` (or `name.group`).
    pub fn with_fact(mut self, name: &str, group: Option<&str>, value: Value) -> Self {
        self.facts.insert(key(name, group), value);
        self
    }

    /// Sets the figure properties of `name` (or `name.group`).
    pub fn with_figure(mut self, name: &str, group: Option<&str>, figure: FigureInfo) -> Self {
        self.figures.insert(key(name, group), figure);
        self
    }
}

fn key(name: &str, group: Option<&str>) -> (String, Option<String>) {
    (name.to_owned(), group.map(str::to_owned))
}

impl Env for MapEnv {
    fn fact(&self, name: &str, group: Option<&str>) -> Option<Value> {
        self.facts.get(&key(name, group)).cloned()
    }

    fn figure(&self, name: &str, group: Option<&str>) -> Option<FigureInfo> {
        self.figures.get(&key(name, group)).cloned()
    }
}
