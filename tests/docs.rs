//! The documentation cannot drift: every rule in `docs/rules.md` compiles and its examples
//! behave, every function of the expression language is in its reference table, and the rule
//! reference `docs/rule-reference.md` is what the standard pack generates.

use statlint::recognize::Recognizer;
use statlint::rules::examples;
use statlint::rules::{RuleSet, SourceFile};
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The ```toml blocks of a Markdown file.
fn toml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```toml") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_rule_in_the_guide_compiles_and_its_examples_behave() {
    let guide = read("docs/rules.md");
    let blocks = toml_blocks(&guide);
    assert!(blocks.len() >= 3, "the guide shows rules");
    let recognizer = Recognizer::standard();
    let files = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| SourceFile::new(format!("docs/rules.md#{i}"), b.clone()))
        .collect();
    let rules = RuleSet::from_sources(files, recognizer)
        .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let total: usize = rules.rules.iter().map(|r| r.examples.len()).sum();
    assert!(total >= 6);
    let failures = examples::run(&rules, recognizer);
    assert!(
        failures.is_empty(),
        "{:?}",
        failures
            .into_iter()
            .map(miette::Report::new)
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_function_is_in_the_guide() {
    let guide = read("docs/rules.md");
    for row in statlint::rules::expr::reference_rows() {
        assert!(guide.contains(&row), "docs/rules.md lacks the row {row}");
    }
}

#[test]
fn the_rule_reference_is_generated_from_the_pack() {
    let rules = RuleSet::standard(Recognizer::standard()).unwrap();
    let generated = statlint::report::rule_reference(&rules);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rule-reference.md");
    if std::env::var_os("STATLINT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/rule-reference.md is stale: run `STATLINT_BLESS=1 cargo test --test docs`"
    );
}

#[test]
fn the_catalogue_is_complete() {
    let rules = RuleSet::standard(Recognizer::standard()).unwrap();
    assert!(rules.rules.len() >= 16);
    for rule in &rules.rules {
        assert!(!rule.summary.trim().is_empty(), "{}: summary", rule.id);
        assert!(
            rule.explanation.trim().chars().count() >= 20,
            "{}: explanation",
            rule.id
        );
        assert!(
            !rule.summary.ends_with('。'),
            "{}: summary ends with 。",
            rule.id
        );
        use statlint::rules::Expect;
        assert!(
            rule.examples.iter().any(|e| e.expect == Expect::Fail),
            "{}: no example that fires",
            rule.id
        );
        assert!(
            rule.examples.iter().any(|e| e.expect == Expect::Pass),
            "{}: no example that stays silent",
            rule.id
        );
    }
}
