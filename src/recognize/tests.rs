//! Table-driven tests of the recognizer: every form the issues list, every figure of the seed
//! bulletin (checked by hand against the text) and the non-figures around them, read from the
//! case tables in `tests/data/recognizer-cases.toml`; and the properties no table shows.

use super::*;
use regex::Regex;
use serde::Deserialize;

/// The case tables, kept as data (`tests/data/recognizer-cases.toml`), the way ruff and typos
/// keep theirs: a reader adds a case without reading Rust.
const CASES: &str = include_str!("../../tests/data/recognizer-cases.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    unparsed: Vec<String>,
    recognize: Vec<RecognizeCase>,
    parse: Vec<ParseCase>,
    parse_malformed: Vec<MalformedCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecognizeCase {
    group: String,
    #[serde(default)]
    note: Option<String>,
    text: String,
    /// `[span text, interval, unit text or "-", kind]`.
    figures: Vec<[String; 4]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParseCase {
    text: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MalformedCase {
    text: String,
    malformation: String,
}

fn cases() -> Cases {
    toml::from_str(CASES).expect("tests/data/recognizer-cases.toml is well-formed")
}

/// A serde name (`count`, `mixed_magnitudes`), as the case tables write it.
fn name_of(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What a quantity looks like in the case tables.
fn show(text: &str, q: &Quantity) -> [String; 4] {
    [
        text[q.span.range()].to_string(),
        q.value.to_string(),
        q.unit
            .as_ref()
            .map_or("-".to_string(), |u| u.text.to_string()),
        name_of(q.kind),
    ]
}

#[test]
fn every_recognize_case() {
    let r = Recognizer::standard();
    let cases = cases().recognize;
    // The tables hold the seed, the forms of the issues and the non-figures: a file that lost
    // them would pass vacuously.
    assert!(cases.len() > 300, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let got: Vec<_> = r
            .recognize(&case.text)
            .iter()
            .map(|q| show(&case.text, q))
            .collect();
        if got != case.figures {
            failures.push(format!(
                "[{}] {}{}\n   got  {got:?}\n   want {:?}",
                case.group,
                case.text,
                case.note
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                case.figures
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_parse_case() {
    let r = Recognizer::standard();
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases.parse {
        match r.parse_figure(&case.text) {
            Some(f) if f.value.to_string() == case.value && f.malformed.is_none() => {}
            other => failures.push(format!(
                "{:?}: got {other:?}, want {}",
                case.text, case.value
            )),
        }
    }
    for case in &cases.parse_malformed {
        match r.parse_figure(&case.text) {
            Some(f)
                if f.malformed.map(name_of).as_deref() == Some(case.malformation.as_str())
                    && f.value == Interval::unbounded() => {}
            other => failures.push(format!(
                "{:?}: got {other:?}, want {}",
                case.text, case.malformation
            )),
        }
    }
    for text in &cases.unparsed {
        if let Some(f) = r.parse_figure(text) {
            failures.push(format!("{text:?}: got {f:?}, want no figure"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dates_carry_their_parts() {
    let r = Recognizer::standard();
    // text, year, month, day, whether the day exists
    type DateCase = (&'static str, Option<i32>, Option<u32>, Option<u32>, bool);
    let cases: &[DateCase] = &[
        ("2023年2月29日", Some(2023), Some(2), Some(29), false),
        ("2024年2月29日", Some(2024), Some(2), Some(29), true),
        ("2月29日", None, Some(2), Some(29), true),
        ("9月31日", None, Some(9), Some(31), false),
        ("13月", None, Some(13), None, false),
        ("二〇二一年", Some(2021), None, None, true),
        ("10月27日", None, Some(10), Some(27), true),
        ("2021年以来", Some(2021), None, None, true),
    ];
    for &(text, year, month, day, valid) in cases {
        let qs = r.recognize(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        assert_eq!(qs[0].date, Some(Date { year, month, day }), "{text}");
        let want = (!valid).then_some(Malformation::ImpossibleDate);
        assert_eq!(qs[0].malformed, want, "{text}");
    }
}

#[test]
fn malformed_amounts_are_reported_unbounded() {
    let r = Recognizer::standard();
    let cases = [
        ("止付8亿余万元", "8亿余万元", Malformation::MixedMagnitudes),
        ("共3万万元", "3万万元", Malformation::DoubledMagnitude),
        ("共23,87,2个", "23,87,2个", Malformation::MisplacedSeparator),
        ("共1,0000元", "1,0000元", Malformation::MisplacedSeparator),
        ("资金8亿万元", "8亿万元", Malformation::MixedMagnitudes),
    ];
    for (text, span, malformation) in cases {
        let qs = r.recognize(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        assert_eq!(&text[qs[0].span.range()], span, "{text}");
        assert_eq!(qs[0].malformed, Some(malformation), "{text}");
        assert_eq!(qs[0].value, Interval::unbounded(), "{text}");
    }
}

#[test]
fn units_carry_their_family() {
    let r = Recognizer::standard();
    let cases = [
        ("18名", "person"),
        ("160人", "person"),
        ("3位", "person"),
        ("147起", "case"),
        ("5件", "case"),
        ("2宗", "case"),
        ("200余万元", "money"),
        ("5元", "money"),
        ("3亿元", "money"),
        ("370克", "mass"),
        ("3千克", "mass"),
        ("26万余人次", "person_time"),
        ("38.2%", "percent"),
        ("三成", "percent"),
        ("2.3个百分点", "percentage_point"),
        ("30日元", "money_jpy"),
        ("5港元", "money_hkd"),
        ("壹佰圆", "money"),
        ("5块钱", "money"),
        ("123元1角1分", "money"),
        ("六斤八两", "mass"),
        ("30摄氏度", "temperature"),
        ("半数", "fraction"),
    ];
    for (text, family) in cases {
        let qs = r.recognize(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        assert_eq!(
            qs[0].unit.as_ref().map(|u| &*u.family),
            Some(family),
            "{text}"
        );
    }
}

#[test]
fn macros_have_no_groups_and_match_the_figures() {
    let r = Recognizer::standard();
    assert_eq!(r.macro_pattern("nope"), None);
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "num",
            &[
                "801",
                "70余",
                "200余万",
                "约5万",
                "五",
                "38.2",
                "不到300",
                "8亿余万",
                "3至5",
                "23,872",
                "十几",
                "数十",
                "数百万",
            ],
            // `数` stands before a magnitude only: `总数300起` holds 300, not `数300`.
            &["人", "%", "", "数300"],
        ),
        (
            "count",
            &[
                "801",
                "26万余",
                "两万三千",
                "1.5万",
                "不到300",
                "七八",
                "数十",
            ],
            &["38.2", "人", "数300"],
        ),
        (
            "pct",
            &[
                "38.2%",
                "百分之三十八点二",
                "三成",
                "25%",
                "超过5%",
                "-3.4%",
                "负3.4%",
                "−2%",
            ],
            &["38.2", "三"],
        ),
        (
            "cls",
            &["人", "人次", "个百分点", "万元", "公斤", "%"],
            &["公", "x"],
        ),
    ];
    for (name, good, bad) in cases {
        let pattern = r.macro_pattern(name).unwrap();
        let re = Regex::new(pattern).unwrap();
        assert_eq!(re.captures_len(), 1, "{name} must not have capture groups");
        let whole = Regex::new(&format!("^(?:{pattern})$")).unwrap();
        for g in *good {
            assert!(whole.is_match(g), "{name} should match {g}");
            assert!(
                r.parse_figure(g).is_some() || *name == "cls",
                "{g} should parse"
            );
        }
        for b in *bad {
            assert!(!whole.is_match(b), "{name} should not match {b:?}");
        }
    }
    // A rule pattern built on the macros captures the figure recognize() reads.
    let num = r.macro_pattern("num").unwrap();
    let rule = Regex::new(&format!("驻村辅警(?P<v>{num})(?:人|名)")).unwrap();
    let caps = rule.captures("全市889个行政村已配备驻村辅警801人").unwrap();
    let v = r.parse_figure(&caps["v"]).unwrap();
    assert_eq!(v.value, Interval::exact(801.into()));
}

#[test]
fn custom_lexicons() {
    let src = r#"
        [[magnitude]]
        text = "万"
        exponent = 4
        [[unit]]
        text = "只"
        family = "animal"
        kind = "count"
        [syntax]
        ordinal_prefix = "第"
        range_separators = ["至"]
        date_suffixes = []
    "#;
    let r = Recognizer::from_lexicon(src).unwrap();
    let text = "救助3万只，抓获5人";
    let qs = r.recognize(text);
    assert_eq!(qs.len(), 1);
    assert_eq!(&text[qs[0].span.range()], "3万只");
    assert!(Recognizer::from_lexicon("nonsense = [").is_err());
    assert!(Recognizer::from_lexicon(&src.replace("[syntax]", "[syntax]\ncolour = 1")).is_err());
}

#[test]
fn serializes_intervals_for_extract() {
    let text = "不到300人";
    let q = &Recognizer::standard().recognize(text)[0];
    let json = serde_json::to_value(q).unwrap();
    assert_eq!(json["value"]["low"], "0");
    assert_eq!(json["value"]["high"], "300");
    assert_eq!(json["value"]["low_open"], false);
    assert_eq!(json["value"]["high_open"], true);
    assert_eq!(json["kind"], "count");
    assert_eq!(json["unit"]["family"], "person");
}

#[test]
fn huge_numbers_do_not_panic() {
    let r = Recognizer::standard();
    let digits = "9".repeat(100_000);
    let text = format!("共{digits}人");
    let qs = r.recognize(&text);
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].value, Interval::unbounded());
    let frac = format!("0.{}1%", "0".repeat(50_000));
    assert_eq!(
        r.parse_figure(&frac).map(|f| f.value),
        Some(Interval::unbounded())
    );
    let chinese = "一".repeat(100_000);
    assert!(r.recognize(&format!("{chinese}人")).is_empty());
    let soup = "十万".repeat(50_000);
    let _ = r.recognize(&format!("{soup}人"));
}

#[test]
fn recognizer_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Recognizer>();
}

/// Every `.txt` fixture of the repository, for tests that compare a fast scan with a reference
/// on real bulletin text.
pub(super) fn fixture_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    assert!(!texts.is_empty(), "no fixtures found");
    texts
}

/// The scan's start set finds what the regex class it replaced, `[0-9{digits}{magnitudes}]`,
/// finds, from every character of every fixture.
#[test]
fn numeral_starts_agree_with_the_start_class() {
    let r = Recognizer::standard();
    let escape = |chars: &mut dyn Iterator<Item = char>| -> String {
        chars.map(|c| regex::escape(&c.to_string())).collect()
    };
    let mut mags: Vec<char> = r.lex.magnitudes.keys().copied().collect();
    mags.sort_unstable();
    let mut words: Vec<char> = r
        .lex
        .figure_words
        .iter()
        .filter_map(|w| w.text.chars().next())
        .collect();
    words.sort_unstable();
    let class = format!(
        "[0-9{}{}{}]",
        escape(&mut numeral::CHINESE_DIGITS.chars()),
        escape(&mut mags.into_iter()),
        escape(&mut words.into_iter())
    );
    let start = Regex::new(&class).unwrap();
    for text in fixture_texts() {
        for (from, _) in text.char_indices() {
            let want = start
                .find_at(&text, from)
                .map(|m| (m.start(), text[m.range()].chars().next().unwrap()));
            assert_eq!(r.start.find(&text, from), want, "from {from}");
        }
    }
}
