//! Numerals: Arabic (`23,872`, `0.5`, `26万`, `1亿2000万`) and Chinese (`一千零八十五`,
//! `壹佰贰拾`, `二十万零三百`, `三十八点二`, `二〇二一`, `七八`), read into a core interval.
//!
//! A numeral here is the run of digits, magnitude words and suffix approximations (余 多 几)
//! that make up one figure; approximation words before it and units after it are handled by the
//! scanner (`scan.rs`). Reading never panics and never allocates per character beyond one small
//! token vector; a value beyond `Decimal`'s range reads as unbounded.

use super::Malformation;
use super::approx;
use super::lexicon::Lexicon;
use crate::interval::Interval;
use rust_decimal::Decimal;

/// The value of a Chinese digit (`零`/`〇` are 0, `两` is 2, financial forms `壹贰叁…` included).
pub(crate) fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        // ○ (U+25CB) stands for 〇 in many typeset documents: 二○三五年.
        '零' | '〇' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// `零` or `〇`.
pub(crate) fn is_zero_char(c: char) -> bool {
    matches!(c, '零' | '〇' | '○')
}

/// The financial forms of the digits (`壹贰叁…`), written only in amounts.
pub(crate) fn is_financial_digit(c: char) -> bool {
    matches!(
        c,
        '壹' | '贰' | '貳' | '叁' | '參' | '肆' | '伍' | '陆' | '陸' | '柒' | '捌' | '玖'
    )
}

/// The financial forms of the small magnitudes (`拾佰仟`): alone they are words (`拾起`,
/// `收拾`), not figures.
pub(crate) fn is_financial_magnitude(c: char) -> bool {
    matches!(c, '拾' | '佰' | '仟')
}

/// The Chinese digits `digit_value` knows, for regex character classes.
pub(crate) const CHINESE_DIGITS: &str = "零〇○一壹二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖";

/// The decimal point of Chinese numerals: `三十八点二`.
const CHINESE_POINT: char = '点';

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// An Arabic number, commas removed.
    Arabic(Arabic),
    /// A Chinese digit 1–9.
    Digit(u32),
    /// `零` or `〇`.
    Zero,
    /// A magnitude word, by exponent of ten.
    Mag(u32),
    /// 余 多 几 written after digits or a magnitude.
    Approx,
    /// `点` followed by the fractional digits of a Chinese numeral.
    Point,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Arabic {
    /// `None` when beyond `Decimal`'s range.
    value: Option<Decimal>,
    frac_digits: u32,
    int_digits: usize,
    has_separator: bool,
    bad_separator: bool,
}

/// What kind of figure a numeral is, beyond its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// An Arabic integer written without separator, magnitude or approximation: `2021`, `801`.
    PlainArabic { digits: usize },
    /// A Chinese integer without approximation or decimals: `十五`, `一千零八十五`.
    PlainChinese,
    /// Chinese digits read one by one: `二〇二一`.
    DigitByDigit { digits: usize },
    /// Anything else: magnitudes after Arabic digits, decimals, approximations, ranges.
    Other,
}

/// One numeral read from the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Numeral {
    /// Byte offset just past the numeral.
    pub end: usize,
    /// The interval the numeral stands for, before prefix/postfix words and unit scale.
    pub value: Interval,
    /// The value as written (the lower end for `七八`), `None` beyond range or when malformed.
    pub nominal: Option<Decimal>,
    pub malformed: Option<Malformation>,
    pub shape: Shape,
    /// Written with a suffix approximation (余 多 几).
    pub approx: bool,
    /// Written with decimals.
    pub decimals: bool,
    /// The numeral is the single character `一` (or `壹`): the article sense (`一起案件`).
    pub lone_one: bool,
    /// The numeral is only magnitude words (`十`, `千`, `千万`): their value.
    pub pure_magnitude: Option<Decimal>,
    /// Contains a magnitude word written after Arabic digits (`26万`, `3.5亿`).
    pub arabic_magnitude: bool,
    /// `个` stands between the number and 亿 (`两个亿`, `两个多亿`): speech for an amount, a
    /// figure without a unit as `26万` is, while a bare `两亿` may be part of a word.
    pub classified_magnitude: bool,
    /// The last character when it is a magnitude word, with its byte offset (`5000万` → 万).
    pub trailing_magnitude: Option<(usize, char)>,
    /// The product of the magnitudes from 百 up written after the last digit (`5万` → 10000,
    /// `三千` → 1000), which the bare low end of a range takes: `3-5万`, `两到三千`.
    pub trailing_scale: Decimal,
    /// A magnitude from 百 up comes before the last digit (`九千九百`): the trailing magnitudes
    /// are not the figure's whole scale, and a range's bare low end does not take them.
    pub compound_mantissa: bool,
    /// Arabic digits (as opposed to Chinese).
    pub arabic: bool,
}

