//! Reading figures in running text: a numeral with the words around it (approximation words
//! before, range partner, unit, approximation words after), dates, ordinals and fractions.
//!
//! The scan is linear: a regex finds the next character that can start a numeral, the numeral
//! is read once, and the scan resumes after it whether or not it turned out to be a quantity.

use super::lexicon::{CompoundEntry, FigureWord, Lexicon, Reading, UnitEntry, Word};
use super::numeral::{self, Numeral, Shape};
use super::{Date, Kind, Malformation, Unit, approx, date};
use crate::interval::{Bound, Interval};
use crate::span::Span;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The word between denominator and numerator of a fraction: `三分之一`.
const FRACTION_WORD: &str = "分之";
/// Unit reported for `百分之…` percentages.
const PERCENT_WORD: &str = "百分之";
const PERCENT_FAMILY: &str = "percent";

/// Whether a read must account for the whole input (`parse_figure`) or is looking for
/// quantities in running text (`recognize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Scan,
    Whole,
}

/// An approximation word found before the numeral.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prefix<'l> {
    pub start: usize,
    pub word: &'l Word,
}

/// A sign written right before the numeral (`-3.4%`, `负3.4%`), by where it starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sign {
    pub start: usize,
}

/// The characters that may stand between a number and its unit (`48 起`, `889 个`): a space, a
/// no-break space, a full-width space, a thin space, a narrow no-break space.
const SPACES: [char; 5] = [' ', '\u{a0}', '\u{3000}', '\u{2009}', '\u{202f}'];

/// `pos` moved past at most two spacing characters when `accept` holds after them; else `pos`.
pub(crate) fn past_spaces(text: &str, pos: usize, accept: impl Fn(&str) -> bool) -> usize {
    let mut end = pos;
    for c in text[pos..].chars().take(2) {
        if !SPACES.contains(&c) {
            break;
        }
        end += c.len_utf8();
    }
    if end > pos && accept(&text[end..]) {
        end
    } else {
        pos
    }
}

/// `半`: half a unit more (`两年半`, `一个半月`, `三成半`).
const HALF: char = '半';

/// A figure read from the text, with whether running text gives it the context of a quantity.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub span: Span,
    pub value: Interval,
    pub unit: Option<Unit>,
    pub kind: Kind,
    pub malformed: Option<Malformation>,
    pub date: Option<Date>,
    /// Followed by a unit, a date or ordinal, or an Arabic figure with a magnitude word.
    pub context: bool,
    /// Where the scan resumes when this figure is not kept.
    pub resume: usize,
    /// A sign before the figure makes it negative (a rate, a temperature).
    pub signed: bool,
    /// Two ends: a sign does not apply.
    pub ranged: bool,
}

/// A numeral and where it starts.
#[derive(Debug, Clone)]
struct Located {
    start: usize,
    num: Numeral,
}

impl Lexicon {
    /// Reads the figure whose numeral starts at `p`. `Err` carries the bytes to skip.
    pub(crate) fn figure_at(
        &self,
        text: &str,
        p: usize,
        prefix: Option<Prefix<'_>>,
        ordinal: Option<usize>,
        sign: Option<Sign>,
        mode: Mode,
    ) -> Result<Found, usize> {
        let mut found = self.unsigned_figure_at(text, p, prefix, ordinal, mode)?;
        if let Some(sign) = sign
            && found.signed
            && !found.ranged
            && found.context
        {
            found.value = -found.value;
            found.span = Span::new(found.span.start.min(sign.start), found.span.end);
        }
        Ok(found)
    }

