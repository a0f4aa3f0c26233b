//! Idioms (`一盘棋`, `千家万户`, `十四五`): a figure that overlaps one is not a figure.
//!
//! Only overlaps with figures matter, and figures are a small part of a text, so the idioms are
//! looked for around each figure rather than over the whole text. That gives what a scan of
//! the whole text gives because the window around a figure is cut where no idiom can lie across
//! the cut (see [`Idioms::is_cut`]): the leftmost-first scan of the whole text, reaching such a
//! cut, finds after it exactly what a scan starting there finds, and it finds no match that
//! crosses a cut before the cut, so the window's scan, stopped at a cut, lists the same
//! matches as the scan of the whole text does between its two cuts.

use super::LexiconError;
use super::charset::CharSet;
use super::lexicon::Lexicon;
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// A window longer than this (a run of idiom characters this long) is not scanned on its own:
/// the whole text is scanned once instead, so that no text costs more than one scan per figure
/// of a bounded window.
const MAX_WINDOW: usize = 256;

/// The idioms of a lexicon.
#[derive(Debug)]
pub(crate) struct Idioms {
    /// Leftmost-first, the alternation's own semantics, with the lexicon's longest-first order:
    /// a longer idiom wins.
    automaton: AhoCorasick,
    /// Every character of every idiom.
    chars: CharSet,
}

impl Idioms {
    /// The idioms of `phrases` (longest first), `None` when there are none.
    pub(crate) fn new(phrases: &[String]) -> Result<Option<Idioms>, LexiconError> {
        if phrases.is_empty() {
            return Ok(None);
        }
        // A contiguous NFA, not a DFA: it scans only the windows around figures, a few bytes
        // each, and builds in a fifth of the DFA's time, which every run pays at start-up.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(phrases)
            .map_err(|e| LexiconError::Pattern {
                message: e.to_string(),
            })?;
        let chars = CharSet::new(phrases.iter().flat_map(|p| p.chars()));
        Ok(Some(Idioms { automaton, chars }))
    }

    /// Where the idioms occur in `text[window]`, as the scan of the whole text finds them there
    /// when both ends of `window` are cuts. An occurrence right after a numeral character is not
    /// one: `万千` is an idiom in `打动万千人心` but not in `120万千瓦`.
    fn spans_in<'a>(
        &'a self,
        text: &'a str,
        window: Span,
        lex: &'a Lexicon,
    ) -> impl Iterator<Item = Span> + 'a {
        self.automaton
            .find_iter(Input::new(text).span(window.range()))
            .filter(move |m| {
                let before = text[..m.start()].chars().next_back();
                !before.is_some_and(|c| lex.is_numeral_char(c))
            })
            .map(|m| Span::from(m.range()))
    }

    /// Where the idioms occur in `text`: the scan of the whole text.
    pub(crate) fn spans(&self, text: &str, lex: &Lexicon) -> Vec<Span> {
        self.spans_in(text, Span::new(0, text.len()), lex).collect()
    }

    /// Whether no idiom can lie across byte `at` of `text` (a character boundary): it is an end
    /// of the text, or the character before or after it is in no idiom. An occurrence across
    /// `at` would hold both.
    fn is_cut(&self, text: &str, at: usize) -> bool {
        let outside = |c: Option<char>| c.is_none_or(|c| !self.chars.contains(c));
        outside(text[..at].chars().next_back()) || outside(text[at..].chars().next())
    }

    /// The smallest window around `span` whose ends are cuts, `None` when it is longer than
    /// [`MAX_WINDOW`].
    fn window(&self, text: &str, span: Span) -> Option<Span> {
        let mut start = span.start;
        while !self.is_cut(text, start) {
            start -= text[..start].chars().next_back()?.len_utf8();
            if span.end - start > MAX_WINDOW {
                return None;
            }
        }
        let mut end = span.end;
        while !self.is_cut(text, end) {
            end += text[end..].chars().next()?.len_utf8();
            if end - start > MAX_WINDOW {
                return None;
            }
        }
        Some(Span::new(start, end))
    }
}

/// Answers, for one text, whether an idiom overlaps a figure's span.
pub(crate) struct Overlaps<'a> {
    idioms: Option<&'a Idioms>,
    lex: &'a Lexicon,
    text: &'a str,
    /// The scan of the whole text, made the first time a window is too long.
    whole: Option<Vec<Span>>,
}

