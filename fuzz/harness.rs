//! The fuzz harness shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, nightly) and
//! the bounded, seeded run in CI (`tests/fuzz_smoke.rs`, stable): each entry point runs one
//! input through the whole pipeline and panics on any broken invariant, so that a panic inside
//! statlint and a wrong span are both found.

#![allow(dead_code)]

use statlint::evaluate::{self, Analysis, Options};
use statlint::load;
use statlint::recognize::Recognizer;
use statlint::report::{self, FileReport, Format, Style};
use statlint::rules::{RuleSet, SourceFile, expr};
use statlint::span::Span;
use std::sync::OnceLock;

pub const STRESS_PACK: &str = include_str!("../tests/data/stress-rules/stress.toml");

/// The standard pack plus the stress pack (every macro, scope, pairing and function).
pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let recognizer = Recognizer::standard();
        let mut set = RuleSet::standard(recognizer).expect("the standard pack compiles");
        let stress = RuleSet::from_sources(
            vec![SourceFile::new("stress.toml", STRESS_PACK)],
            recognizer,
        )
        .expect("the stress pack compiles");
        set.rules.extend(stress.rules);
        set
    })
}

pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on character boundaries"
    );
}

/// A file's bytes: decoded as `statlint check` decodes them, then checked, extracted and
/// printed in every format.
pub fn document(bytes: &[u8]) {
    let Ok(doc) = load::decode("fuzz.txt".to_string(), bytes) else {
        return;
    };
    text(&doc.text, doc.encoding);
}

/// A decoded text through analysis, check (plain and strict) and every printer.
pub fn text(text: &str, encoding: &'static str) {
    let recognizer = Recognizer::standard();
    let analysis = Analysis::new(text, recognizer);
    let view = &analysis.view.text;
    for paragraph in &analysis.paragraphs {
        assert_span(view, paragraph.span, "paragraph");
        for sentence in &paragraph.sentences {
            assert_span(view, *sentence, "sentence");
        }
    }
    let quantities: Vec<_> = analysis
        .quantities
        .iter()
        .map(|q| {
            assert_span(view, q.span, "quantity (view)");
            let source = analysis.view.to_source(q.span);
            assert_span(text, source, "quantity (source)");
            (source, q)
        })
        .collect();
    let mut out = Vec::new();
    report::print_quantities_json("fuzz.txt", text, &quantities, &mut out).expect("in memory");
    serde_json::from_slice::<serde_json::Value>(&out).expect("extract prints valid JSON");
    out.clear();
    report::print_quantities_human(text, &quantities, &mut out).expect("in memory");

    for strict in [false, true] {
        let findings = evaluate::check(text, rules(), recognizer, Options { strict });
        for f in &findings {
            assert_span(text, f.span, "finding");
            for label in &f.labels {
                assert_span(text, label.span, "label");
            }
        }
        let reports = [FileReport {
            name: "fuzz.txt".to_string(),
            encoding,
            text: text.to_string(),
            findings,
            ..FileReport::default()
        }];
        for format in [Format::Json, Format::Concise, Format::Human] {
            let mut out = Vec::new();
            let style = Style {
                color: strict,
                width: 100,
                ..Style::default()
            };
            report::print_findings(format, style, &reports, &mut out).expect("in memory");
            if format == Format::Json {
                let json: serde_json::Value =
                    serde_json::from_slice(&out).expect("check prints valid JSON");
                assert_eq!(
                    json["summary"]["findings"].as_u64(),
                    Some(reports[0].findings.len() as u64)
                );
            }
        }
    }
}

/// A rule file: compiled; errors point inside it; rules that compile are run on a sample.
pub fn rule_file(src: &str) {
    let recognizer = Recognizer::standard();
    match RuleSet::from_sources(vec![SourceFile::new("fuzz.toml", src)], recognizer) {
        Ok(set) => {
            let sample = "破获刑案147起！\n\n涉及湖南、湖北4省，共抓获200人，其中50人，占25%。\
                          去年同期100起，今年120起，上升50%。止付涉诈资金8亿余万元。";
            for f in evaluate::check(sample, &set, recognizer, Options { strict: true }) {
                assert_span(sample, f.span, "finding");
            }
            let _ = statlint::rules::examples::run(&set, recognizer);
        }
        Err(e) => {
            assert!(!e.errors.is_empty(), "a rule-set error without diagnostics");
            for error in &e.errors {
                if let Some(span) = error.span {
                    assert!(
                        span.offset() + span.len() <= src.len(),
                        "{}: span outside the file",
                        error.message
                    );
                }
            }
        }
    }
}

/// An expression: parsed, printed back, type-checked and evaluated.
pub fn expression(src: &str) {
    use expr::{Item, MapEnv, NameTable, Num, Type, Value};
    use statlint::interval::Interval;
    let parsed = match expr::parse(src) {
        Ok(parsed) => parsed,
        Err(e) => return assert_span(src, e.span, "parse error"),
    };
    let printed = parsed.to_string();
    let again = expr::parse(&printed).expect("a printed expression parses");
    assert_eq!(again.to_string(), printed);
    let names = NameTable::new()
        .with("a", None, Type::Num)
        .with("b", Some("g"), Type::Num)
        .with("c", None, Type::List);
    if let Err(e) = expr::check(&parsed, &names) {
        return assert_span(src, e.span, "type error");
    }
    let big = Interval::exact(rust_decimal::Decimal::MAX);
    let env = MapEnv::new()
        .with_fact("a", None, Value::Num(Num::written(big, "a")))
        .with_fact(
            "b",
            Some("g"),
            Value::Num(Num::computed(Interval::unbounded())),
        )
        .with_fact("c", None, Value::List(vec![Item::words("甲")]));
    let _ = expr::eval(&parsed, &env);
    let _ = expr::render(&parsed, &env);
    let _ = expr::explain_failure(&parsed, &env);
}

/// The files of the repository directory `dir` ending in `.ext`, sorted, read at run time (so
/// that renaming a fixture or a rule file does not break the build of this test).
pub fn repository_files(dir: &str, ext: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}
