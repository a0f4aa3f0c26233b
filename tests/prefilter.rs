//! The fact prefilter (`FactRegex::stretches`: required literals, barrier characters) changes
//! what is searched, never what is found: on every fixture and every real-looking haystack
//! (whole documents, paragraphs, sentences, title and body), searching the stretches finds the
//! same matches, with the same captures, as searching the whole haystack. And the stretches
//! told from a document's literal index (`FactRegex::stretches_in`, one scan per document) are
//! exactly those the haystack's own search gives, also for regions that cut a word in two.
//! A regex whose matches all begin with a known literal is searched anchored at each of its
//! occurrences, one whose matches all end with one backwards from each of its occurrences
//! (`FactRegex::captures_in`); both find what a search of the stretch finds, on the fixtures
//! and on random texts made of the pack's own words.

use proptest::prelude::*;
use statlint::evaluate::Analysis;
use statlint::recognize::Recognizer;
use statlint::rules::RuleSet;
use statlint::rules::pattern::{FactRegex, LiteralIndex};
use statlint::span::Span;
use std::path::Path;

fn fixture_texts() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(statlint::load::load_path(&path).unwrap().text);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut out,
    );
    out
}

type Found = Vec<Vec<Option<(usize, usize)>>>;

fn spans(caps: &regex::Captures, offset: usize) -> Vec<Option<(usize, usize)>> {
    caps.iter()
        .map(|m| m.map(|m| (offset + m.start(), offset + m.end())))
        .collect()
}

#[test]
fn stretches_find_what_the_whole_haystack_finds() {
    let recognizer = Recognizer::standard();
    let rules = RuleSet::standard(recognizer).unwrap();
    let mut haystacks_checked = 0;
    for text in fixture_texts() {
        let analysis = Analysis::new(&text, recognizer);
        let view = &analysis.view.text;
        let mut haystacks = vec![view.as_str()];
        for p in &analysis.paragraphs {
            haystacks.push(&view[p.span.range()]);
            haystacks.extend(p.sentences.iter().map(|s| &view[s.range()]));
        }
        if let Some(title) = analysis.title {
            haystacks.push(&view[title.end..]);
        }
        for rule in &rules.rules {
            for fact in &rule.facts {
                for regex in &fact.regexes {
                    for haystack in &haystacks {
                        let whole: Found = regex
                            .captures_iter(haystack)
                            .map(|c| spans(&c, 0))
                            .collect();
                        let stretched: Found = regex
                            .stretches(haystack)
                            .into_iter()
                            .flat_map(|(offset, s)| {
                                regex
                                    .captures_iter(s)
                                    .map(move |c| spans(&c, offset))
                                    .collect::<Vec<_>>()
                            })
                            .collect();
                        assert_eq!(whole, stretched, "{}.{} on {haystack}", rule.id, fact.name);
                        haystacks_checked += 1;
                    }
                }
            }
        }
    }
    assert!(haystacks_checked > 1000);
}

/// The regions of a document its rules' units can be: the whole, the body, paragraphs and
/// sentences, and each sentence less its first and last character (an edge inside a literal).
fn regions(analysis: &Analysis) -> Vec<Span> {
    let view = &analysis.view.text;
    let mut regions = vec![Span::new(0, view.len())];
    if let Some(title) = analysis.title {
        regions.push(title);
        regions.push(Span::new(title.end, view.len()));
    }
    for p in &analysis.paragraphs {
        regions.push(p.span);
        for s in &p.sentences {
            regions.push(*s);
            let text = &view[s.range()];
            let mut chars = text.char_indices();
            if let (Some(_), Some((second, _)), Some((last, _))) =
                (chars.next(), chars.next(), text.char_indices().next_back())
                && second < last
            {
                regions.push(Span::new(s.start + second, s.start + last));
            }
        }
    }
    regions
}

