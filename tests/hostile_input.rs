//! Hostile input through the library: no text, rule file or expression makes statlint panic,
//! and every span it reports lies on character boundaries inside the text it was given.
//!
//! The checks run the standard pack together with `tests/data/stress-rules` (every macro,
//! scope, pairing and function), so that lists, percentages and several-fact pairing are
//! exercised on the generated text, not only the two rules of the standard pack.

use proptest::prelude::*;
use rust_decimal::Decimal;
use statlint::evaluate::{self, Analysis, Options};
use statlint::finding::Finding;
use statlint::interval::{Interval, Truth};
use statlint::recognize::Recognizer;
use statlint::rules::expr::{self, MapEnv, NameTable, Num, Type, Value};
use statlint::span::Span;

const SEED: &str = include_str!("../fixtures/xianning-725-campaign.txt");

// The rule set (standard pack + stress pack) and the span check are the fuzz harness's.
#[path = "../fuzz/harness.rs"]
mod harness;
use harness::{STRESS_PACK, assert_span, repository_files, rules};
use statlint::rules::{RuleSet, SourceFile};
use std::sync::OnceLock;

/// Runs `check` (plain and strict) and `Analysis::new` on `text` and checks every span.
fn check_everything(text: &str) -> Vec<Finding> {
    let recognizer = Recognizer::standard();
    let analysis = Analysis::new(text, recognizer);
    assert_eq!(
        analysis
            .view
            .to_source(Span::new(0, analysis.view.text.len())),
        Span::new(0, text.len()),
        "the view covers the source: {text:?}"
    );
    let view = &analysis.view.text;
    if let Some(title) = analysis.title {
        assert_span(view, title, "title");
    }
    for paragraph in &analysis.paragraphs {
        assert_span(view, paragraph.span, "paragraph");
        for sentence in &paragraph.sentences {
            assert_span(view, *sentence, "sentence");
            assert!(
                paragraph.span.contains(*sentence),
                "sentence outside paragraph"
            );
        }
    }
    for q in &analysis.quantities {
        assert_span(view, q.span, "quantity (view)");
        assert_span(text, analysis.view.to_source(q.span), "quantity (source)");
    }
    let mut all = Vec::new();
    for strict in [false, true] {
        let findings = evaluate::check(text, rules(), recognizer, Options { strict });
        for finding in &findings {
            assert_span(text, finding.span, "finding");
            assert!(!finding.message.is_empty(), "empty message");
            for label in &finding.labels {
                assert_span(text, label.span, "label");
            }
        }
        all = findings;
    }
    all
}

/// Words that bulletins and their figures are made of, broken ones included.
const FIGURE_WORDS: &[&str] = &[
    "0",
    "1",
    "7",
    "9",
    "00",
    "99999999999999999999999999999",
    ".",
    ",",
    "%",
    "％",
    "８",
    "．",
    "-",
    "~",
    "至",
    "一",
    "二",
    "两",
    "三",
    "十",
    "百",
    "千",
    "万",
    "亿",
    "亿亿",
    "万万",
    "零",
    "〇",
    "壹",
    "佰",
    "余",
    "多",
    "几",
    "数",
    "上",
    "约",
    "近",
    "不到",
    "超过",
    "逾",
    "以上",
    "左右",
    "第",
    "年",
    "月",
    "日",
    "起",
    "人",
    "名",
    "个",
    "元",
    "万元",
    "亿元",
    "百分之",
    "分之",
    "点",
    "成",
    "倍",
    "翻",
    "番",
    "个百分点",
    "同比",
    "下降",
    "上升",
    "占",
    "其中",
    "共",
    "抓获",
    "破获",
    "等",
    "、",
    "和",
    "，",
    "。",
    "；",
    "“",
    "”",
    "（",
    "）",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " ",
    "　",
    "#",
    "■",
    "湖南",
    "庞某",
    "行政村",
    "驻村辅警",
    "去年同期",
    "今年",
    "各发展",
    "个村",
    "达到",
    "破获刑案",
    "\u{feff}",
    "\u{200b}",
    "é",
    "🎉",
    "\u{0301}",
];