    fn unsigned_figure_at(
        &self,
        text: &str,
        p: usize,
        prefix: Option<Prefix<'_>>,
        ordinal: Option<usize>,
        mode: Mode,
    ) -> Result<Found, usize> {
        if ordinal.is_none()
            && let Some(word) = self.figure_word_at(&text[p..])
        {
            return Ok(self.figure_word(text, p, word, prefix));
        }
        let num = numeral::read(self, text, p)?;
        if ordinal.is_none()
            && let Some(found) = self.date_at(text, p, &num)
        {
            return Ok(found);
        }
        if text[num.end..].starts_with(FRACTION_WORD)
            && let Some(found) = self.fraction(text, p, &num)
        {
            return Ok(found);
        }
        let low = Located { start: p, num };
        let single = self.finish(text, &low, None, prefix, ordinal, mode);
        if ordinal.is_some() {
            return Ok(single);
        }
        let takes = |f: &Found| match mode {
            Mode::Scan => f.context,
            Mode::Whole => f.span.end == text.len(),
        };
        if let Some(high) = self.range_partner(text, &low.num) {
            let ranged = self.finish(text, &low, Some(&high), prefix, ordinal, mode);
            if takes(&ranged) {
                return Ok(ranged);
            }
        }
        Ok(match self.unit_range(text, &single, mode) {
            Some(ranged) if takes(&ranged) => ranged,
            _ => single,
        })
    }

    /// A range whose ends both carry a unit of one family: `8500元至3万元`, `1万元--5万元`,
    /// `5%-5.5%`. `None` when no such end follows, or when it is smaller than the low end
    /// (`5万元至3万元` is two figures).
    fn unit_range(&self, text: &str, low: &Found, mode: Mode) -> Option<Found> {
        let low_unit = low.unit.as_ref()?;
        if low.malformed.is_some() || low.kind == Kind::Date {
            return None;
        }
        let sep = self.range_separator_at(&text[low.span.end..])?;
        let start = low.span.end + sep.len();
        let num = numeral::read(self, text, start).ok()?;
        let high_at = Located { start, num };
        let high = self.finish(text, &high_at, None, None, None, mode);
        let same_family = high
            .unit
            .as_ref()
            .is_some_and(|u| u.family == low_unit.family);
        if !same_family || high.kind != low.kind || high.malformed.is_some() {
            return None;
        }
        let (a, b) = (low.value.low_value()?, high.value.high_value()?);
        (a <= b).then(|| Found {
            span: Span::new(low.span.start, high.span.end),
            value: Interval::new(low.value.low, high.value.high),
            resume: high.span.end,
            ranged: true,
            context: true,
            ..high
        })
    }

    /// A word that is a figure by itself (`半数`, `一半`), with the approximation words around it.
    fn figure_word(
        &self,
        text: &str,
        p: usize,
        word: &FigureWord,
        prefix: Option<Prefix<'_>>,
    ) -> Found {
        let nominal = Some(word.value);
        let mut value = Interval::exact(word.value);
        let mut start = p;
        if let Some(pre) =
            prefix.filter(|w| !matches!(w.word.reading, Reading::Some | Reading::Order))
        {
            value = approx::apply(pre.word.reading, value, nominal);
            start = pre.start;
        }
        let mut end = p + word.text.len();
        if let Some(w) = self.postfix_at(&text[end..]) {
            value = approx::apply(w.reading, value, nominal);
            end += w.text.len();
        }
        Found {
            span: Span::new(start, end),
            value,
            unit: Some(word.unit.clone()),
            kind: word.kind,
            malformed: None,
            date: None,
            context: true,
            resume: end,
            signed: false,
            ranged: false,
        }
    }

    /// The second numeral of a range `3至5`, `3-5万`, `三至五`.
    fn range_partner(&self, text: &str, low: &Numeral) -> Option<Located> {
        let sep = self.range_separator_at(&text[low.end..])?;
        let start = low.end + sep.len();
        let high = numeral::read(self, text, start).ok()?;
        // 2018至2020年 is two years, not a count of years.
        let years = matches!(low.shape, Shape::PlainArabic { digits: 4 })
            && matches!(high.shape, Shape::PlainArabic { digits: 4 });
        (!years).then_some(Located { start, num: high })
    }

