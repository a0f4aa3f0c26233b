//! The recognizer's lexicon: magnitude words, approximation words, units and classifiers, date
//! suffixes and idioms, read from TOML (`rules/lexicon.toml`) and checked on load.

use super::Kind;
use miette::Diagnostic;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::str::FromStr;
use thiserror::Error;

/// Why a lexicon could not be loaded.
#[derive(Debug, Error, Diagnostic)]
pub enum LexiconError {
    #[error("the lexicon is not valid TOML or does not have the expected shape: {message}")]
    #[diagnostic(code(statlint::lexicon::syntax))]
    Syntax { message: String },
    #[error("invalid lexicon entry `{entry}`: {reason}")]
    #[diagnostic(code(statlint::lexicon::entry))]
    Entry { entry: String, reason: String },
    #[error("the lexicon's words do not compile into a pattern: {message}")]
    #[diagnostic(code(statlint::lexicon::pattern))]
    Pattern { message: String },
}

impl LexiconError {
    fn entry(entry: &str, reason: impl Into<String>) -> Self {
        LexiconError::Entry {
            entry: entry.to_string(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    magnitude: Vec<RawMagnitude>,
    #[serde(default)]
    approximation: Vec<RawApproximation>,
    unit: Vec<RawUnit>,
    syntax: RawSyntax,
    #[serde(default)]
    idioms: RawIdioms,
    #[serde(default)]
    compound: Vec<RawCompound>,
    #[serde(default)]
    figure_word: Vec<RawFigureWord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMagnitude {
    text: String,
    exponent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Position {
    Prefix,
    Suffix,
    Postfix,
}

/// How an approximation word turns a figure into an interval (see `approx.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reading {
    NextPlace,
    Below,
    AtMost,
    Above,
    AtLeast,
    About,
    Near,
    Some,
    Order,
    /// `多达`, `高达`, `仅`: the word belongs to the figure and leaves its value as written.
    Exact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproximation {
    text: String,
    position: Position,
    reading: Reading,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Count,
    Amount,
    Percent,
    PercentagePoint,
    Multiple,
    Fraction,
}

impl From<RawKind> for Kind {
    fn from(k: RawKind) -> Kind {
        match k {
            RawKind::Count => Kind::Count,
            RawKind::Amount => Kind::Amount,
            RawKind::Percent => Kind::Percent,
            RawKind::PercentagePoint => Kind::PercentagePoint,
            RawKind::Multiple => Kind::Multiple,
            RawKind::Fraction => Kind::Fraction,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    text: String,
    family: String,
    kind: RawKind,
    scale: Option<String>,
    #[serde(default)]
    trailing_approx: bool,
    power_of: Option<u32>,
    requires_prefix: Option<String>,
    #[serde(default)]
    magnitude_in_unit: bool,
    #[serde(default)]
    half: bool,
    #[serde(default)]
    measure: bool,
    #[serde(default)]
    signed: bool,
}

/// A smaller unit read only right after a larger one of its family: `123元1角1分`, `六斤八两`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompound {
    text: String,
    after: Vec<String>,
    scale: String,
}

/// A word that is a figure by itself: `半数`, `一半`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigureWord {
    text: String,
    value: String,
    family: String,
    kind: RawKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSyntax {
    ordinal_prefix: String,
    range_separators: Vec<String>,
    date_suffixes: Vec<String>,
    #[serde(default)]
    signs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdioms {
    #[serde(default)]
    phrases: Vec<String>,
}

/// A unit or classifier of the lexicon.
#[derive(Debug, Clone)]
pub(crate) struct UnitEntry {
    pub text: std::sync::Arc<str>,
    pub family: std::sync::Arc<str>,
    pub kind: Kind,
    /// Multiplier into the family's base unit.
    pub scale: Decimal,
    pub trailing_approx: bool,
    pub power_of: Option<u32>,
    pub requires_prefix: Option<String>,
    /// The unit's first character is a magnitude word that belongs to the unit (`千克`, `千瓦`):
    /// the numeral stops before it, so `120万千瓦` is not a mixed magnitude.
    pub magnitude_in_unit: bool,
    /// `半` may follow the unit (`两年半`, `三斤半`, `三成半`) or sit inside a `个…` unit
    /// (`一个半月`): half a unit more.
    pub half: bool,
    /// A unit of measure, not a classifier: with it a lone `一` is the number one
    /// (`缴获毒品一吨`), not the article (`一起案件`).
    pub measure: bool,
    /// Figures of this unit may carry a sign (`-3.4%`, `负3.4%`, `零下5摄氏度`).
    pub signed: bool,
}

/// A smaller unit of a compound amount (`1角`, `1分` after `123元`; `八两` after `六斤`).
#[derive(Debug, Clone)]
pub(crate) struct CompoundEntry {
    pub text: String,
    /// The larger units it may follow.
    pub after: Vec<String>,
    /// Its value in the base unit of the family of the unit it follows (角 = 0.1 元, 两 = 50 克).
    pub scale: Decimal,
}

/// A word that is a figure by itself (`半数`, `一半` = 0.5).
#[derive(Debug, Clone)]
pub(crate) struct FigureWord {
    pub text: String,
    pub value: Decimal,
    pub unit: super::Unit,
    pub kind: Kind,
}

/// An approximation word written before the figure or after the unit.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub text: String,
    pub reading: Reading,
}

/// A map keyed by characters, hashed by one multiplication. The scan looks a character up for
/// every character of every numeral and every unit; SipHash, the default, cost more than the
/// rest of the lookup (12 M instructions on the real corpus). Keys come from the lexicon, not
/// from the documents, so there is nothing to flood.
pub(crate) type CharMap<V> = HashMap<char, V, BuildHasherDefault<CharHasher>>;

/// The hasher of [`CharMap`]: Fx's multiplication, on the character's code point.
#[derive(Default)]
pub(crate) struct CharHasher(u64);

impl Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The checked lexicon, arranged for lookups during the scan.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Magnitude character → exponent of ten.
    pub magnitudes: CharMap<u32>,
    /// Suffix approximation characters (余 多 几); all read as [`Reading::NextPlace`].
    pub suffixes: Vec<char>,
    /// Prefix words, longest first.
    pub prefixes: Vec<Word>,
    /// Postfix words, longest first.
    pub postfixes: Vec<Word>,
    /// Units, longest first.
    pub units: Vec<UnitEntry>,
    /// Units by first character, each list longest first (indices into `units`).
    units_by_first: CharMap<Vec<usize>>,
    pub ordinal_prefix: String,
    /// Range separators, longest first.
    pub range_separators: Vec<String>,
    /// Date suffixes, longest first.
    pub date_suffixes: Vec<String>,
    /// Idioms, longest first.
    pub idioms: Vec<String>,
    /// Signs written before a figure (`-`, `−`, `负`), longest first.
    pub signs: Vec<String>,
    /// Smaller units of compound amounts.
    pub compounds: Vec<CompoundEntry>,
    /// Words that are figures by themselves, longest first.
    pub figure_words: Vec<FigureWord>,
}

fn nonempty(what: &str, text: &str) -> Result<(), LexiconError> {
    if text.is_empty() {
        Err(LexiconError::entry(what, "text must not be empty"))
    } else {
        Ok(())
    }
}

/// A positive decimal of the lexicon (a scale or a value), or an error naming `entry`.
fn positive(entry: &str, text: &str) -> Result<Decimal, LexiconError> {
    match Decimal::from_str(text) {
        Ok(d) if d > Decimal::ZERO => Ok(d),
        _ => Err(LexiconError::entry(
            entry,
            format!("`{text}` is not a positive decimal"),
        )),
    }
}

fn longest_first<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        b.len().cmp(&a.len()).then_with(|| a.cmp(b))
    });
}

impl Lexicon {
    pub(crate) fn parse(src: &str) -> Result<Lexicon, LexiconError> {
        let raw: RawLexicon = toml::from_str(src).map_err(|e| LexiconError::Syntax {
            message: e.to_string(),
        })?;
        let magnitudes = Self::magnitudes(&raw.magnitude)?;
        let (suffixes, mut prefixes, mut postfixes) = Self::approximations(&raw.approximation)?;
        longest_first(&mut prefixes, |w| &w.text);
        longest_first(&mut postfixes, |w| &w.text);
        let mut units = Self::units(raw.unit)?;
        longest_first(&mut units, |u| &u.text);
        let mut units_by_first: CharMap<Vec<usize>> = CharMap::default();
        for (i, unit) in units.iter().enumerate() {
            if let Some(c) = unit.text.chars().next() {
                units_by_first.entry(c).or_default().push(i);
            }
        }
        nonempty("syntax.ordinal_prefix", &raw.syntax.ordinal_prefix)?;
        let mut range_separators = raw.syntax.range_separators;
        let mut date_suffixes = raw.syntax.date_suffixes;
        let mut idioms = raw.idioms.phrases;
        let mut signs = raw.syntax.signs;
        for (what, list) in [
            ("syntax.range_separators", &range_separators),
            ("syntax.date_suffixes", &date_suffixes),
            ("syntax.signs", &signs),
            ("idioms.phrases", &idioms),
        ] {
            for item in list {
                nonempty(what, item)?;
            }
        }
        longest_first(&mut range_separators, |s| s);
        longest_first(&mut date_suffixes, |s| s);
        longest_first(&mut idioms, |s| s);
        longest_first(&mut signs, |s| s);
        idioms.dedup();
        let compounds = Self::compounds(raw.compound, &units)?;
        let mut figure_words = Self::figure_words(raw.figure_word)?;
        longest_first(&mut figure_words, |w| &w.text);
        Ok(Lexicon {
            magnitudes,
            suffixes,
            prefixes,
            postfixes,
            units,
            units_by_first,
            ordinal_prefix: raw.syntax.ordinal_prefix,
            range_separators,
            date_suffixes,
            idioms,
            signs,
            compounds,
            figure_words,
        })
    }

    fn compounds(
        raw: Vec<RawCompound>,
        units: &[UnitEntry],
    ) -> Result<Vec<CompoundEntry>, LexiconError> {
        let known = |name: &str| {
            units.iter().any(|u| &*u.text == name) || raw.iter().any(|c| c.text == name)
        };
        raw.iter()
            .map(|c| {
                nonempty("compound", &c.text)?;
                if let Some(missing) = c.after.iter().find(|a| !known(a)) {
                    return Err(LexiconError::entry(
                        &c.text,
                        format!("`after` names `{missing}`, which is no unit of the lexicon"),
                    ));
                }
                if c.after.is_empty() {
                    return Err(LexiconError::entry(&c.text, "`after` must name a unit"));
                }
                Ok(CompoundEntry {
                    scale: positive(&c.text, &c.scale)?,
                    text: c.text.clone(),
                    after: c.after.clone(),
                })
            })
            .collect()
    }

    fn figure_words(raw: Vec<RawFigureWord>) -> Result<Vec<FigureWord>, LexiconError> {
        raw.into_iter()
            .map(|w| {
                nonempty("figure_word", &w.text)?;
                Ok(FigureWord {
                    value: positive(&w.text, &w.value)?,
                    unit: super::Unit {
                        text: w.text.as_str().into(),
                        family: w.family.into(),
                    },
                    kind: w.kind.into(),
                    text: w.text,
                })
            })
            .collect()
    }

    fn magnitudes(raw: &[RawMagnitude]) -> Result<CharMap<u32>, LexiconError> {
        let mut map = CharMap::default();
        for m in raw {
            let mut chars = m.text.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return Err(LexiconError::entry(&m.text, "a magnitude is one character"));
            };
            if !matches!(m.exponent, 1..=4 | 8) {
                return Err(LexiconError::entry(
                    &m.text,
                    "a magnitude's exponent is 1, 2, 3, 4 or 8",
                ));
            }
            if c.is_ascii_digit() || super::numeral::digit_value(c).is_some() {
                return Err(LexiconError::entry(
                    &m.text,
                    "a digit cannot be a magnitude",
                ));
            }
            if map.insert(c, m.exponent).is_some() {
                return Err(LexiconError::entry(&m.text, "listed twice"));
            }
        }
        Ok(map)
    }

    #[allow(clippy::type_complexity)]
    fn approximations(
        raw: &[RawApproximation],
    ) -> Result<(Vec<char>, Vec<Word>, Vec<Word>), LexiconError> {
        let (mut suffixes, mut prefixes, mut postfixes) = (Vec::new(), Vec::new(), Vec::new());
        for a in raw {
            nonempty("approximation", &a.text)?;
            let word = Word {
                text: a.text.clone(),
                reading: a.reading,
            };
            match a.position {
                Position::Suffix => {
                    let mut chars = a.text.chars();
                    let (Some(c), None) = (chars.next(), chars.next()) else {
                        return Err(LexiconError::entry(
                            &a.text,
                            "a suffix approximation is one character",
                        ));
                    };
                    if a.reading != Reading::NextPlace {
                        return Err(LexiconError::entry(
                            &a.text,
                            "a suffix approximation reads as next_place",
                        ));
                    }
                    suffixes.push(c);
                }
                Position::Prefix => prefixes.push(word),
                Position::Postfix => {
                    // `order` after a unit is `千万元级`: [x, 10x).
                    if matches!(
                        a.reading,
                        Reading::NextPlace | Reading::Some | Reading::Exact
                    ) {
                        return Err(LexiconError::entry(
                            &a.text,
                            "this reading is not available after a unit",
                        ));
                    }
                    postfixes.push(word)
                }
            }
        }
        Ok((suffixes, prefixes, postfixes))
    }

    fn units(raw: Vec<RawUnit>) -> Result<Vec<UnitEntry>, LexiconError> {
        let mut seen = std::collections::HashSet::new();
        let mut units = Vec::with_capacity(raw.len());
        for u in raw {
            nonempty("unit", &u.text)?;
            if u.family.is_empty() {
                return Err(LexiconError::entry(&u.text, "family must not be empty"));
            }
            if !seen.insert(u.text.clone()) {
                return Err(LexiconError::entry(&u.text, "listed twice"));
            }
            let scale = match &u.scale {
                None => Decimal::ONE,
                Some(s) => positive(&u.text, s)?,
            };
            if u.power_of == Some(0) {
                return Err(LexiconError::entry(&u.text, "power_of must be at least 1"));
            }
            units.push(UnitEntry {
                text: u.text.into(),
                family: u.family.into(),
                kind: u.kind.into(),
                scale,
                trailing_approx: u.trailing_approx,
                power_of: u.power_of,
                requires_prefix: u.requires_prefix,
                magnitude_in_unit: u.magnitude_in_unit,
                half: u.half,
                measure: u.measure,
                signed: u.signed,
            });
        }
        Ok(units)
    }

    /// The longest unit written at the start of `rest`.
    pub(crate) fn unit_at(&self, rest: &str) -> Option<&UnitEntry> {
        let first = rest.chars().next()?;
        self.units_by_first
            .get(&first)?
            .iter()
            .map(|&i| &self.units[i])
            .find(|u| rest.starts_with(&*u.text))
    }

    /// The unit spelled exactly `text`.
    pub(crate) fn unit_named(&self, text: &str) -> Option<&UnitEntry> {
        let first = text.chars().next()?;
        self.units_by_first
            .get(&first)?
            .iter()
            .map(|&i| &self.units[i])
            .find(|u| *u.text == *text)
    }

    /// An Arabic or Chinese digit or a magnitude word.
    pub(crate) fn is_numeral_char(&self, c: char) -> bool {
        c.is_ascii_digit()
            || super::numeral::digit_value(c).is_some()
            || self.magnitudes.contains_key(&c)
    }

    pub(crate) fn is_suffix(&self, c: char) -> bool {
        self.suffixes.contains(&c)
    }

    /// The longest prefix word that `before` ends with. Asked before every numeral; comparing
    /// the last byte first spares most words a call to `memcmp`.
    pub(crate) fn prefix_before(&self, before: &str) -> Option<&Word> {
        let last = *before.as_bytes().last()?;
        self.prefixes
            .iter()
            .find(|w| w.text.as_bytes().last() == Some(&last) && before.ends_with(w.text.as_str()))
    }

    /// The longest prefix word that `rest` starts with.
    pub(crate) fn prefix_at(&self, rest: &str) -> Option<&Word> {
        self.prefixes
            .iter()
            .find(|w| rest.starts_with(w.text.as_str()))
    }

    pub(crate) fn postfix_at(&self, rest: &str) -> Option<&Word> {
        self.postfixes
            .iter()
            .find(|w| rest.starts_with(w.text.as_str()))
    }

    pub(crate) fn range_separator_at(&self, rest: &str) -> Option<&str> {
        self.range_separators
            .iter()
            .find(|s| rest.starts_with(s.as_str()))
            .map(String::as_str)
    }

    /// The longest sign that `before` ends with.
    pub(crate) fn sign_before(&self, before: &str) -> Option<&str> {
        self.signs
            .iter()
            .find(|s| before.ends_with(s.as_str()))
            .map(String::as_str)
    }

    /// The longest sign that `rest` starts with.
    pub(crate) fn sign_at(&self, rest: &str) -> Option<&str> {
        self.signs
            .iter()
            .find(|s| rest.starts_with(s.as_str()))
            .map(String::as_str)
    }

    /// The smaller units that may follow the unit `major` in a compound amount.
    pub(crate) fn compounds_after<'a>(
        &'a self,
        major: &'a str,
    ) -> impl Iterator<Item = &'a CompoundEntry> + 'a {
        self.compounds
            .iter()
            .filter(move |c| c.after.iter().any(|a| a == major))
    }

