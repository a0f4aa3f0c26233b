//! The lexer: source text to tokens, each with its byte span.

use super::error::{ExprError, MAX_QUOTED_CHARS, excerpt};
use crate::span::Span;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Number(Decimal),
    Text(String),
    Ident(String),
    And,
    Or,
    Not,
    True,
    False,
    Plus,
    Minus,
    Star,
    Slash,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
    LParen,
    RParen,
    Comma,
    Dot,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub span: Span,
}

impl Token {
    /// The token as quoted in messages: "`)`", "end of input".
    pub fn describe(&self, src: &str) -> String {
        match self.tok {
            Tok::End => "end of input".to_owned(),
            _ => format!("`{}`", excerpt(&src[self.span.range()])),
        }
    }
}

/// Splits `src` into tokens, ending with [`Tok::End`] (an empty span at the end of the input).
pub(super) fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut lexer = Lexer { src, pos: 0 };
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let end = token.tok == Tok::End;
        tokens.push(token);
        if end {
            return Ok(tokens);
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.src[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat_while(&mut self, pred: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&pred) {
            self.bump();
        }
    }

    fn next_token(&mut self) -> Result<Token, ExprError> {
        self.eat_while(char::is_whitespace);
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(Token {
                tok: Tok::End,
                span: Span::new(start, start),
            });
        };
        let tok = match c {
            '0'..='9' => self.number(start)?,
            '"' => self.text(start)?,
            c if c.is_ascii_alphabetic() || c == '_' => self.word(start),
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '*' => Tok::Star,
            '/' => Tok::Slash,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '.' => Tok::Dot,
            '≤' => Tok::Le,
            '≥' => Tok::Ge,
            '≠' => Tok::Ne,
            '<' => self.then_eq(Tok::Lt, Tok::Le),
            '>' => self.then_eq(Tok::Gt, Tok::Ge),
            '=' if self.eat('=') => Tok::EqEq,
            '!' if self.eat('=') => Tok::Ne,
            other => return Err(unexpected_char(other, Span::new(start, self.pos))),
        };
        Ok(Token {
            tok,
            span: Span::new(start, self.pos),
        })
    }

    fn eat(&mut self, expected: char) -> bool {
        let found = self.peek() == Some(expected);
        if found {
            self.bump();
        }
        found
    }

    fn then_eq(&mut self, alone: Tok, with_eq: Tok) -> Tok {
        if self.eat('=') { with_eq } else { alone }
    }

    /// `123` or `12.5`; the first digit is already consumed.
    fn number(&mut self, start: usize) -> Result<Tok, ExprError> {
        self.eat_while(|c| c.is_ascii_digit());
        if self.peek() == Some('.') && !self.peek_second().is_some_and(is_ident_start) {
            self.bump();
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                let span = Span::new(start, self.pos);
                return Err(ExprError::new(
                    "expected digits after the decimal point",
                    span,
                    "here",
                )
                .with_help(format!(
                    "write `{}0` or `{}`",
                    &self.src[span.range()],
                    &self.src[start..self.pos - 1]
                )));
            }
            self.eat_while(|c| c.is_ascii_digit());
        }
        let text = &self.src[start..self.pos];
        Decimal::from_str_exact(text).map(Tok::Number).map_err(|_| {
            // A long literal is quoted and underlined by its start only (issue 19: a
            // 100,000-digit literal was echoed whole).
            let quoted = excerpt(text);
            let (length, end) = match quoted {
                std::borrow::Cow::Borrowed(_) => (String::new(), self.pos),
                std::borrow::Cow::Owned(_) => (
                    format!(" ({} digits)", text.len()),
                    start + MAX_QUOTED_CHARS,
                ),
            };
            ExprError::new(
                format!("number `{quoted}`{length} cannot be represented exactly"),
                Span::new(start, end),
                "too many digits",
            )
            .with_help("numbers have at most 28 significant digits")
        })
    }

    /// `"…"` with `\"` and `\\` escapes; the opening quote is already consumed.
    fn text(&mut self, start: usize) -> Result<Tok, ExprError> {
        let mut text = String::new();
        loop {
            let escape_start = self.pos;
            match self.bump() {
                None => {
                    return Err(ExprError::new(
                        "unterminated text literal",
                        Span::new(start, self.pos),
                        "this text has no closing `\"`",
                    ));
                }
                Some('"') => return Ok(Tok::Text(text)),
                Some('\\') => match self.bump() {
                    Some(c @ ('"' | '\\')) => text.push(c),
                    other => {
                        let span = Span::new(escape_start, self.pos);
                        let shown = other.map_or(String::from("\\"), |c| format!("\\{c}"));
                        return Err(ExprError::new(
                            format!("unknown escape `{shown}` in text"),
                            span,
                            "not an escape",
                        )
                        .with_help("only `\\\"` and `\\\\` are escapes"));
                    }
                },
                Some(c) => text.push(c),
            }
        }
    }

    /// A name or a keyword; the first character is already consumed.
    fn word(&mut self, start: usize) -> Tok {
        self.eat_while(|c| c.is_ascii_alphanumeric() || c == '_');
        match &self.src[start..self.pos] {
            "and" => Tok::And,
            "or" => Tok::Or,
            "not" => Tok::Not,
            "true" => Tok::True,
            "false" => Tok::False,
            name => Tok::Ident(name.to_owned()),
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// The error for a character that starts no token, with a hint for the usual suspects.
fn unexpected_char(c: char, span: Span) -> ExprError {
    let help = match c {
        '=' => Some("compare with `==`"),
        '!' => Some("negate with `not`; `!=` means not equal"),
        '&' => Some("write `and`"),
        '|' => Some("write `or`; `abs(x)` is the absolute value"),
        '%' => Some("percentages are plain numbers here: `38.2`, not `38.2%`"),
        '×' => Some("multiply with `*`"),
        '÷' => Some("divide with `/`"),
        '（' | '）' | '，' => Some("use ASCII punctuation: `(`, `)`, `,`"),
        '“' | '”' | '\'' => Some("write text in ASCII double quotes: \"人\""),
        c if !c.is_ascii() => Some(
            "names in expressions are ASCII; give the fact an ASCII name in the rule's `facts`",
        ),
        _ => None,
    };
    ExprError::new(
        format!("unexpected character `{c}`"),
        span,
        "not part of the expression language",
    )
    .with_help_opt(help.map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn tokens() {
        let n = |s: &str| Tok::Number(s.parse().unwrap());
        let id = |s: &str| Tok::Ident(s.to_owned());
        let cases = [
            ("", vec![Tok::End]),
            (
                "staff<=villages",
                vec![id("staff"), Tok::Le, id("villages"), Tok::End],
            ),
            (
                "a ≤ 0.5 ≥ ≠ != == < >",
                vec![
                    id("a"),
                    Tok::Le,
                    n("0.5"),
                    Tok::Ge,
                    Tok::Ne,
                    Tok::Ne,
                    Tok::EqEq,
                    Tok::Lt,
                    Tok::Gt,
                    Tok::End,
                ],
            ),
            (
                "items.v 12.5.x",
                vec![
                    id("items"),
                    Tok::Dot,
                    id("v"),
                    n("12.5"),
                    Tok::Dot,
                    id("x"),
                    Tok::End,
                ],
            ),
            ("1.x", vec![n("1"), Tok::Dot, id("x"), Tok::End]),
            (
                "not true and_x or false",
                vec![
                    Tok::Not,
                    Tok::True,
                    id("and_x"),
                    Tok::Or,
                    Tok::False,
                    Tok::End,
                ],
            ),
            (
                r#""人" "a\"b\\""#,
                vec![Tok::Text("人".into()), Tok::Text("a\"b\\".into()), Tok::End],
            ),
            ("\u{3000}-x", vec![Tok::Minus, id("x"), Tok::End]),
        ];
        for (src, want) in cases {
            assert_eq!(kinds(src), want, "{src}");
        }
    }

    #[test]
    fn spans_are_bytes_of_the_source() {
        let tokens = lex("“x ≤ 12").unwrap_err();
        assert_eq!(tokens.span, Span::new(0, 3));
        let tokens = lex("x ≤ 12").unwrap();
        let spans: Vec<_> = tokens.iter().map(|t| t.span).collect();
        assert_eq!(
            spans,
            [
                Span::new(0, 1),
                Span::new(2, 5),
                Span::new(6, 8),
                Span::new(8, 8)
            ]
        );
    }

    #[test]
    fn errors() {
        let cases = [
            (
                "a % b",
                "unexpected character `%`",
                2..3,
                Some("percentages"),
            ),
            (
                "a = b",
                "unexpected character `=`",
                2..3,
                Some("compare with `==`"),
            ),
            ("a ! b", "unexpected character `!`", 2..3, Some("negate")),
            (
                "a && b",
                "unexpected character `&`",
                2..3,
                Some("write `and`"),
            ),
            ("驻村 > 1", "unexpected character `驻`", 0..3, Some("ASCII")),
            (
                "1.",
                "expected digits after the decimal point",
                0..2,
                Some("`1.0` or `1`"),
            ),
            ("\"abc", "unterminated text literal", 0..4, None),
            (
                r#""a\n""#,
                "unknown escape `\\n` in text",
                2..4,
                Some("escapes"),
            ),
            (
                "123456789012345678901234567890",
                "number `123456789012345678901234567890` cannot be represented exactly",
                0..30,
                Some("28"),
            ),
            (
                "0.00000000000000000000000000001",
                "number `0.00000000000000000000000000001` cannot be represented exactly",
                0..31,
                Some("28"),
            ),
        ];
        for (src, message, span, help) in cases {
            let err = lex(src).unwrap_err();
            assert_eq!(err.message, message, "{src}");
            assert_eq!(err.span, Span::from(span), "{src}");
            match help {
                Some(h) => assert!(
                    err.help.as_deref().unwrap_or("").contains(h),
                    "{src}: {err:?}"
                ),
                None => assert_eq!(err.help, None, "{src}"),
            }
        }
    }

    /// Issue 19: the error about a 100,000-digit literal echoed all of it.
    #[test]
    fn a_huge_literal_is_quoted_and_underlined_by_its_start() {
        let digits = "7".repeat(100_000);
        let err = lex(&format!("a > {digits}")).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "number `{}…` (100000 digits) cannot be represented exactly",
                &digits[..40]
            )
        );
        assert_eq!(err.span, Span::new(4, 44));
    }
}