    /// Unit, approximation words and context of a numeral (or range of two).
    fn finish(
        &self,
        text: &str,
        low: &Located,
        high: Option<&Located>,
        prefix: Option<Prefix<'_>>,
        ordinal: Option<usize>,
        mode: Mode,
    ) -> Found {
        let resume = low.num.end;
        let last = self.unit_numeral(text, high.unwrap_or(low));
        let mut span_start = low.start;
        let (mut value, mut nominal, malformed, mut approx) = match high {
            None => (
                last.num.value,
                last.num.nominal,
                last.num.malformed,
                last.num.approx,
            ),
            Some(_) => match range_value(&low.num, &last.num) {
                Some(v) => v,
                None => return not_a_quantity(low, last.num.end, resume),
            },
        };

        // 数十, 上千: only before bare magnitude words; otherwise the word is not part of the figure.
        let mut prefix = prefix;
        if let Some(pre) = prefix {
            if matches!(pre.word.reading, Reading::Some | Reading::Order) {
                let vague = match (high, low.num.pure_magnitude) {
                    (None, Some(m)) if !low.num.approx => approx::vague(pre.word.reading, m),
                    _ => None,
                };
                match vague {
                    Some(v) => {
                        value = v;
                        approx = true;
                        span_start = pre.start;
                    }
                    None => prefix = None,
                }
            } else if ordinal.is_none() {
                value = approx::apply(pre.word.reading, value, nominal);
                span_start = pre.start;
            } else {
                prefix = None;
            }
        }
        if let Some(o) = ordinal {
            span_start = o;
        }

        // `48 起`: a space between the number and its unit.
        let unit_start = past_spaces(text, last.num.end, |rest| self.unit_at(rest).is_some());
        let mut end = unit_start;
        let mut unit = self.unit_at(&text[end..]);
        // 半 or a smaller unit written after the unit (`一个半月`, `一斤二两`): no article 一.
        let mut written_out = false;
        if let Some(u) = unit
            && let Some(word) = &u.requires_prefix
        {
            if text[..span_start].ends_with(word.as_str()) {
                span_start -= word.len();
            } else {
                unit = None;
            }
        }
        if unit.is_none() {
            end = last.num.end;
        }
        if let Some(u) = unit {
            end += u.text.len();
            if !approx && ordinal.is_none() {
                let exact = value.as_exact().is_some() && malformed.is_none();
                if let Some((longer, e, infix)) = self.unit_with_infix(text, u, end) {
                    unit = Some(longer);
                    end = e;
                    match infix {
                        Infix::Approx => {
                            approx = true;
                            value = nominal.map_or_else(Interval::unbounded, approx::next_place);
                        }
                        Infix::Half => {
                            (value, nominal) = plus_half(value, nominal);
                            written_out = true;
                        }
                    }
                } else if let Some(c) = text[end..].chars().next()
                    && u.trailing_approx
                    && self.is_suffix(c)
                {
                    end += c.len_utf8();
                    approx = true;
                    value = nominal.map_or_else(Interval::unbounded, approx::next_place);
                } else if exact {
                    if let Some((parts, e)) = self.compound_parts(text, u, end) {
                        value = value.shift(parts);
                        nominal = nominal.and_then(|n| n.checked_add(parts));
                        end = e;
                        written_out = true;
                    } else if u.half && text[end..].starts_with(HALF) {
                        (value, nominal) = plus_half(value, nominal);
                        end += HALF.len_utf8();
                        written_out = true;
                    }
                }
            }
        }
        if ordinal.is_none()
            && let Some(w) = self.postfix_at(&text[end..])
        {
            value = approx::apply(w.reading, value, nominal);
            end += w.text.len();
            approx = true;
        }
        if let Some(u) = unit {
            value = match u.power_of {
                Some(base) => power(base, nominal),
                None => approx::scale(value, u.scale),
            };
        }
        if malformed.is_some() {
            value = Interval::unbounded();
        }
        if let Some(o) = ordinal {
            value = last.num.value;
            span_start = o;
        }

        let kind = match (ordinal, unit) {
            (Some(_), _) => Kind::Ordinal,
            (None, Some(u)) => u.kind,
            (None, None) => Kind::Count,
        };
        let context = match mode {
            Mode::Whole => true,
            Mode::Scan => self.has_context(
                text,
                low,
                high,
                &last,
                unit,
                ordinal,
                prefix,
                approx || written_out,
                kind,
                end,
            ),
        };
        Found {
            span: Span::new(span_start, end),
            value,
            unit: unit.map(|u| self.written_unit(text, &last.num, u, unit_start)),
            kind,
            malformed,
            date: None,
            context,
            resume,
            signed: unit.is_some_and(|u| u.signed),
            ranged: high.is_some(),
        }
    }

