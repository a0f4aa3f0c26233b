//! Recognize: find every figure of a text and read it as an interval with a unit and a kind.
//!
//! INTERFACE CONTRACT (the rest of the pipeline builds on these names; keep them):
//! - [`Recognizer::standard`] builds the recognizer from the embedded `rules/lexicon.toml`.
//! - [`Recognizer::recognize`] lists the quantities of a (normalized view) text, sorted by start,
//!   non-overlapping, spans into that text.
//! - [`Recognizer::parse_figure`] reads one figure that a rule pattern captured.
//! - [`Recognizer::macro_pattern`] gives the regex fragment a rule macro (`num`, `count`, `pct`,
//!   `cls`, `date`) expands to.

use crate::interval::Interval;
use crate::span::Span;
use serde::Serialize;

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Things counted with a classifier: `147起`, `160名`, `4省`.
    Count,
    /// Money: `200余万元`.
    Amount,
    /// `38.2%`, `百分之三十八点二`, `三成`.
    Percent,
    /// `个百分点`: a difference of rates, never compared with a percent.
    PercentagePoint,
    /// `第15名`.
    Ordinal,
    /// `10月27日`, `2021年以来`.
    Date,
    /// `1倍`, `翻一番`.
    Multiple,
    /// `三分之一`.
    Fraction,
}

/// The unit or classifier written after a figure, and the family it belongs to (人 and 名 are
/// both `person`), so that rules compare like with like. Shared with the lexicon's entry:
/// every figure of a document has one, and copying two strings for each was a tenth of the
/// recognizer's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub text: std::sync::Arc<str>,
    pub family: std::sync::Arc<str>,
}

/// Why a figure cannot be read as written; rules report these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Malformation {
    /// 亿 and 万 in one amount: `8亿余万元`.
    MixedMagnitudes,
    /// The same magnitude twice: `3万万元`.
    DoubledMagnitude,
    /// A thousands separator not every three digits: `23,87,2`.
    MisplacedSeparator,
    /// A date that does not exist: `9月31日`, `2023年2月29日`.
    ImpossibleDate,
}

impl Malformation {
    /// What is wrong, for an editor: `亿与万混用`.
    pub fn describe(self) -> &'static str {
        match self {
            Malformation::MixedMagnitudes => "亿、万等数量级混用",
            Malformation::DoubledMagnitude => "同一数量级重复",
            Malformation::MisplacedSeparator => "千位分隔符位置不对",
            Malformation::ImpossibleDate => "日期不存在",
        }
    }
}

/// A calendar date as written; absent parts are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Date {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// One figure of the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// The whole figure as written, approximation words and unit included: `约5万元`, `26万余人次`.
    pub span: Span,
    /// The interval the figure stands for, in base units (`26万余` is (260000, 270000)).
    #[serde(serialize_with = "serialize_interval")]
    pub value: Interval,
    pub unit: Option<Unit>,
    pub kind: Kind,
    pub malformed: Option<Malformation>,
    /// Set for [`Kind::Date`].
    pub date: Option<Date>,
}

/// A figure read on its own, without the context that makes it a quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: Interval,
    pub malformed: Option<Malformation>,
}

mod addresses;
mod approx;
pub(crate) mod charset;
pub(crate) mod date;
mod idioms;
mod lexicon;
mod numeral;
mod pattern;
pub mod readable;
mod scan;
mod shared_units;
#[cfg(test)]
mod tests;

pub use lexicon::LexiconError;

use charset::CharSet;
use idioms::Idioms;
use lexicon::Lexicon;
use pattern::Macros;
use scan::{Found, Mode, Prefix, Sign};
use std::sync::OnceLock;

/// Serializes an interval as `{"low", "high", "low_open", "high_open"}`, bounds as decimal
/// strings (`null` when unbounded), the shape `statlint extract` prints.
fn serialize_interval<S: serde::Serializer>(iv: &Interval, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let text = |b: crate::interval::Bound| b.value().map(|v| v.normalize().to_string());
    let mut st = s.serialize_struct("Interval", 4)?;
    st.serialize_field("low", &text(iv.low))?;
    st.serialize_field("high", &text(iv.high))?;
    st.serialize_field("low_open", &iv.low.is_open())?;
    st.serialize_field("high_open", &iv.high.is_open())?;
    st.end()
}

/// The lexicon embedded in the binary.
const STANDARD_LEXICON: &str = include_str!("../../rules/lexicon.toml");

/// Finds and reads the figures of a text. Built once from a lexicon; `Send + Sync`.
#[derive(Debug)]
pub struct Recognizer {
    lex: Lexicon,
    macros: Macros,
    /// The characters that can start a numeral: ASCII and Chinese digits, magnitude words. A
    /// bitmap, not a regex: the scan asks for the next one thousands of times a document, and a
    /// regex search costs more to start than the set costs to test over a sentence.
    start: CharSet,
    /// The idioms of the lexicon; `None` when there are none. A literal automaton builds in a
    /// fraction of a regex's time.
    idioms: Option<Idioms>,
}