#[test]
fn the_literal_index_gives_the_stretches_of_a_search() {
    let recognizer = Recognizer::standard();
    let rules = RuleSet::standard(recognizer).unwrap();
    let patterns: Vec<&FactRegex> = rules.patterns().collect();
    let index = LiteralIndex::new(patterns.iter().copied());
    assert!(index.is_for(patterns.iter().copied()));
    let mut regions_checked = 0;
    let (mut matches_compared, mut anchored_regexes, mut backwards_regexes) = (0, 0, 0);
    for text in fixture_texts() {
        let analysis = Analysis::new(&text, recognizer);
        let view = &analysis.view.text;
        let found = index.scan(view);
        for region in regions(&analysis) {
            for (regex, found) in patterns.iter().zip(&found) {
                // The gate passes over no region where the prefilter leaves a stretch.
                let admitted = found.gate().is_none_or(|mut gate| gate.admits(region));
                assert!(
                    admitted || regex.stretches_in(view, region, found).is_empty(),
                    "the gate drops {} on {}",
                    regex.pattern(),
                    &view[region.range()]
                );
                let stretches = regex.stretches_in(view, region, found);
                assert_eq!(
                    stretches,
                    regex.stretches(&view[region.range()]),
                    "{} on {}",
                    regex.pattern(),
                    &view[region.range()]
                );
                for (offset, stretch) in stretches {
                    let at = region.start + offset;
                    let searched: Found = regex
                        .captures_iter(stretch)
                        .map(|c| spans(&c, at))
                        .collect();
                    let mut anchored: Found = Vec::new();
                    let stretch = Span::new(at, at + stretch.len());
                    regex.captures_in(view, stretch, found, |base, c| {
                        anchored.push(spans(&c, base));
                    });
                    assert_eq!(anchored, searched, "{} on {stretch:?}", regex.pattern());
                    matches_compared += searched.len();
                    anchored_regexes += usize::from(regex.prefix().is_some());
                    backwards_regexes += usize::from(regex.suffix().is_some());
                }
                regions_checked += 1;
            }
        }
    }
    assert!(regions_checked > 1000);
    assert!(matches_compared > 100 && anchored_regexes > 100 && backwards_regexes > 100);
}

/// Phrases of the standard pack's facts and the figures around them, from which the random
/// texts below are made: lists, counts and their classes, statements, punctuation.
const PHRASES: &[&str] = &[
    "湖南、湖北",
    "、广东",
    "和海南",
    "罗某、汪某",
    "诈骗、盗窃",
    "“毒、枪”",
    "等",
    "4省",
    "5个省",
    "2人",
    "三类",
    "十种",
    "3个方面",
    "12名",
    "甲",
    "人",
    "破获刑事案件12起",
    "抓获犯罪嫌疑人5人",
    "下降12%",
    "从5起下降到3起",
    "同比上升",
    "占12%",
    "的",
    "分别为3起、4起",
    "分别下降",
    "其中",
    "共计7起",
    "各2人",
    "排名第3位",
    "889个行政村",
    "驻村辅警801人",
    "2月30日",
    "1,2.3元",
    "，",
    "。",
    "；",
];

fn pack() -> &'static (RuleSet, LiteralIndex) {
    static PACK: std::sync::OnceLock<(RuleSet, LiteralIndex)> = std::sync::OnceLock::new();
    PACK.get_or_init(|| {
        let rules = RuleSet::standard(Recognizer::standard()).unwrap();
        let index = LiteralIndex::new(rules.patterns());
        (rules, index)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn searches_from_literals_find_what_a_search_of_the_stretch_finds(
        words in proptest::collection::vec(proptest::sample::select(PHRASES), 0..16)
    ) {
        let text = words.concat();
        let (rules, index) = pack();
        let found = index.scan(&text);
        let whole = Span::new(0, text.len());
        for (regex, found) in rules.patterns().zip(&found) {
            for (at, stretch) in regex.stretches_in(&text, whole, found) {
                let searched: Found = regex
                    .captures_iter(stretch)
                    .map(|c| spans(&c, at))
                    .collect();
                let mut from_literals: Found = Vec::new();
                let stretch = Span::new(at, at + stretch.len());
                regex.captures_in(&text, stretch, found, |base, c| {
                    from_literals.push(spans(&c, base));
                });
                prop_assert_eq!(from_literals, searched, "{} on {}", regex.pattern(), text);
            }
        }
    }
}

#[test]
fn the_gate_walks_the_units_of_a_document_in_order() {
    let recognizer = Recognizer::standard();
    let rules = RuleSet::standard(recognizer).unwrap();
    let patterns: Vec<&FactRegex> = rules.patterns().collect();
    let index = LiteralIndex::new(patterns.iter().copied());
    for text in fixture_texts() {
        let analysis = Analysis::new(&text, recognizer);
        let view = &analysis.view.text;
        let found = index.scan(view);
        let units: Vec<Span> = analysis
            .paragraphs
            .iter()
            .flat_map(|p| p.sentences.iter().copied())
            .chain(analysis.paragraphs.iter().map(|p| p.span))
            .collect();
        for (regex, found) in patterns.iter().zip(&found) {
            let Some(mut gate) = found.gate() else {
                continue;
            };
            // Sentences in order, then paragraphs (back to the start: out of order).
            for unit in &units {
                if !gate.admits(*unit) {
                    assert!(
                        regex.stretches_in(view, *unit, found).is_empty(),
                        "the gate drops {} on {}",
                        regex.pattern(),
                        &view[unit.range()]
                    );
                }
            }
        }
    }
}