    /// The longest word-figure (`半数`) that `rest` starts with.
    pub(crate) fn figure_word_at(&self, rest: &str) -> Option<&FigureWord> {
        self.figure_words
            .iter()
            .find(|w| rest.starts_with(w.text.as_str()))
    }

    pub(crate) fn date_suffix_at(&self, rest: &str) -> Option<&str> {
        self.date_suffixes
            .iter()
            .find(|s| rest.starts_with(s.as_str()))
            .map(String::as_str)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The smallest lexicon that loads: one magnitude, one unit, the syntax words.
    pub(in crate::recognize) const MINIMAL: &str = r#"
        [[magnitude]]
        text = "万"
        exponent = 4
        [[unit]]
        text = "人"
        family = "person"
        kind = "count"
        [syntax]
        ordinal_prefix = "第"
        range_separators = ["至"]
        date_suffixes = ["以来"]
    "#;

    #[test]
    fn the_embedded_lexicon_loads() {
        let lex = Lexicon::parse(include_str!("../../rules/lexicon.toml")).unwrap();
        assert_eq!(lex.magnitudes.get(&'万'), Some(&4));
        assert_eq!(lex.unit_at("人次，").unwrap().text.as_ref(), "人次");
        assert_eq!(lex.unit_at("个百分点").unwrap().kind, Kind::PercentagePoint);
        assert_eq!(lex.unit_named("万元").unwrap().scale, Decimal::from(10000));
        assert!(lex.is_suffix('余'));
        assert_eq!(lex.prefix_before("全县不到").unwrap().text, "不到");
        assert_eq!(lex.prefix_before("大约").unwrap().text, "大约");
    }

    #[test]
    fn a_minimal_lexicon_loads() {
        let lex = Lexicon::parse(MINIMAL).unwrap();
        assert_eq!(lex.units.len(), 1);
        assert!(lex.idioms.is_empty());
    }

    #[test]
    fn bad_lexicons_are_errors() {
        let cases: &[(&str, &str)] = &[
            ("bad toml", "[[unit]\ntext = "),
            ("unknown top-level key", &format!("{MINIMAL}\nextra = 1\n")),
            (
                "unknown unit key",
                &MINIMAL.replace("kind = \"count\"", "kind = \"count\"\ncolour = \"red\""),
            ),
            ("unknown kind", &MINIMAL.replace("\"count\"", "\"volume\"")),
            ("missing syntax", &MINIMAL.replace("[syntax]", "[nothing]")),
            (
                "two-character magnitude",
                &MINIMAL.replace("text = \"万\"", "text = \"万万\""),
            ),
            (
                "bad exponent",
                &MINIMAL.replace("exponent = 4", "exponent = 5"),
            ),
            (
                "empty unit",
                &MINIMAL.replace("text = \"人\"", "text = \"\""),
            ),
            (
                "bad scale",
                &MINIMAL.replace("kind = \"count\"", "kind = \"count\"\nscale = \"-3\""),
            ),
            (
                "long suffix",
                &format!(
                    "{MINIMAL}\n[[approximation]]\ntext = \"有余\"\nposition = \"suffix\"\nreading = \"next_place\"\n"
                ),
            ),
            (
                "unknown reading",
                &format!(
                    "{MINIMAL}\n[[approximation]]\ntext = \"约\"\nposition = \"prefix\"\nreading = \"roughly\"\n"
                ),
            ),
            (
                "compound after an unknown unit",
                &format!(
                    "{MINIMAL}\n[[compound]]\ntext = \"角\"\nafter = [\"元\"]\nscale = \"0.1\"\n"
                ),
            ),
            (
                "compound with a bad scale",
                &format!(
                    "{MINIMAL}\n[[compound]]\ntext = \"角\"\nafter = [\"人\"]\nscale = \"-1\"\n"
                ),
            ),
            (
                "figure word with a bad value",
                &format!(
                    "{MINIMAL}\n[[figure_word]]\ntext = \"半数\"\nvalue = \"half\"\nfamily = \"fraction\"\nkind = \"fraction\"\n"
                ),
            ),
            (
                "exact after a unit",
                &format!(
                    "{MINIMAL}\n[[approximation]]\ntext = \"仅\"\nposition = \"postfix\"\nreading = \"exact\"\n"
                ),
            ),
            (
                "empty sign",
                &MINIMAL.replace(
                    "date_suffixes = [\"以来\"]",
                    "date_suffixes = [\"以来\"]\nsigns = [\"\"]",
                ),
            ),
            (
                "duplicate unit",
                &MINIMAL.replace(
                    "[syntax]",
                    "[[unit]]\ntext = \"人\"\nfamily = \"p\"\nkind = \"count\"\n[syntax]",
                ),
            ),
        ];
        for (what, src) in cases {
            assert!(Lexicon::parse(src).is_err(), "{what} should be rejected");
        }
    }

    #[test]
    fn unknown_keys_name_the_key() {
        let err = Lexicon::parse(&format!("{MINIMAL}\nextra = 1\n")).unwrap_err();
        assert!(err.to_string().contains("extra"), "{err}");
        assert!(matches!(err, LexiconError::Syntax { .. }));
    }
}