/// Reads the numeral starting at byte `pos` of `text`. When no numeral starts there, or the
/// characters there do not form one (`一二三万`), the error is the number of bytes they take
/// (0 when there are none), so that a scan can skip them in linear time.
pub(crate) fn read(lex: &Lexicon, text: &str, pos: usize) -> Result<Numeral, usize> {
    let Some(rest) = text.get(pos..) else {
        return Err(0);
    };
    let Tokens {
        toks,
        last_start,
        len,
        classified_magnitude,
    } = tokenize(lex, rest);
    if toks.is_empty() {
        return Err(0);
    }
    let end = pos + len;
    let mut numeral = evaluate(&toks).ok_or(len)?;
    numeral.end = end;
    numeral.classified_magnitude = classified_magnitude;
    if let Some(Tok::Mag(_)) = toks.last() {
        let last_start = pos + last_start;
        numeral.trailing_magnitude = text[last_start..end]
            .chars()
            .next()
            .map(|c| (last_start, c));
    }
    Ok(numeral)
}

/// The tokens of the longest numeral-looking prefix of a text.
struct Tokens {
    toks: Vec<Tok>,
    /// The byte offset where the last token starts.
    last_start: usize,
    /// The bytes consumed.
    len: usize,
    /// A `个` before 亿 was skipped (`两个亿`).
    classified_magnitude: bool,
}

/// Splits the longest numeral-looking prefix of `rest` into tokens.
fn tokenize(lex: &Lexicon, rest: &str) -> Tokens {
    let bytes = rest.as_bytes();
    // Most numerals are a token or two: room for four spares the vector's first regrowth.
    let mut toks: Vec<Tok> = Vec::with_capacity(4);
    let mut last_start = 0;
    let mut i = 0;
    let mut classified_magnitude = false;
    while i < rest.len() {
        let prev = toks.last().copied();
        if bytes[i].is_ascii_digit() {
            // `1千零1`: Arabic digits after 零 that follows a magnitude.
            let after_zero = prev == Some(Tok::Zero)
                && matches!(
                    toks.len().checked_sub(2).map(|j| toks[j]),
                    Some(Tok::Mag(_))
                );
            let arabic_allowed = matches!(prev, None | Some(Tok::Mag(_))) || after_zero;
            if !arabic_allowed {
                break;
            }
            let (arabic, len) = read_arabic(&rest[i..]);
            toks.push(Tok::Arabic(arabic));
            last_start = i;
            i += len;
            continue;
        }
        let Some(c) = rest[i..].chars().next() else {
            break;
        };
        // `两个亿`, `3个亿`, `两个多亿`: 个 between a number and 亿 is not part of the value.
        if c == CLASSIFIER_BEFORE_MAGNITUDE
            && matches!(prev, Some(Tok::Digit(_) | Tok::Arabic(_)))
            && yi_follows(lex, &rest[i + c.len_utf8()..])
        {
            classified_magnitude = true;
            i += c.len_utf8();
            continue;
        }
        let tok = if let Some(d) = digit_value(c) {
            // After Arabic digits or an approximation only magnitudes may follow, and a numeral
            // that starts with Arabic digits has no Chinese ones but 零 (`1千零1`): `5万亿两个台阶`
            // is 5万亿, then 两个.
            if matches!(prev, Some(Tok::Arabic(_) | Tok::Approx))
                || (d != 0 && matches!(toks.first(), Some(Tok::Arabic(_))))
            {
                break;
            }
            if d == 0 { Tok::Zero } else { Tok::Digit(d) }
        } else if let Some(&e) = lex.magnitudes.get(&c) {
            // `百分之七十百姓`: 十百 is no numeral, the numeral ends before 百.
            if matches!(prev, Some(Tok::Mag(p)) if p < e && e < 4) {
                break;
            }
            Tok::Mag(e)
        } else if lex.is_suffix(c) {
            // `一百零几万`: after 零 the approximation stands for a digit.
            if prev.is_none() || matches!(prev, Some(Tok::Approx | Tok::Point)) {
                break;
            }
            if prev == Some(Tok::Zero) && toks.len() < 2 {
                break;
            }
            Tok::Approx
        } else if c == CHINESE_POINT {
            let next_is_digit = rest[i + c.len_utf8()..]
                .chars()
                .next()
                .and_then(digit_value)
                .is_some();
            let after_chinese = matches!(prev, Some(Tok::Digit(_) | Tok::Zero | Tok::Mag(1..=3)));
            if !(next_is_digit && after_chinese) || toks.contains(&Tok::Point) {
                break;
            }
            Tok::Point
        } else {
            break;
        };
        toks.push(tok);
        last_start = i;
        i += c.len_utf8();
    }
    Tokens {
        toks,
        last_start,
        len: i,
        classified_magnitude,
    }
}