fn figure_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        6 => proptest::sample::select(FIGURE_WORDS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[0-9]{1,40}",
    ];
    proptest::collection::vec(token, 0..80).prop_map(|v| v.concat())
}

/// Malformed numerals: magnitudes doubled and mixed, separators misplaced, digits where
/// magnitudes belong, decimals in Chinese numerals, reversed ranges.
fn malformed_numeral() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        "[0-9]{1,6}",
        "[0-9]{1,3}(,[0-9]{1,4}){1,4}",
        "[0-9]{1,3}\\.[0-9]{0,3}\\.?[0-9]{0,3}",
        "[一二三四五六七八九十百千万亿零两]{1,8}",
        "[万亿]{1,6}",
        "[余多几]{1,3}",
        "点[一二三]{0,3}",
        "[至到\\-~]",
    ];
    let unit = proptest::sample::select(
        &[
            "元",
            "万元",
            "人",
            "起",
            "%",
            "个百分点",
            "",
            "年",
            "月",
            "日",
        ][..],
    );
    (proptest::collection::vec(part, 1..6), unit, any::<bool>()).prop_map(|(parts, unit, lead)| {
        let prefix = if lead { "共抓获" } else { "涉案资金" };
        format!("{prefix}{}{unit}。", parts.concat())
    })
}

/// Text built like a bulletin from sentences that the rules match, with random figures, so
/// that findings (and their labels) are produced, not only silence.
fn bulletin() -> impl Strategy<Value = String> {
    let n = || {
        prop_oneof![
            "[0-9]{1,4}",
            "[一二三四五六七八九十]{1,3}",
            "[0-9]{1,3}余",
            "约[0-9]{2,3}"
        ]
    };
    let list = proptest::collection::vec(
        proptest::sample::select(&["湖南", "湖北", "广东", "罗某", "汪某", "城中村", "出租屋"][..]),
        1..6,
    )
    .prop_map(|items| items.join("、"));
    let sentence = prop_oneof![
        (list.clone(), n()).prop_map(|(l, n)| format!("涉及{l}{n}省。")),
        (list, n()).prop_map(|(l, n)| format!("抓获{l}等{n}人。")),
        (n(), n(), n()).prop_map(|(a, b, c)| format!("共抓获{a}人，其中{b}人为外地人员，占{c}%。")),
        (n(), n(), n()).prop_map(|(a, b, c)| format!("去年同期{a}起，今年{b}起，上升{c}%。")),
        (n(), n(), n())
            .prop_map(|(a, b, c)| format!("{a}个村各发展{b}名成员，协会成员达到{c}人。")),
        (n(), n()).prop_map(|(a, b)| format!("全市{a}个行政村已配备驻村辅警{b}人。")),
        n().prop_map(|a| format!("止付涉诈资金{a}亿余万元；")),
        n().prop_map(|a| format!("警情同比下降{a}%。")),
        Just("\n".to_string()),
        Just("\r\n\r\n".to_string()),
    ];
    (n(), proptest::collection::vec(sentence, 0..16))
        .prop_map(|(head, body)| format!("破获刑案{head}起！\n\n全市破获刑事案件{}", body.concat()))
}