    /// The smaller units of a compound amount after the unit `u` ending at `end`: `1角1分` after
    /// `123元`, `八两` after `六斤`. Their sum in units of `u`, and where they end; `None` when
    /// none follows. Each part is an exact figure of a unit smaller than the one before it.
    fn compound_parts(&self, text: &str, u: &UnitEntry, end: usize) -> Option<(Decimal, usize)> {
        let mut total = Decimal::ZERO;
        let mut at = end;
        let mut major: &str = &u.text;
        let mut last_scale = u.scale;
        while let Some((part, minor, e)) = self.compound_part(text, major, at) {
            if minor.scale >= last_scale {
                break;
            }
            total = total.checked_add(part.checked_mul(minor.scale)?.checked_div(u.scale)?)?;
            last_scale = minor.scale;
            major = &minor.text;
            at = e;
        }
        (at > end).then_some((total, at))
    }

    /// One part of a compound amount at `at`: its exact value, its unit and its end.
    fn compound_part<'a>(
        &'a self,
        text: &str,
        major: &'a str,
        at: usize,
    ) -> Option<(Decimal, &'a CompoundEntry, usize)> {
        // A part is a short numeral: looking a few characters ahead finds its unit.
        const MAX_PART_CHARS: usize = 12;
        self.compounds_after(major).find_map(|minor| {
            // The numeral is read up to the minor unit: in `八两`, 两 is the unit, not a digit.
            let unit_at = text[at..]
                .char_indices()
                .take(MAX_PART_CHARS)
                .map(|(i, _)| at + i)
                .skip(1)
                .find(|&k| text[k..].starts_with(minor.text.as_str()))?;
            let num = numeral::read(self, &text[..unit_at], at).ok()?;
            let exact = num
                .value
                .as_exact()
                .filter(|_| num.end == unit_at && !num.approx)?;
            Some((exact, minor, unit_at + minor.text.len()))
        })
    }

    /// The numeral before the unit, re-read without a magnitude word that belongs to the unit
    /// (`5千克` is 5 × 千克, `120万千瓦` is 120万 × 千瓦).
    fn unit_numeral(&self, text: &str, last: &Located) -> Located {
        if let Some((mp, _)) = last.num.trailing_magnitude
            && self
                .unit_at(&text[mp..])
                .is_some_and(|u| u.magnitude_in_unit)
            && let Ok(num) = numeral::read(self, &text[..mp], last.start)
            && num.end == mp
        {
            return Located {
                start: last.start,
                num,
            };
        }
        last.clone()
    }

    /// `一个多月`, `一个半月`: a unit starting with `个` with 余/多 or 半 written inside it.
    fn unit_with_infix(
        &self,
        text: &str,
        u: &UnitEntry,
        end: usize,
    ) -> Option<(&UnitEntry, usize, Infix)> {
        let c = text[end..].chars().next()?;
        let infix = if self.is_suffix(c) {
            Infix::Approx
        } else if c == HALF {
            Infix::Half
        } else {
            return None;
        };
        let after = end + c.len_utf8();
        self.units
            .iter()
            .filter(|v| v.text.len() > u.text.len() && v.text.starts_with(&*u.text))
            .filter(|v| infix == Infix::Approx || v.half)
            .find(|v| text[after..].starts_with(&v.text[u.text.len()..]))
            .map(|v| (v, after + v.text.len() - u.text.len(), infix))
    }

    /// The unit as written: `万元` when the magnitude word before `元` forms a lexicon unit with it.
    fn written_unit(&self, text: &str, num: &Numeral, u: &UnitEntry, unit_start: usize) -> Unit {
        if let Some((mp, c)) = num.trailing_magnitude
            && mp + c.len_utf8() == unit_start
        {
            let joined = &text[mp..unit_start + u.text.len()];
            if let Some(v) = self.unit_named(joined) {
                return Unit {
                    text: v.text.clone(),
                    family: v.family.clone(),
                };
            }
        }
        Unit {
            text: u.text.clone(),
            family: u.family.clone(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn has_context(
        &self,
        text: &str,
        low: &Located,
        high: Option<&Located>,
        last: &Located,
        unit: Option<&UnitEntry>,
        ordinal: Option<usize>,
        prefix: Option<Prefix<'_>>,
        approx: bool,
        kind: Kind,
        end: usize,
    ) -> bool {
        // 第123号 is a label (a case or document number), 第15名 a rank.
        if ordinal.is_some() {
            return unit.is_some() || (low.num.arabic && !text[end..].starts_with(LABEL_MARK));
        }
        // 二〇二一 read digit by digit is a year (read by the date rule), never a count.
        if matches!(low.num.shape, Shape::DigitByDigit { .. }) {
            return false;
        }
        if unit.is_none() && !last.num.arabic_magnitude && !last.num.classified_magnitude {
            return false;
        }
        if high.is_some() || prefix.is_some() || approx {
            return true;
        }
        // 一起案件, 一个团伙, 一张网络: the article sense of 一 is not a count. With a unit of
        // measure 一 is the number (缴获毒品一吨).
        if low.num.lone_one && kind == Kind::Count && !unit.is_some_and(|u| u.measure) {
            return false;
        }
        // 百姓, 千家万户, 万人: a lone 百/千/万/亿 is a word, not a figure; so are magnitudes
        // alone counting nothing measurable (万亿级产业, 百万警力), while 千万元 is an amount.
        let big = low
            .num
            .pure_magnitude
            .is_some_and(|m| m >= Decimal::ONE_HUNDRED);
        if big && kind == Kind::Count && !unit.is_some_and(|u| u.measure) {
            return false;
        }
        let mut chars = text[low.start..low.num.end].chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return true;
        };
        // A lone 零 (零部件), a lone financial digit (陆家嘴, 队伍支撑) and magnitude (拾起,
        // 收拾) are words too.
        !(big
            || numeral::is_zero_char(c)
            || numeral::is_financial_digit(c)
            || numeral::is_financial_magnitude(c))
    }

    /// `三分之一` (Fraction), `百分之三十八点二` (Percent), `千分之三` (Fraction).
    fn fraction(&self, text: &str, p: usize, denom: &Numeral) -> Option<Found> {
        let d = denom.nominal.filter(|d| !denom.approx && !d.is_zero())?;
        let num_start = denom.end + FRACTION_WORD.len();
        let numerator = numeral::read(self, text, num_start).ok()?;
        let percent = d == Decimal::ONE_HUNDRED;
        let mut value = if percent {
            numerator.value
        } else {
            divide(numerator.value, d)?
        };
        let mut end = numerator.end;
        if let Some(w) = self.postfix_at(&text[end..]) {
            let nominal = if percent {
                numerator.nominal
            } else {
                numerator.nominal.and_then(|n| n.checked_div(d))
            };
            value = approx::apply(w.reading, value, nominal);
            end += w.text.len();
        }
        let malformed = denom.malformed.or(numerator.malformed);
        if malformed.is_some() {
            value = Interval::unbounded();
        }
        Some(Found {
            span: Span::new(p, end),
            value,
            unit: percent.then(|| Unit {
                text: PERCENT_WORD.into(),
                family: PERCENT_FAMILY.into(),
            }),
            kind: if percent {
                Kind::Percent
            } else {
                Kind::Fraction
            },
            malformed,
            date: None,
            context: true,
            resume: end,
            signed: true,
            ranged: false,
        })
    }

    /// `2021年`, `2022年4月`, `10月27日`, `9月起`, `二〇二一年`, `27日`.
    fn date_at(&self, text: &str, p: usize, num: &Numeral) -> Option<Found> {
        // `2021 年 10 月`: web copies put spaces between digits and Chinese.
        let after = &text[past_spaces(text, num.end, |rest| rest.starts_with('年'))..];
        let year = match num.shape {
            Shape::PlainArabic { digits: 4 } | Shape::DigitByDigit { digits: 4 } => {
                num.nominal.and_then(|v| v.to_i64()).filter(|y| {
                    matches!(num.shape, Shape::DigitByDigit { .. }) || date::YEARS.contains(y)
                })
            }
            _ => None,
        };
        let mut date = Date {
            year: None,
            month: None,
            day: None,
        };
        let mut end;
        if let Some(y) = year.filter(|_| after.starts_with('年')) {
            date.year = i32::try_from(y).ok();
            end = text.len() - after.len() + '年'.len_utf8();
            if let Some((m, e)) = self.date_part(text, end, &['月']) {
                date.month = Some(m);
                end = e;
                if let Some((d, e)) = self.date_part(text, end, &['日', '号']) {
                    date.day = Some(d);
                    end = e;
                }
            }
        } else if let Some((m, e)) = self.date_part_of(text, num, &['月']) {
            date.month = Some(m);
            end = e;
            if let Some((d, e)) = self.date_part(text, end, &['日', '号']) {
                date.day = Some(d);
                end = e;
            }
        } else if let Some((d, e)) = self.date_part_of(text, num, &['日']) {
            // 15日内 is a duration.
            let rest = &text[e..];
            if rest.starts_with('内')
                || rest.starts_with("以内")
                || rest.starts_with("之内")
                || d > 31
            {
                return None;
            }
            date.day = Some(d);
            end = e;
        } else {
            return None;
        }
        if let Some(s) = self.date_suffix_at(&text[end..]) {
            end += s.len();
        }
        let shown = date
            .day
            .or(date.month)
            .map(i64::from)
            .or(date.year.map(i64::from))?;
        let malformed = (!date::exists(&date)).then_some(Malformation::ImpossibleDate);
        Some(Found {
            span: Span::new(p, end),
            value: Interval::exact(Decimal::from(shown)),
            unit: None,
            kind: Kind::Date,
            malformed,
            date: Some(date),
            context: true,
            resume: end,
            signed: false,
            ranged: false,
        })
    }

    /// A plain integer at `pos` followed by one of `markers`: its value and the end of the marker.
    fn date_part(&self, text: &str, pos: usize, markers: &[char]) -> Option<(u32, usize)> {
        let pos = past_spaces(text, pos, |rest| {
            rest.starts_with(|c: char| c.is_ascii_digit())
        });
        self.date_part_of(text, &numeral::read(self, text, pos).ok()?, markers)
    }

    /// [`Lexicon::date_part`] of a numeral already read (the one a figure starts with is not
    /// read again). A marker that starts a longer unit is none: `30日元` is money.
    fn date_part_of(&self, text: &str, num: &Numeral, markers: &[char]) -> Option<(u32, usize)> {
        let plain = matches!(
            num.shape,
            Shape::PlainArabic { digits: 1..=2 } | Shape::PlainChinese
        );
        let at = past_spaces(text, num.end, |rest| rest.starts_with(markers));
        let marker = text[at..].chars().next().filter(|c| markers.contains(c))?;
        if self
            .unit_at(&text[at..])
            .is_some_and(|u| u.text.len() > marker.len_utf8())
        {
            return None;
        }
        let value = num.nominal?.to_u32()?;
        plain.then_some((value, at + marker.len_utf8()))
    }
}

/// What is written inside a `个…` unit: `一个多月`, `一个半月`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Infix {
    Approx,
    Half,
}