/// `个` written between a number and 亿 (`两个亿`).
const CLASSIFIER_BEFORE_MAGNITUDE: char = '个';

/// Whether `rest` starts with a lone 亿, possibly after one approximation character (`多亿`).
/// Speech says `两个亿` for 2亿, but `3个万亿级产业集群` counts three clusters, and nobody says
/// `两个万` for 2万: other magnitudes after 个 are words of their own.
fn yi_follows(lex: &Lexicon, rest: &str) -> bool {
    let mag = |c: Option<char>| c.and_then(|c| lex.magnitudes.get(&c).copied());
    let mut chars = rest.chars().peekable();
    if chars.peek().is_some_and(|&c| lex.is_suffix(c)) {
        chars.next();
    }
    mag(chars.next()) == Some(8) && mag(chars.next()).is_none()
}

/// Thousands separators other than the ASCII comma: a full-width comma, a space, a no-break
/// space, a thin space. They separate groups only where exactly three digits follow
/// (`12，345`, `12 345`); anywhere else they are punctuation (`12，3人`).
const SOFT_SEPARATORS: [char; 5] = ['，', ' ', '\u{a0}', '\u{2009}', '\u{202f}'];

/// The length of the groups `S ddd` (one soft separator `S`, then exactly three digits not
/// followed by another digit) at the start of `s`, all with the same separator, and how many.
fn soft_groups(s: &str) -> (usize, usize) {
    let Some(sep) = s.chars().next().filter(|c| SOFT_SEPARATORS.contains(c)) else {
        return (0, 0);
    };
    let step = sep.len_utf8();
    let mut len = 0;
    let mut groups = 0;
    loop {
        let rest = &s.as_bytes()[len..];
        let three = rest.len() >= step + 3
            && s[len..].starts_with(sep)
            && rest[step..step + 3].iter().all(u8::is_ascii_digit)
            && !rest.get(step + 3).is_some_and(u8::is_ascii_digit);
        if !three {
            return (len, groups);
        }
        len += step + 3;
        groups += 1;
    }
}