impl<'a> Overlaps<'a> {
    pub(crate) fn new(idioms: Option<&'a Idioms>, lex: &'a Lexicon, text: &'a str) -> Self {
        Overlaps {
            idioms,
            lex,
            text,
            whole: None,
        }
    }

    /// Whether an idiom occurrence of the whole text's scan overlaps `span` (character
    /// boundaries of the text).
    pub(crate) fn any(&mut self, span: Span) -> bool {
        let Some(idioms) = self.idioms else {
            return false;
        };
        let text = self.text;
        // An occurrence overlapping a non-empty span shares a character with it.
        if !span.is_empty() && !text[span.range()].chars().any(|c| idioms.chars.contains(c)) {
            return false;
        }
        match idioms.window(text, span) {
            Some(window) => idioms
                .spans_in(text, window, self.lex)
                .any(|s| s.overlaps(span)),
            None => {
                let whole = self
                    .whole
                    .get_or_insert_with(|| idioms.spans(text, self.lex));
                overlaps_any(whole, span)
            }
        }
    }
}

/// Whether `span` overlaps one of the sorted, non-overlapping `spans`.
pub(crate) fn overlaps_any(spans: &[Span], span: Span) -> bool {
    let i = spans.partition_point(|s| s.end <= span.start);
    spans.get(i).is_some_and(|s| s.overlaps(span))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of `text` of one to `max_chars` characters.
    fn short_spans(text: &str, max_chars: usize) -> Vec<Span> {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut spans = Vec::new();
        for (k, &start) in bounds.iter().enumerate() {
            for &end in bounds.iter().skip(k).take(max_chars + 1) {
                spans.push(Span::new(start, end));
            }
        }
        spans
    }

    /// The windowed answer equals the whole text's scan for every short span of every text.
    fn assert_agrees(lex: &Lexicon, texts: &[String], max_chars: usize) {
        let idioms = Idioms::new(&lex.idioms).unwrap();
        for text in texts {
            let whole = idioms
                .as_ref()
                .map_or_else(Vec::new, |i| i.spans(text, lex));
            let mut overlaps = Overlaps::new(idioms.as_ref(), lex, text);
            for span in short_spans(text, max_chars) {
                assert_eq!(
                    overlaps.any(span),
                    overlaps_any(&whole, span),
                    "{text:?} {span:?} {:?}",
                    &text[span.range()]
                );
            }
        }
    }

    fn standard() -> Lexicon {
        Lexicon::parse(include_str!("../../rules/lexicon.toml")).unwrap()
    }

    #[test]
    fn windows_agree_with_the_whole_scan_on_the_fixtures() {
        let texts = super::super::tests::fixture_texts();
        assert_agrees(&standard(), &texts, 6);
    }

    #[test]
    fn windows_agree_with_the_whole_scan_on_chains_of_idioms() {
        let texts = [
            "全省市两级一村一辅警一体化建设",
            "一村一辅一村一辅警一村一警一居一警",
            "千千万万成千上万万千，打动万千人心，120万千瓦",
            "一是二是三是四是五是六是",
            "说一不二独一无二一心一意三心二意一老一小",
            "第一时间第一书记第一责任人一把手",
            "十三五十四五十五五",
        ]
        .map(String::from);
        assert_agrees(&standard(), &texts, 8);
        // Runs of idiom characters longer than a window: the whole scan answers.
        let long = ["一是".repeat(300), "千千万万".repeat(100) + "3万人"];
        assert_agrees(&standard(), &long, 3);
    }

    #[test]
    fn windows_agree_with_the_whole_scan_on_every_short_text() {
        // Idioms that chain, nest and share characters; 万 is a numeral character.
        let idioms = r#"
            [idioms]
            phrases = ["甲乙", "乙丙", "丙甲", "甲乙丙甲", "乙", "万甲"]
        "#;
        let lex = Lexicon::parse(&format!(
            "{}{idioms}",
            crate::recognize::lexicon::tests::MINIMAL
        ))
        .unwrap();
        let alphabet = ['甲', '乙', '丙', '万', '，'];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        texts.sort();
        texts.dedup();
        assert_agrees(&lex, &texts, 5);
    }
}
