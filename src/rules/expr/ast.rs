//! The syntax tree. Every node carries the byte span of its source text.

use super::func::Function;
use crate::span::Span;
use rust_decimal::Decimal;
use std::fmt;

/// An expression node and the source text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// Byte range in the expression source; a parenthesized expression's span includes its
    /// parentheses, so errors underline what the author wrote.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `100`, `0.5`: exact.
    Number(Decimal),
    /// `"人"`
    Text(String),
    /// `true`, `false`
    Bool(bool),
    /// `staff`, `items.v`
    Fact(FactRef),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Call {
        func: &'static Function,
        /// The function name alone, for errors about the function rather than the call.
        name_span: Span,
        args: Vec<Expr>,
    },
}

/// A reference to a fact of the rule, or to one capture group of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRef {
    pub name: String,
    pub group: Option<String>,
    pub name_span: Span,
    pub group_span: Option<Span>,
}

impl FactRef {
    /// The reference as written: `staff`, `items.v`.
    pub fn path(&self) -> String {
        match &self.group {
            Some(group) => format!("{}.{group}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `not p`
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

/// Binding strength, weakest first. Rendering uses it to parenthesize only where needed.
pub(super) mod prec {
    pub const OR: u8 = 1;
    pub const AND: u8 = 2;
    pub const NOT: u8 = 3;
    pub const CMP: u8 = 4;
    pub const ADD: u8 = 5;
    pub const MUL: u8 = 6;
    pub const NEG: u8 = 7;
    pub const ATOM: u8 = 8;
}

impl BinaryOp {
    /// How the operator is written in an expression.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
        }
    }

    /// How the operator is shown to an editor: `≤`, `=`, `×`.
    pub fn display_symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "×",
            BinaryOp::Div => "÷",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "≤",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => "≥",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "≠",
            BinaryOp::And => "且",
            BinaryOp::Or => "或",
        }
    }

    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => prec::OR,
            BinaryOp::And => prec::AND,
            BinaryOp::Add | BinaryOp::Sub => prec::ADD,
            BinaryOp::Mul | BinaryOp::Div => prec::MUL,
            _ => prec::CMP,
        }
    }

    pub fn is_comparison(self) -> bool {
        self.precedence() == prec::CMP
    }

    /// The comparison that holds exactly when this one fails. Exact in three-valued logic
    /// too: `a < b` is false precisely when `a >= b` is true.
    pub fn complement(self) -> Option<BinaryOp> {
        Some(match self {
            BinaryOp::Lt => BinaryOp::Ge,
            BinaryOp::Le => BinaryOp::Gt,
            BinaryOp::Gt => BinaryOp::Le,
            BinaryOp::Ge => BinaryOp::Lt,
            BinaryOp::Eq => BinaryOp::Ne,
            BinaryOp::Ne => BinaryOp::Eq,
            _ => return None,
        })
    }

    /// The precedence each operand must have to print without parentheses: arithmetic is
    /// left-associative, comparisons do not associate at all.
    pub(super) fn operand_precedence(self) -> (u8, u8) {
        let p = self.precedence();
        if self.is_comparison() {
            (p + 1, p + 1)
        } else {
            (p, p + 1)
        }
    }
}

impl Expr {
    pub(super) fn precedence(&self) -> u8 {
        match &self.kind {
            ExprKind::Unary {
                op: UnaryOp::Neg, ..
            } => prec::NEG,
            ExprKind::Unary {
                op: UnaryOp::Not, ..
            } => prec::NOT,
            ExprKind::Binary { op, .. } => op.precedence(),
            _ => prec::ATOM,
        }
    }

    fn fmt_at(&self, f: &mut fmt::Formatter<'_>, min: u8) -> fmt::Result {
        let parens = self.precedence() < min;
        if parens {
            f.write_str("(")?;
        }
        self.fmt_bare(f)?;
        if parens {
            f.write_str(")")?;
        }
        Ok(())
    }

    fn fmt_bare(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Number(n) => write!(f, "{}", n.normalize()),
            ExprKind::Text(t) => write_text_literal(f, t),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Fact(r) => f.write_str(&r.path()),
            ExprKind::Unary { op, operand } => {
                let (symbol, min) = match op {
                    UnaryOp::Neg => ("-", prec::NEG),
                    UnaryOp::Not => ("not ", prec::NOT),
                };
                f.write_str(symbol)?;
                operand.fmt_at(f, min)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (left, right) = op.operand_precedence();
                lhs.fmt_at(f, left)?;
                write!(f, " {} ", op.symbol())?;
                rhs.fmt_at(f, right)
            }
            ExprKind::Call { func, args, .. } => {
                write!(f, "{}(", func.name)?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    arg.fmt_at(f, 0)?;
                }
                f.write_str(")")
            }
        }
    }
}

fn write_text_literal(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

impl fmt::Display for Expr {
    /// The expression in canonical source form, with only the parentheses it needs; it parses
    /// back to the same tree (spans aside).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_at(f, 0)
    }
}