impl Recognizer {
    /// The recognizer of the embedded `rules/lexicon.toml`, built on first use.
    pub fn standard() -> &'static Recognizer {
        static STANDARD: OnceLock<Recognizer> = OnceLock::new();
        STANDARD.get_or_init(|| {
            Recognizer::from_lexicon(STANDARD_LEXICON)
                .expect("the embedded lexicon is checked by the test suite")
        })
    }

    /// A recognizer for a custom lexicon (same format as `rules/lexicon.toml`).
    pub fn from_lexicon(toml_src: &str) -> Result<Recognizer, LexiconError> {
        let lex = Lexicon::parse(toml_src)?;
        let macros = Macros::new(&lex);
        let start = CharSet::new(
            ('0'..='9')
                .chain(numeral::CHINESE_DIGITS.chars())
                .chain(lex.magnitudes.keys().copied())
                .chain(
                    lex.figure_words
                        .iter()
                        .filter_map(|w| w.text.chars().next()),
                ),
        );
        let idioms = Idioms::new(&lex.idioms)?;
        // The macro fragments are only ever compiled inside rule patterns; here they are parsed,
        // which finds every syntax mistake (same message as compiling) at a fraction of the cost.
        // A fragment too big to compile is reported by the rule pattern that uses it.
        for name in ["num", "count", "pct", "cls"] {
            regex_syntax::Parser::new()
                .parse(macros.get(name).unwrap_or_default())
                .map_err(|e| LexiconError::Pattern {
                    message: e.to_string(),
                })?;
        }
        Ok(Recognizer {
            lex,
            macros,
            start,
            idioms,
        })
    }

    /// Every quantity of `text`, sorted by start, non-overlapping; spans are byte ranges of
    /// `text` on character boundaries.
    pub fn recognize(&self, text: &str) -> Vec<Quantity> {
        let mut idioms = idioms::Overlaps::new(self.idioms.as_ref(), &self.lex, text);
        let addresses = addresses::Addresses::new(text);
        let mut found: Vec<Quantity> = Vec::new();
        let mut cursor = 0;
        let mut search = 0;
        while search < text.len() {
            let Some((p, first)) = self.start.find(text, search) else {
                break;
            };
            let after_first = p + first.len_utf8();
            let sign = self.sign_before(text, cursor, p, !found.is_empty());
            let word_end = sign.map_or(p, |s| s.start);
            let before = &text[cursor..word_end];
            let ordinal = (sign.is_none() && before.ends_with(self.lex.ordinal_prefix.as_str()))
                .then(|| p - self.lex.ordinal_prefix.len());
            let prefix = self.lex.prefix_before(before).map(|word| Prefix {
                start: word_end - word.text.len(),
                word,
            });
            match self
                .lex
                .figure_at(text, p, prefix, ordinal, sign, Mode::Scan)
            {
                Ok(f)
                    if f.context
                        && !is_label(text, p)
                        && !idioms.any(f.span)
                        && !addresses.overlaps(f.span) =>
                {
                    cursor = f.span.end;
                    search = f.span.end;
                    found.push(f.into_quantity());
                }
                Ok(f) => search = f.resume.max(after_first),
                Err(skip) => search = (p + skip).max(after_first),
            }
        }
        shared_units::add(self, text, &mut found);
        found
    }

    /// A sign right before the numeral at `p` (`增长-3.4%`, `增长负3.4%`), unless it joins two
    /// figures (`5%-3%`, a reversed range; `1-10月`; `0715-8123456`) or ends a word or code
    /// (`A-3`). Whether the figure takes it depends on its unit (rates and temperatures do).
    fn sign_before(&self, text: &str, cursor: usize, p: usize, after_figure: bool) -> Option<Sign> {
        let sign = self.lex.sign_before(&text[cursor..p])?;
        let start = p - sign.len();
        if after_figure && start == cursor {
            return None;
        }
        let joins = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || self.lex.is_numeral_char(c));
        (!joins).then_some(Sign { start })
    }

    /// Reads one figure as a rule pattern captured it (`801`, `70余`, `约5万`, `百分之三十八点二`,
    /// `889个`, `-3.4%`). A trailing unit is allowed; its scale applies (`5万元` → 50000,
    /// `三成` → 30). A leading sign makes the figure negative, whatever its unit.
    pub fn parse_figure(&self, text: &str) -> Option<Figure> {
        let text = text.trim();
        let sign = self.lex.sign_at(text).filter(|s| text.len() > s.len());
        let body = sign.map_or(0, str::len);
        let (prefix, p) = match self.lex.prefix_at(&text[body..]) {
            Some(word) if text.len() > body + word.text.len() => {
                (Some(Prefix { start: body, word }), body + word.text.len())
            }
            _ => (None, body),
        };
        let read = |prefix, p| {
            self.lex
                .figure_at(text, p, prefix, None, None, Mode::Whole)
                .ok()
                .filter(|f| f.span.end == text.len())
        };
        // A leading word such as 上 or 几 may be part of the numeral rather than a prefix.
        let f = read(prefix, p).or_else(|| prefix.and_then(|_| read(None, body)))?;
        Some(Figure {
            value: if sign.is_some() { -f.value } else { f.value },
            malformed: f.malformed,
        })
    }

    /// The regex fragment for a rule-pattern macro: `num`, `count`, `pct`, `cls` or `date`.
    pub fn macro_pattern(&self, name: &str) -> Option<&str> {
        self.macros.get(name)
    }
}

/// A figure right after an ASCII letter or digit is part of a code or name (`G20`, `No3`).
fn is_label(text: &str, p: usize) -> bool {
    text[..p]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

impl Found {
    fn into_quantity(self) -> Quantity {
        Quantity {
            span: self.span,
            value: self.value,
            unit: self.unit,
            kind: self.kind,
            malformed: self.malformed,
            date: self.date,
        }
    }
}