/// A text with random edits: ranges deleted, duplicated or replaced by figure words.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..40,
        0u8..4,
        proptest::sample::select(FIGURE_WORDS),
    );
    proptest::collection::vec(edit, 1..12).prop_map(move |edits| {
        let mut chars: Vec<char> = base.chars().collect();
        for (at, len, kind, word) in edits {
            let i = at.index(chars.len() + 1);
            let j = (i + len).min(chars.len());
            match kind {
                0 => {
                    chars.drain(i..j);
                }
                1 => {
                    let copy: Vec<char> = chars[i..j].to_vec();
                    chars.splice(i..i, copy);
                }
                2 => {
                    chars.splice(i..j, word.chars());
                }
                _ => {
                    chars.splice(i..i, word.chars());
                }
            }
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_unicode_never_panics(text in any::<String>()) {
        check_everything(&text);
    }

    #[test]
    fn cjk_heavy_text_never_panics(
        text in "[\\p{Han}，。、；：！？“”（）《》\\n\\r 　0-9０-９％．%等和]{0,300}"
    ) {
        check_everything(&text);
    }

    #[test]
    fn figure_soups_never_panic(text in figure_soup()) {
        check_everything(&text);
    }

    #[test]
    fn malformed_numerals_never_panic(parts in proptest::collection::vec(malformed_numeral(), 1..8)) {
        check_everything(&parts.concat());
    }

    #[test]
    fn bulletins_with_random_figures_report_sound_spans(text in bulletin()) {
        check_everything(&text);
    }

    #[test]
    fn mutated_seed_bulletins_never_panic(text in mutated(SEED)) {
        check_everything(&text);
    }
}

#[test]
fn the_bulletin_generator_makes_rules_fire() {
    // The properties above would pass vacuously on labels if no rule ever fired; these texts
    // are what `bulletin()` produces, and each must give a finding of its rule.
    let cases = [
        ("涉及湖南、湖北、广东4省。", "stress-enumeration-count"),
        (
            "抓获罗某、汪某、城中村等2人。",
            "stress-partial-enumeration",
        ),
        ("共抓获200人，其中50人为外地人员，占40%。", "stress-share"),
        ("去年同期100起，今年120起，上升50%。", "stress-change"),
        (
            "25个村各发展2名成员，协会成员达到40人。",
            "stress-distributive",
        ),
        (
            "全市88个行政村已配备驻村辅警90人。",
            "staff-exceeds-villages",
        ),
        ("止付涉诈资金8亿余万元；", "malformed-amount"),
        (
            "破获刑案147起！\n\n全市破获刑事案件174起。",
            "stress-headline",
        ),
    ];
    for (text, rule) in cases {
        let findings = check_everything(text);
        assert!(
            findings
                .iter()
                .any(|f| f.rule == rule && !f.labels.is_empty()),
            "{rule} on {text:?}: {findings:#?}"
        );
    }
}

/// The rule files the loader is fuzzed from: the stress pack and the standard pack's files.
fn rule_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = vec![STRESS_PACK.to_string()];
        seeds.extend(repository_files("rules", "toml"));
        seeds
    })
}

/// Fragments that break rule files in interesting ways.
const RULE_WORDS: &[&str] = &[
    "{num}",
    "{list}",
    "{count}",
    "{pct}",
    "{cls}",
    "{nmu}",
    "{",
    "}",
    "(?P<v>",
    "(?P<v>",
    "(",
    ")",
    "[",
    "]",
    "[[rule]]",
    "[[rule.example]]",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "=",
    "\n",
    "\\",
    "\\u",
    "#",
    ".",
    ",",
    "id = \"dup\"",
    "assert = \"",
    "facts.",
    "count(",
    "pct(",
    "nosuch(",
    "scope = \"page\"",
    "severity = 3",
    "pairing = \"all\"",
    "where = \"",
    "in = \"title\"",
    "{1000}",
    "*",
    "+",
    "?",
    "|",
    "and",
    "or",
    "not",
    "\u{0}",
    "\u{feff}",
    "é",
];

/// `base` with each edit applied in turn: `len` characters deleted at `at`, or `word` inserted
/// there.
fn delete_or_insert(base: &str, edits: Vec<(prop::sample::Index, usize, bool, &str)>) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for (at, len, delete, word) in edits {
        let i = at.index(chars.len() + 1);
        let j = (i + len).min(chars.len());
        if delete {
            chars.drain(i..j);
        } else {
            chars.splice(i..i, word.chars());
        }
    }
    chars.into_iter().collect()
}

fn mutated_rules() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..30,
        any::<bool>(),
        proptest::sample::select(RULE_WORDS),
    );
    (
        proptest::sample::select(rule_seeds()),
        proptest::collection::vec(edit, 1..8),
    )
        .prop_map(|(base, edits)| delete_or_insert(&base, edits))
}