/// Reads `[0-9]+(,[0-9]+)*(\.[0-9]+)?` at the start of `s` (which starts with a digit), or
/// digits in groups of three after a soft separator (`12，345`, `12 345`).
fn read_arabic(s: &str) -> (Arabic, usize) {
    let b = s.as_bytes();
    let mut mantissa: Option<u128> = Some(0);
    let push = |m: Option<u128>, d: u8| -> Option<u128> {
        m?.checked_mul(10)?
            .checked_add(u128::from(d - b'0'))
            .filter(|&v| v < (1u128 << 96))
    };
    let mut i = 0;
    let mut int_digits = 0usize;
    // The digit groups between separators: the first one's length, and whether every later
    // one has three digits (the only lengths a separator check needs, so nothing is collected).
    let mut groups = 0usize;
    let mut first_group = 0usize;
    let mut later_groups_of_three = true;
    let mut group = 0usize;
    loop {
        while i < b.len() && b[i].is_ascii_digit() {
            mantissa = push(mantissa, b[i]);
            i += 1;
            int_digits += 1;
            group += 1;
        }
        if groups == 0 {
            first_group = group;
        } else {
            later_groups_of_three &= group == 3;
        }
        groups += 1;
        if i + 1 < b.len() && b[i] == b',' && b[i + 1].is_ascii_digit() {
            group = 0;
            i += 1;
        } else {
            break;
        }
    }
    // Soft separators only after a first group of one to three digits, not starting with 0
    // (`0715 812 345` is a telephone number).
    if groups == 1 && (1..=3).contains(&first_group) && b[0] != b'0' {
        let (len, soft) = soft_groups(&s[i..]);
        for &d in b[i..i + len].iter().filter(|d| d.is_ascii_digit()) {
            mantissa = push(mantissa, d);
            int_digits += 1;
        }
        groups += soft;
        i += len;
    }
    let mut frac_digits = 0u32;
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            mantissa = push(mantissa, b[i]);
            frac_digits = frac_digits.saturating_add(1);
            i += 1;
        }
    }
    let has_separator = groups > 1;
    let bad_separator =
        has_separator && (first_group == 0 || first_group > 3 || !later_groups_of_three);
    let value = match mantissa {
        Some(m) if frac_digits <= 28 => {
            Decimal::try_from_i128_with_scale(m as i128, frac_digits).ok()
        }
        _ => None,
    };
    let arabic = Arabic {
        value,
        frac_digits,
        int_digits,
        has_separator,
        bad_separator,
    };
    (arabic, i)
}

fn pow10(e: u32) -> Decimal {
    Decimal::from_i128_with_scale(10i128.pow(e.min(28)), 0)
}

/// Reads the tokens of one numeral.
fn evaluate(toks: &[Tok]) -> Option<Numeral> {
    // Ranges of adjacent Chinese digits: 七八, 两三, 十七八, 三四十.
    if let Some(i) = range_pair(toks) {
        return evaluate_pair(toks, i);
    }
    let digits_only = toks.iter().all(|t| matches!(t, Tok::Digit(_) | Tok::Zero));
    if digits_only && toks.len() >= 3 {
        return Some(digit_by_digit(toks));
    }
    // Digits must be separated by magnitude words (三零, 二〇 and 一二三 are not numerals), except
    // the fractional digits after 点, which only magnitude words may follow (一点五万).
    let point = toks
        .iter()
        .position(|t| *t == Tok::Point)
        .unwrap_or(toks.len());
    let (int, frac) = toks.split_at(point);
    let digit = |t: &Tok| matches!(t, Tok::Digit(_) | Tok::Zero);
    if int
        .windows(2)
        .any(|w| matches!(w, [Tok::Digit(_), t] if digit(t)))
    {
        return None;
    }
    if let Some(rest) = frac.get(1..) {
        let digits = rest.iter().take_while(|t| digit(t)).count();
        if digits == 0 || !rest[digits..].iter().all(|t| matches!(t, Tok::Mag(_))) {
            return None;
        }
    }
    standard(toks)
}

/// The index of the first digit of a pair that reads as a range (`七八`), if the numeral has one.
fn range_pair(toks: &[Tok]) -> Option<usize> {
    let pairs: Vec<usize> = toks
        .windows(2)
        .enumerate()
        .filter(|(_, w)| matches!(w, [Tok::Digit(_), Tok::Digit(_)]))
        .map(|(i, _)| i)
        .collect();
    let [i] = pairs[..] else { return None };
    let (Tok::Digit(a), Tok::Digit(b)) = (toks[i], toks[i + 1]) else {
        return None;
    };
    let adjacent = b == a + 1 || (a, b) == (3, 5);
    // Runs with 零/〇 (二〇一二) are read digit by digit; decimals and 余 do not mix with ranges.
    let plain = toks
        .iter()
        .all(|t| matches!(t, Tok::Digit(_) | Tok::Mag(_)));
    (adjacent && plain).then_some(i)
}

