//! Snapshots of the human rendering: every involved figure underlined and labelled, wide CJK
//! characters aligned, a closing summary line. Fixed width and no colour, so the output is
//! deterministic. Each snapshot was read against its text by hand.

use statlint::evaluate::{self, Options};
use statlint::recognize::Recognizer;
use statlint::report::{self, FileReport, Format, Style};
use statlint::rules::RuleSet;

fn render(name: &str, text: &str) -> String {
    let recognizer = Recognizer::standard();
    let rules = RuleSet::standard(recognizer).unwrap();
    let findings = evaluate::check(text, &rules, recognizer, Options::default());
    let reports = [FileReport {
        name: name.to_string(),
        encoding: "utf-8",
        text: text.to_string(),
        findings,
        ..FileReport::default()
    }];
    let mut out = Vec::new();
    let style = Style {
        color: false,
        width: 100,
        ..Style::default()
    };
    report::print_findings(Format::Human, style, &reports, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn two_labels_on_one_line_of_cjk_text() {
    insta::assert_snapshot!(render(
        "staff.txt",
        "目前，全市889个行政村已配备驻村辅警901人（另配备驻村民警227人）。\n"
    ));
}

#[test]
fn malformed_amount_with_help() {
    insta::assert_snapshot!(render(
        "fraud.txt",
        "今年以来，止付涉案账户23872个，止付涉诈资金8亿余万元。\n"
    ));
}

#[test]
fn headline_and_body_on_different_lines() {
    insta::assert_snapshot!(render(
        "headline.txt",
        "破获刑案147起，刑事打处160人！\n\n目前已破获刑事案件174起，抓获犯罪嫌疑人160名。\n"
    ));
}

#[test]
fn enumeration_and_its_count() {
    insta::assert_snapshot!(render(
        "provinces.txt",
        "专案组摸排出一张涉及湖南、湖北、广东、海南5省的贩毒网络。\n"
    ));
}

#[test]
fn clean_text_prints_only_the_summary() {
    assert_eq!(
        render("clean.txt", "全市889个行政村已配备驻村辅警801人。\n"),
        "statlint: no findings in 1 file\n"
    );
}

#[test]
fn long_lines_are_cut_around_the_figures() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/xianning-725-campaign.txt"
    ))
    .unwrap();
    let paragraph = seed
        .lines()
        .find(|l| l.contains("8亿余万元"))
        .unwrap()
        .to_string();
    insta::assert_snapshot!(render("fraud.txt", &(paragraph + "\n")));
}

/// Issue 19: miette draws every label of a line on a row of its own with a connector for each
/// label before it, so a finding with n labels printed n² characters (8,000 labels: 481 MB).
/// Sixteen are drawn, the rest counted in the help.
#[test]
fn a_finding_with_many_labels_draws_sixteen_and_counts_the_rest() {
    let text = |parts: usize| {
        let listed = vec!["1起"; parts].join("、");
        format!("共破获盗窃案件{}起，分别为{listed}。\n", parts + 1)
    };
    insta::assert_snapshot!(render("many.txt", &text(20)));
    let big = render("many.txt", &text(8000));
    assert!(
        big.contains("7985 more labelled figures are not shown"),
        "{big}"
    );
    assert!(big.len() < 4096, "{} bytes", big.len());
}