/// What follows an ordinal that makes it a label: `第123号`.
const LABEL_MARK: char = '号';

/// `两年半`: half a unit more; an exact figure stays exact.
fn plus_half(value: Interval, nominal: Option<Decimal>) -> (Interval, Option<Decimal>) {
    let half = Decimal::new(5, 1);
    (value.shift(half), nominal.and_then(|n| n.checked_add(half)))
}

/// A candidate that turned out not to be a figure at all.
fn not_a_quantity(low: &Located, end: usize, resume: usize) -> Found {
    Found {
        span: Span::new(low.start, end),
        value: Interval::unbounded(),
        unit: None,
        kind: Kind::Count,
        malformed: None,
        date: None,
        context: false,
        resume,
        signed: false,
        ranged: false,
    }
}

/// The interval of a range `low至high`; the low end takes the high end's 万/亿 when it has none
/// (`3-5万` is [30000, 50000]). `None` when the ends are reversed.
fn range_value(
    low: &Numeral,
    high: &Numeral,
) -> Option<(Interval, Option<Decimal>, Option<Malformation>, bool)> {
    let mut lo = low.value;
    let mut nominal = low.nominal;
    // `3-5万` is 3万 to 5万 and `两到三千` 2000 to 3000, but `8500到3万` starts at 8500: the
    // bare low end takes the high end's magnitudes only when it stays below the high end.
    if low.trailing_scale == Decimal::ONE
        && !low.arabic_magnitude
        && high.trailing_scale > Decimal::ONE
        && !high.compound_mantissa
    {
        let scaled = approx::scale(lo, high.trailing_scale);
        if let (Some(a), Some(b)) = (scaled.high_value(), high.value.high_value())
            && a <= b
        {
            lo = scaled;
            nominal = nominal.and_then(|n| n.checked_mul(high.trailing_scale));
        }
    }
    let malformed = low.malformed.or(high.malformed);
    if malformed.is_some() {
        return Some((Interval::unbounded(), None, malformed, false));
    }
    let (a, b) = (lo.low_value()?, high.value.high_value()?);
    (a <= b).then_some((
        Interval::new(lo.low, high.value.high),
        nominal,
        None,
        low.approx || high.approx,
    ))
}

