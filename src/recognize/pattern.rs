//! The regex fragments that rule-pattern macros expand to (`{num}`, `{count}`, `{pct}`, `{cls}`,
//! `{date}`),
//! built from the lexicon so that they accept what the recognizer reads. They contain no capture
//! groups, only `(?:…)`.

use super::lexicon::Lexicon;
use super::numeral::CHINESE_DIGITS;

/// The compiled macro fragments.
#[derive(Debug, Clone)]
pub(crate) struct Macros {
    pub num: String,
    pub count: String,
    pub pct: String,
    pub cls: String,
    pub date: String,
}

/// `(?:a|b|c)` of the escaped words, or a pattern that never matches when there are none.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let parts: Vec<String> = words.map(regex::escape).collect();
    if parts.is_empty() {
        NEVER.to_string()
    } else {
        format!("(?:{})", parts.join("|"))
    }
}

/// Matches nothing: what an empty word list expands to.
const NEVER: &str = r"[^\s\S]";

fn class_escape(chars: impl Iterator<Item = char>) -> String {
    chars.map(|c| regex::escape(&c.to_string())).collect()
}

/// `[chars]`, or a pattern that never matches when there are none.
fn class(chars: &str) -> String {
    if chars.is_empty() {
        NEVER.to_string()
    } else {
        format!("[{chars}]")
    }
}

impl Macros {
    pub(crate) fn new(lex: &Lexicon) -> Macros {
        let mut mags: Vec<char> = lex.magnitudes.keys().copied().collect();
        mags.sort_unstable();
        let mags = class_escape(mags.into_iter());
        let suffixes = class_escape(lex.suffixes.iter().copied());
        let digits = class_escape(CHINESE_DIGITS.chars());
        let prefix = alternation(lex.prefixes.iter().map(|w| w.text.as_str()));
        // `数`, `几` (`some`) stand before a magnitude only (`数十`, `数百万`): in `总数300起` the
        // figure is `300`, not `数300`.
        let plain_prefix = alternation(
            lex.prefixes
                .iter()
                .filter(|w| w.reading != super::lexicon::Reading::Some)
                .map(|w| w.text.as_str()),
        );
        let some_prefix = alternation(
            lex.prefixes
                .iter()
                .filter(|w| w.reading == super::lexicon::Reading::Some)
                .map(|w| w.text.as_str()),
        );
        let sep = alternation(lex.range_separators.iter().map(String::as_str));
        let cls = alternation(lex.units.iter().map(|u| &*u.text));
        let suffix_alt = if suffixes.is_empty() {
            String::new()
        } else {
            format!("|[{suffixes}]")
        };
        let opt_suffix = class(&suffixes);
        let mags_class = class(&mags);

        let arabic = r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?";
        let chinese_start = format!("[{digits}{mags}]");
        let core = format!(
            r"(?:{arabic}|{chinese_start})(?:[{digits}{mags}]{suffix_alt}|[0-9]+(?:\.[0-9]+)?|点[{digits}])*"
        );
        let magnitude_core = format!("[{mags}](?:[{digits}{mags}]{suffix_alt})*");
        let lead = format!("(?:(?:{plain_prefix})?{core}|{some_prefix}{magnitude_core})");
        let num = format!("{lead}(?:{sep}{core})?");

        let arabic_count = format!(r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+(?:{opt_suffix})?{mags_class})?");
        let count_core =
            format!(r"(?:{arabic_count}|{chinese_start})(?:[{digits}{mags}]{suffix_alt}|[0-9]+)*");
        let count_lead =
            format!("(?:(?:{plain_prefix})?{count_core}|{some_prefix}{magnitude_core})");
        let count = format!("{count_lead}(?:{sep}{count_core})?");

        let chinese_core = format!("{chinese_start}(?:[{digits}{mags}]|点[{digits}])*");
        // A rate may be signed: `增长-3.4%` is a decrease.
        let sign = match lex.signs.is_empty() {
            true => String::new(),
            false => format!("{}?", alternation(lex.signs.iter().map(String::as_str))),
        };
        let pct = format!(
            "(?:{prefix})?{sign}(?:{core}(?:{sep}{core})?%|百分之{chinese_core}|[{digits}]成)"
        );
        // The shapes `Scanner::date_at` reads: a year, a month or a day with whatever larger parts
        // precede it (`2025年9月1日`, `9月`, `20日`).
        let date = r"(?:[0-9]{4}年(?:[0-9]{1,2}月(?:[0-9]{1,2}[日号])?)?|[0-9]{1,2}月(?:[0-9]{1,2}[日号])?|[0-9]{1,2}[日号])".to_string();
        Macros {
            num,
            count,
            pct,
            cls,
            date,
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        match name {
            "num" => Some(&self.num),
            "count" => Some(&self.count),
            "pct" => Some(&self.pct),
            "cls" => Some(&self.cls),
            "date" => Some(&self.date),
            _ => None,
        }
    }
}
