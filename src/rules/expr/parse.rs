//! The parser: recursive descent, one function per precedence level.

use super::ast::{BinaryOp, Expr, ExprKind, FactRef, UnaryOp};
use super::error::{ExprError, did_you_mean};
use super::func::{FUNCTIONS, Function};
use super::lex::{Tok, Token, lex};
use crate::span::Span;

/// How deeply expressions may nest: every `not`, unary minus, parenthesis, call and chained
/// operator counts one level. Real rules need a handful; the limit bounds the height of the
/// tree, so that no later recursion over it can exhaust the stack, whatever the input.
const MAX_DEPTH: usize = 100;

/// Parses one expression; the whole input must be consumed.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let mut parser = Parser {
        src,
        tokens: lex(src)?,
        pos: 0,
        depth: 0,
    };
    let expr = parser.or()?;
    let next = parser.peek();
    match next.tok {
        Tok::End => Ok(expr),
        Tok::RParen => Err(ExprError::new(
            "unmatched `)`",
            next.span,
            "no `(` opens it",
        )),
        _ => Err(ExprError::new(
            "expected an operator or the end of the expression",
            next.span,
            format!("found {}", next.describe(src)),
        )),
    }
}

struct Parser<'a> {
    src: &'a str,
    /// Always ends with [`Tok::End`], so `peek` has something to return.
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if token.tok != Tok::End {
            self.pos += 1;
        }
        token
    }

    fn eat(&mut self, tok: &Tok) -> Option<Token> {
        (&self.peek().tok == tok).then(|| self.bump())
    }

    fn found(&self) -> String {
        format!("found {}", self.peek().describe(self.src))
    }

    /// Enters one more level of nesting, or fails past [`MAX_DEPTH`].
    fn descend(&mut self) -> Result<(), ExprError> {
        if self.depth >= MAX_DEPTH {
            return Err(ExprError::new(
                "expression nested too deeply",
                self.peek().span,
                format!("more than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Runs `f` one level deeper.
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ExprError>,
    ) -> Result<T, ExprError> {
        self.descend()?;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// A left-associative chain of `operand (op operand)*`.
    fn chain(
        &mut self,
        operator: fn(&Tok) -> Option<BinaryOp>,
        operand: fn(&mut Self) -> Result<Expr, ExprError>,
    ) -> Result<Expr, ExprError> {
        let outer = self.depth;
        let mut lhs = operand(self)?;
        while let Some(op) = operator(&self.peek().tok) {
            self.bump();
            // Each operator makes the left-leaning tree one level taller.
            self.descend()?;
            let rhs = operand(self)?;
            lhs = binary(op, lhs, rhs);
        }
        self.depth = outer;
        Ok(lhs)
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        self.chain(|t| (*t == Tok::Or).then_some(BinaryOp::Or), Self::and)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        self.chain(|t| (*t == Tok::And).then_some(BinaryOp::And), Self::not)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        let Some(not) = self.eat(&Tok::Not) else {
            return self.comparison();
        };
        let operand = self.nested(Self::not)?;
        Ok(unary(UnaryOp::Not, not.span, operand))
    }

    /// `a < b`; comparisons do not chain, since `a < b < c` reads two ways.
    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let lhs = self.additive()?;
        let Some(op) = comparison_op(&self.peek().tok) else {
            return Ok(lhs);
        };
        self.bump();
        let rhs = self.additive()?;
        if comparison_op(&self.peek().tok).is_some() {
            return Err(ExprError::new(
                "comparisons cannot be chained",
                self.peek().span,
                "second comparison",
            )
            .with_help("join the comparisons with `and`: `a <= b and b <= c`"));
        }
        Ok(binary(op, lhs, rhs))
    }

    fn additive(&mut self) -> Result<Expr, ExprError> {
        self.chain(
            |t| match t {
                Tok::Plus => Some(BinaryOp::Add),
                Tok::Minus => Some(BinaryOp::Sub),
                _ => None,
            },
            Self::multiplicative,
        )
    }

    fn multiplicative(&mut self) -> Result<Expr, ExprError> {
        self.chain(
            |t| match t {
                Tok::Star => Some(BinaryOp::Mul),
                Tok::Slash => Some(BinaryOp::Div),
                _ => None,
            },
            Self::unary,
        )
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        let Some(minus) = self.eat(&Tok::Minus) else {
            return self.primary();
        };
        let operand = self.nested(Self::unary)?;
        Ok(unary(UnaryOp::Neg, minus.span, operand))
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let token = self.bump();
        let kind = match token.tok {
            Tok::Number(n) => ExprKind::Number(n),
            Tok::Text(t) => ExprKind::Text(t),
            Tok::True => ExprKind::Bool(true),
            Tok::False => ExprKind::Bool(false),
            Tok::Ident(name) if self.peek().tok == Tok::LParen => {
                return self.call(name, token.span);
            }
            Tok::Ident(name) => return self.fact(name, token.span),
            Tok::LParen => return self.nested(|p| p.parenthesized(token.span)),
            _ => {
                return Err(ExprError::new(
                    format!("expected an expression, found {}", token.describe(self.src)),
                    token.span,
                    "expected a number, a fact, a function call or `(`",
                ));
            }
        };
        Ok(Expr {
            kind,
            span: token.span,
        })
    }

    /// `name` or `name.group`.
    fn fact(&mut self, name: String, name_span: Span) -> Result<Expr, ExprError> {
        let mut reference = FactRef {
            name,
            group: None,
            name_span,
            group_span: None,
        };
        if self.eat(&Tok::Dot).is_some() {
            let token = self.bump();
            let Tok::Ident(group) = token.tok else {
                return Err(ExprError::new(
                    "expected a group name after `.`",
                    token.span,
                    format!("found {}", token.describe(self.src)),
                ));
            };
            reference.group = Some(group);
            reference.group_span = Some(token.span);
        }
        let span = name_span.cover(reference.group_span.unwrap_or(name_span));
        Ok(Expr {
            kind: ExprKind::Fact(reference),
            span,
        })
    }

    /// `f(a, b)`; the `(` is next.
    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, ExprError> {
        let func = resolve_function(&name, name_span)?;
        self.bump();
        let mut args = Vec::new();
        if self.peek().tok != Tok::RParen {
            loop {
                args.push(self.nested(Self::or)?);
                if self.eat(&Tok::Comma).is_none() {
                    break;
                }
            }
        }
        let Some(close) = self.eat(&Tok::RParen) else {
            return Err(ExprError::new(
                "expected `)` after arguments",
                self.peek().span,
                self.found(),
            )
            .with_help("separate arguments with `,`"));
        };
        Ok(Expr {
            kind: ExprKind::Call {
                func,
                name_span,
                args,
            },
            span: name_span.cover(close.span),
        })
    }

    /// `( expr )`; the `(` is consumed. The node's span includes both parentheses.
    fn parenthesized(&mut self, open: Span) -> Result<Expr, ExprError> {
        let mut inner = self.or()?;
        let Some(close) = self.eat(&Tok::RParen) else {
            return Err(ExprError::new(
                "expected `)` to close `(`",
                self.peek().span,
                self.found(),
            )
            .with_help(format!("the `(` at byte {} is not closed", open.start)));
        };
        inner.span = open.cover(close.span);
        Ok(inner)
    }
}

fn resolve_function(name: &str, span: Span) -> Result<&'static Function, ExprError> {
    Function::lookup(name).ok_or_else(|| {
        let names = FUNCTIONS.iter().map(|f| f.name);
        let help = match did_you_mean(name, names.clone()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("functions: {}", names.collect::<Vec<_>>().join(", ")),
        };
        ExprError::new(format!("unknown function `{name}`"), span, "not a function").with_help(help)
    })
}

fn comparison_op(tok: &Tok) -> Option<BinaryOp> {
    Some(match tok {
        Tok::Lt => BinaryOp::Lt,
        Tok::Le => BinaryOp::Le,
        Tok::Gt => BinaryOp::Gt,
        Tok::Ge => BinaryOp::Ge,
        Tok::EqEq => BinaryOp::Eq,
        Tok::Ne => BinaryOp::Ne,
        _ => return None,
    })
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr {
        span: lhs.span.cover(rhs.span),
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
    }
}

fn unary(op: UnaryOp, op_span: Span, operand: Expr) -> Expr {
    Expr {
        span: op_span.cover(operand.span),
        kind: ExprKind::Unary {
            op,
            operand: Box::new(operand),
        },
    }
}