/// `翻n番`: `base` to the power of the figure.
fn power(base: u32, n: Option<Decimal>) -> Interval {
    let Some(exp) = n.filter(|n| n.fract().is_zero()).and_then(|n| n.to_u32()) else {
        return Interval::unbounded();
    };
    let base = Decimal::from(base);
    let mut v = Decimal::ONE;
    for _ in 0..exp.min(200) {
        match v.checked_mul(base) {
            Some(x) => v = x,
            None => return Interval::unbounded(),
        }
    }
    Interval::exact(v)
}

/// `iv / d` for a positive or negative non-zero `d`, widened to cover inexact quotients.
fn divide(iv: Interval, d: Decimal) -> Option<Interval> {
    let end = |b: Bound, upper: bool| -> Option<Bound> {
        Some(match b {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Closed(v) | Bound::Open(v) => {
                let q = approx::quotient(v, d)?;
                let x = if upper {
                    q.high_value()?
                } else {
                    q.low_value()?
                };
                match (b, q.as_exact()) {
                    (Bound::Open(_), Some(_)) => Bound::Open(x),
                    _ => Bound::Closed(x),
                }
            }
        })
    };
    if d < Decimal::ZERO {
        return None;
    }
    Some(Interval::new(end(iv.low, false)?, end(iv.high, true)?))
}