fn evaluate_pair(toks: &[Tok], i: usize) -> Option<Numeral> {
    let mut low_toks = toks.to_vec();
    low_toks.remove(i + 1);
    let mut high_toks = toks.to_vec();
    high_toks.remove(i);
    let low = standard(&low_toks)?;
    let high = standard(&high_toks)?;
    if low.malformed.is_some() || high.malformed.is_some() {
        return None;
    }
    let (Some(lo), Some(hi)) = (low.nominal, high.nominal) else {
        return None;
    };
    Some(Numeral {
        value: Interval::closed(lo, hi),
        shape: Shape::Other,
        lone_one: false,
        pure_magnitude: None,
        ..low
    })
}

fn digit_by_digit(toks: &[Tok]) -> Numeral {
    let mut value = Some(Decimal::ZERO);
    for t in toks {
        let d = match t {
            Tok::Digit(d) => *d,
            _ => 0,
        };
        value = value.and_then(|v| v.checked_mul(Decimal::TEN)?.checked_add(Decimal::from(d)));
    }
    Numeral {
        end: 0,
        value: value.map_or_else(Interval::unbounded, Interval::exact),
        nominal: value,
        malformed: None,
        shape: Shape::DigitByDigit { digits: toks.len() },
        approx: false,
        decimals: false,
        lone_one: false,
        pure_magnitude: None,
        arabic_magnitude: false,
        classified_magnitude: false,
        trailing_magnitude: None,
        trailing_scale: Decimal::ONE,
        compound_mantissa: false,
        arabic: false,
    }
}

/// Running sums of the standard reading: `total` (亿 and above), `wan` (万 level), `section`
/// (below 万), `number` (the digit or Arabic number waiting for its magnitude).
#[derive(Default)]
struct Sums {
    total: Decimal,
    wan: Decimal,
    section: Decimal,
    number: Option<Decimal>,
    /// The denominator of the next Chinese fractional digit (10, 100, …) after `点`.
    frac_scale: Option<Decimal>,
}

impl Sums {
    fn is_empty(&self) -> bool {
        self.total.is_zero()
            && self.wan.is_zero()
            && self.section.is_zero()
            && self.number.is_none()
    }