/// Compiles `text` as a rule file: an error names spans inside the file; rules that compile
/// are run on a text with figures.
fn load_rules(text: &str) {
    let recognizer = Recognizer::standard();
    match RuleSet::from_sources(vec![SourceFile::new("fuzz.toml", text)], recognizer) {
        Ok(set) => {
            for rule in &set.rules {
                assert_span(text, rule.id_span, "rule id");
            }
            let sample = "破获刑案147起！\n\n涉及湖南、湖北4省，共抓获200人，其中50人，占25%。";
            for finding in evaluate::check(sample, &set, recognizer, Options { strict: true }) {
                assert_span(sample, finding.span, "finding");
            }
            let _ = statlint::rules::examples::run(&set, recognizer);
        }
        Err(e) => {
            assert!(!e.errors.is_empty(), "an error without diagnostics");
            for error in &e.errors {
                assert!(!error.message.is_empty());
                if let Some(span) = error.span {
                    assert!(
                        span.offset() + span.len() <= text.len(),
                        "{}: span {span:?} outside the file ({} bytes)",
                        error.message,
                        text.len()
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_rule_files_never_panic(text in any::<String>()) {
        load_rules(&text);
    }

    #[test]
    fn mutated_rule_files_never_panic(text in mutated_rules()) {
        load_rules(&text);
    }
}

const EXPR_SEEDS: &[&str] = &[
    "count(items) == items.n",
    "approx_eq(pct(part, whole), share)",
    "approx_eq(change(old, new), rate)",
    "villages * each <= total and not malformed(total)",
    "min(a, b, 3) >= max(a - 1, -b) or a / b != 2",
    "within(a, b.g, 0.5)",
];

const EXPR_WORDS: &[&str] = &[
    "(",
    ")",
    ",",
    ".",
    "-",
    "+",
    "*",
    "/",
    "<",
    "<=",
    "≤",
    "==",
    "!=",
    "and",
    "or",
    "not",
    "a",
    "b.g",
    "c",
    "\"",
    "\\",
    "1e9",
    "99999999999999999999999999999",
    "0.",
    "()",
    " ",
    "　",
    "pct(",
    "count(",
    "nosuch(",
];

fn mutated_expr() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..6,
        any::<bool>(),
        proptest::sample::select(EXPR_WORDS),
    );
    (
        proptest::sample::select(EXPR_SEEDS),
        proptest::collection::vec(edit, 1..6),
    )
        .prop_map(|(base, edits)| delete_or_insert(base, edits))
}

fn names() -> NameTable {
    NameTable::new()
        .with("a", None, Type::Num)
        .with("b", Some("g"), Type::Num)
        .with("c", None, Type::List)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mutated_expressions_never_panic_and_errors_point_inside(src in mutated_expr()) {
        match expr::parse(&src) {
            Ok(parsed) => {
                if let Err(e) = expr::check(&parsed, &names()) {
                    assert_span(&src, e.span, "type error");
                } else {
                    let env = MapEnv::new()
                        .with_fact("a", None, Value::Num(Num::written(Interval::exact(Decimal::MAX), "a")))
                        .with_fact("b", Some("g"), Value::Num(Num::computed(Interval::exact(Decimal::ZERO))))
                        .with_fact("c", None, Value::List(Vec::new()));
                    let _ = expr::eval(&parsed, &env);
                    let _ = expr::explain_failure(&parsed, &env);
                }
            }
            Err(e) => assert_span(&src, e.span, "parse error"),
        }
    }
}

// Numbers beyond the range of `Decimal` (about 7.9e28) are unbounded, never errors or wraps.

#[test]
fn a_hundred_thousand_digit_number_is_unbounded() {
    let text = format!("共抓获{}人。", "7".repeat(100_000));
    let quantities = Recognizer::standard().recognize(&text);
    assert_eq!(quantities.len(), 1, "{quantities:?}");
    assert_eq!(quantities[0].value, Interval::unbounded());
    assert_eq!(
        &text[quantities[0].span.range()],
        &text["共抓获".len()..text.len() - "。".len()]
    );
    check_everything(&text);
}

#[test]
fn figures_just_past_decimal_range_are_unbounded_and_just_inside_are_exact() {
    let recognizer = Recognizer::standard();
    let max = Decimal::MAX.to_string(); // 79228162514264337593543950335
    let figure = recognizer.parse_figure(&max).expect("reads");
    assert_eq!(figure.value, Interval::exact(Decimal::MAX));
    for past in [
        "79228162514264337593543950336",
        "1000000000000000000000000000000",
        "8亿亿亿亿",
    ] {
        let value = recognizer.parse_figure(past).map(|f| f.value);
        assert!(
            value.is_none() || value == Some(Interval::unbounded()),
            "{past}: {value:?}"
        );
    }
    // A magnitude that overflows after a valid amount: 79228162514264337593543950335万.
    let text = format!("涉案资金{max}万元。");
    let quantities = recognizer.recognize(&text);
    assert_eq!(quantities.len(), 1);
    assert_eq!(
        quantities[0].value.high_value(),
        None,
        "{:?}",
        quantities[0]
    );
}

#[test]
fn runs_of_magnitude_words_never_panic() {
    for text in [
        format!("8{}元。", "亿".repeat(100_000)),
        format!("{}人", "万".repeat(50_000)),
        format!("共{}起。", "十百千".repeat(20_000)),
        "亿".repeat(1000),
    ] {
        check_everything(&text);
    }
}

#[test]
fn arithmetic_past_decimal_range_widens_instead_of_failing() {
    let big = Interval::exact(Decimal::MAX);
    let env = MapEnv::new()
        .with_fact("a", None, Value::Num(Num::written(big, "a")))
        .with_fact("b", Some("g"), Value::Num(Num::computed(big)))
        .with_fact("c", None, Value::List(Vec::new()));
    let truth = |src: &str| {
        let parsed = expr::parse(src).unwrap();
        expr::check(&parsed, &names()).unwrap();
        match expr::eval(&parsed, &env) {
            Ok(Value::Bool(t)) => t,
            other => panic!("{src}: {other:?}"),
        }
    };
    // The sums and products overflow; what is true of their real values is never false, and
    // what is false of them is never true: the result widened, it did not wrap.
    for holds in [
        "a * b.g > a",
        "a + b.g > a",
        "-a - b.g < -a",
        "a * b.g * a * b.g >= a",
    ] {
        assert_ne!(truth(holds), Truth::False, "{holds}");
    }
    for fails in ["a * b.g < a", "a + b.g <= a", "a * b.g == 1", "a + a == a"] {
        assert_ne!(truth(fails), Truth::True, "{fails}");
    }
    // Within range the arithmetic stays exact.
    assert_eq!(truth("a - b.g == 0"), Truth::True);
}

#[test]
fn division_by_zero_in_pct_and_change_is_undetermined() {
    let env = MapEnv::new()
        .with_fact(
            "a",
            None,
            Value::Num(Num::written(Interval::exact(Decimal::from(5)), "5")),
        )
        .with_fact(
            "b",
            Some("g"),
            Value::Num(Num::written(Interval::exact(Decimal::ZERO), "0")),
        )
        .with_fact("c", None, Value::List(Vec::new()));
    for src in [
        "pct(a, b.g) <= 100",
        "pct(a, b.g) > 100",
        "change(b.g, a) == 10",
        "a / b.g == 1",
    ] {
        let parsed = expr::parse(src).unwrap();
        expr::check(&parsed, &names()).unwrap();
        assert_eq!(
            expr::eval(&parsed, &env).unwrap(),
            Value::Bool(Truth::Unknown),
            "{src}"
        );
    }
    // Every number is compatible with an unbounded one: never a finding.
    let parsed = expr::parse("approx_eq(pct(a, b.g), 50)").unwrap();
    assert_ne!(
        expr::eval(&parsed, &env).unwrap(),
        Value::Bool(Truth::False)
    );
    // End to end: a share of a whole of 0 is no finding, and only a warning with --strict.
    let text = "共抓获0人，其中5人为外地人员，占25%。";
    let recognizer = Recognizer::standard();
    let plain = evaluate::check(text, rules(), recognizer, Options { strict: false });
    assert!(plain.iter().all(|f| f.rule != "stress-share"), "{plain:#?}");
    let strict = evaluate::check(text, rules(), recognizer, Options { strict: true });
    assert!(
        strict
            .iter()
            .any(|f| f.rule == "stress-share" && f.severity == statlint::rules::Severity::Warning),
        "{strict:#?}"
    );
}