    fn apply_mag(&mut self, e: u32) -> Option<()> {
        let implicit_one = if self.is_empty() {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
        let factor = pow10(e);
        match e {
            8 => {
                let base = self
                    .total
                    .checked_add(self.wan)?
                    .checked_add(self.section)?
                    .checked_add(self.number.unwrap_or(implicit_one))?;
                self.total = base.checked_mul(factor)?;
                self.wan = Decimal::ZERO;
                self.section = Decimal::ZERO;
            }
            4 => {
                let base = self
                    .section
                    .checked_add(self.number.unwrap_or(implicit_one))?;
                self.wan = self.wan.checked_add(base.checked_mul(factor)?)?;
                self.section = Decimal::ZERO;
            }
            _ => {
                let n = self.number.unwrap_or(Decimal::ONE);
                self.section = self.section.checked_add(n.checked_mul(factor)?)?;
            }
        }
        self.number = None;
        self.frac_scale = None;
        Some(())
    }

    fn value(&self) -> Option<Decimal> {
        self.total
            .checked_add(self.wan)?
            .checked_add(self.section)?
            .checked_add(self.number.unwrap_or(Decimal::ZERO))
    }
}

/// A single Arabic digit, for [`colloquial_place`] on Chinese digits.
const ONE_DIGIT: Arabic = Arabic {
    value: None,
    frac_digits: 0,
    int_digits: 1,
    has_separator: false,
    bad_separator: false,
};

/// The factor of a digit that ends a numeral right after a magnitude from 百 up: the next
/// lower place, as speech leaves it out (`一万三` = 13000, `两千六` = 2600, `三百五` = 350,
/// `3万5` = 35000). 1 for any other digit (`二十三`, `一万零三`, `1亿2000`).
fn colloquial_place(toks: &[Tok], idx: usize, digit: Arabic) -> Decimal {
    let last = idx + 1 == toks.len();
    let single = digit.int_digits == 1 && digit.frac_digits == 0 && !digit.has_separator;
    match idx.checked_sub(1).map(|j| toks[j]) {
        Some(Tok::Mag(e)) if last && single && e >= 2 => pow10(e - 1),
        _ => Decimal::ONE,
    }
}

/// The standard reading: digits and magnitudes summed, 余/多/几 noted, malformations flagged.
fn standard(toks: &[Tok]) -> Option<Numeral> {
    let mut sums = Sums::default();
    let mut overflow = false;
    let mut malformed = None;
    let mut approx = false;
    let mut decimals = false;
    let mut ulp: Option<Decimal> = None;
    // The previous magnitude when no digit came between (approximations do not count).
    let mut prev_mag: Option<u32> = None;
    // The smallest small magnitude (十百千) of the current section, to reject 五百三千.
    let mut section_mag: Option<u32> = None;
    let mut arabic = false;
    let mut arabic_magnitude = false;
    let mut trailing_scale = Decimal::ONE;
    let mut mags_only = true;
    let mut plain = true;
    let mut has_arabic_sep = false;
    let mut int_digits = 0usize;
    // `一百零几万`: the place of the digit an approximation after 零 stands for.
    let mut unknown_digit_place: Option<Decimal> = None;
    let mut big_magnitude_seen = false;
    let mut compound_mantissa = false;

    for (idx, tok) in toks.iter().enumerate() {
        match *tok {
            Tok::Arabic(a) => {
                compound_mantissa = big_magnitude_seen;
                arabic = true;
                mags_only = false;
                prev_mag = None;
                section_mag = None;
                trailing_scale = Decimal::ONE;
                int_digits = a.int_digits;
                has_arabic_sep |= a.has_separator;
                if a.bad_separator {
                    malformed = Some(Malformation::MisplacedSeparator);
                }
                if a.frac_digits > 0 {
                    decimals = true;
                    ulp = Decimal::ONE.checked_div(pow10(a.frac_digits.min(28)));
                }
                match a.value {
                    Some(v) => sums.number = Some(v * colloquial_place(toks, idx, a)),
                    None => overflow = true,
                }
            }
            Tok::Digit(d) => {
                compound_mantissa |= big_magnitude_seen && sums.frac_scale.is_none();
                mags_only = false;
                prev_mag = None;
                trailing_scale = Decimal::ONE;
                let d = Decimal::from(d);
                match sums.frac_scale {
                    Some(scale) => {
                        let n = sums.number.unwrap_or(Decimal::ZERO);
                        sums.number = n.checked_add(d.checked_div(scale)?);
                        ulp = Decimal::ONE.checked_div(scale);
                        sums.frac_scale = scale.checked_mul(Decimal::TEN);
                        if sums.frac_scale.is_none() {
                            overflow = true;
                        }
                    }
                    None => sums.number = Some(d * colloquial_place(toks, idx, ONE_DIGIT)),
                }
            }
            Tok::Zero => {
                mags_only = false;
                prev_mag = None;
                if let Some(scale) = sums.frac_scale {
                    ulp = Decimal::ONE.checked_div(scale);
                    sums.frac_scale = scale.checked_mul(Decimal::TEN);
                    if sums.number.is_none() {
                        sums.number = Some(Decimal::ZERO);
                    }
                } else if idx == 0 && toks.len() == 1 {
                    sums.number = Some(Decimal::ZERO);
                }
            }
            Tok::Point => {
                decimals = true;
                plain = false;
                sums.frac_scale = Some(Decimal::TEN);
                if sums.number.is_none() {
                    sums.number = Some(Decimal::ZERO);
                }
            }
            Tok::Approx => {
                approx = true;
                plain = false;
                if idx > 0 && toks[idx - 1] == Tok::Zero {
                    unknown_digit_place = Some(Decimal::ONE);
                }
            }
            Tok::Mag(e) => {
                big_magnitude_seen |= e >= 2;
                if arabic {
                    arabic_magnitude = true;
                    plain = false;
                }
                match prev_mag {
                    Some(p) if p == e => malformed = Some(Malformation::DoubledMagnitude),
                    Some(p) if p > e => malformed = Some(Malformation::MixedMagnitudes),
                    _ => {}
                }
                if e < 4 && prev_mag.is_none() {
                    if section_mag.is_some_and(|s| s <= e) {
                        return None;
                    }
                    section_mag = Some(e);
                } else if e >= 4 {
                    section_mag = None;
                }
                if e >= 2 {
                    match trailing_scale.checked_mul(pow10(e)) {
                        Some(t) => trailing_scale = t,
                        None => overflow = true,
                    }
                }
                if let Some(u) = ulp.as_mut() {
                    *u = u.checked_mul(pow10(e)).unwrap_or(*u);
                }
                if let Some(u) = unknown_digit_place.as_mut() {
                    *u = u.checked_mul(pow10(e)).unwrap_or(*u);
                }
                prev_mag = Some(e);
                if sums.apply_mag(e).is_none() {
                    overflow = true;
                }
            }
        }
        if overflow {
            break;
        }
    }
    let nominal = if overflow || malformed.is_some() {
        None
    } else {
        sums.value()
    };
    let value = match (nominal, malformed) {
        (None, _) | (_, Some(_)) => Interval::unbounded(),
        (Some(n), None) if approx => match unknown_digit_place {
            Some(u) => match n.checked_add(u * Decimal::TEN) {
                Some(high) => Interval::open(n, high),
                None => Interval::unbounded(),
            },
            None => approx::next_place(n),
        },
        (Some(n), None) => match ulp {
            Some(u) if decimals => approx::precision(n, u),
            _ => Interval::exact(n),
        },
    };
    let only_mags = mags_only && toks.iter().all(|t| matches!(t, Tok::Mag(_)));
    let pure_magnitude = if only_mags { nominal } else { None };
    let shape = if !plain || approx || decimals {
        Shape::Other
    } else if arabic {
        if has_arabic_sep || toks.len() > 1 {
            Shape::Other
        } else {
            Shape::PlainArabic { digits: int_digits }
        }
    } else {
        Shape::PlainChinese
    };
    let lone_one = toks == [Tok::Digit(1)];
    Some(Numeral {
        end: 0,
        value,
        nominal,
        malformed,
        shape,
        approx,
        decimals,
        lone_one,
        pure_magnitude,
        arabic_magnitude,
        classified_magnitude: false,
        trailing_magnitude: None,
        trailing_scale,
        compound_mantissa,
        arabic,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The separator check as it was written first, collecting every group's length:
    /// [`read_arabic`] must agree with it.
    fn separators_reference(s: &str) -> (bool, bool) {
        let b = s.as_bytes();
        let mut i = 0;
        let mut groups: Vec<usize> = Vec::new();
        let mut group = 0usize;
        loop {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
                group += 1;
            }
            if i + 1 < b.len() && b[i] == b',' && b[i + 1].is_ascii_digit() {
                groups.push(group);
                group = 0;
                i += 1;
            } else {
                break;
            }
        }
        groups.push(group);
        let has_separator = groups.len() > 1;
        let bad_separator = has_separator
            && (groups[0] == 0 || groups[0] > 3 || groups[1..].iter().any(|&g| g != 3));
        (has_separator, bad_separator)
    }

    #[test]
    fn separators_agree_with_the_collecting_reading() {
        let cases = [
            "1",
            "147起",
            "23,872",
            "23,87,2",
            "1,234,567.89",
            "1234,567",
            "1,2345",
            "0,000",
            "12,",
            "12,a",
            "1,234,56",
            "999,999,999,999,999,999,999,999,999,999,999",
            "1.5,300",
            "12,345.6,7",
        ];
        for s in cases {
            let (arabic, _) = read_arabic(s);
            assert_eq!(
                (arabic.has_separator, arabic.bad_separator),
                separators_reference(s),
                "{s}"
            );
        }
    }

    #[test]
    fn the_last_token_start_is_where_the_trailing_magnitude_is() {
        let lex = Lexicon::parse(include_str!("../../rules/lexicon.toml")).unwrap();
        let cases = [
            ("5000万元", Some((4, '万'))),
            ("26万余人", None),
            ("1亿2000万", Some((8, '万'))),
            ("一千零八十五名", None),
            ("三千", Some((3, '千'))),
            ("3.5亿元", Some((3, '亿'))),
            ("二〇二一年", None),
        ];
        for (text, want) in cases {
            let got = read(&lex, text, 0).map(|n| n.trailing_magnitude);
            assert_eq!(got, Ok(want), "{text}");
        }
    }
}
