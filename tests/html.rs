//! End-to-end tests of `check --format html` (issue 16): the page an editor opens or mails. The
//! highlighted figures are read back from the page and compared with figures found by hand in
//! the text; the text itself must come back unchanged once the markup is taken away.

mod common;

use common::{fixture, outcome, seed_text, statlint};
use std::fs;

/// The texts of the `<mark>` elements, in page order.
fn marked(html: &str) -> Vec<String> {
    html.split("<mark ")
        .skip(1)
        .map(|m| {
            let end = m.find("</mark>").expect("a mark is closed");
            unescape(&strip_tags(&m[m.find('>').unwrap() + 1..end]))
        })
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The document's text as the page shows it: the `statlint-text` block without its markup.
fn shown_texts(html: &str) -> Vec<String> {
    html.split("<div class=\"statlint-text\">")
        .skip(1)
        .map(|part| {
            let end = part.find("</div>").expect("the text block is closed");
            unescape(&strip_tags(&part[..end]))
        })
        .collect()
}

#[test]
fn the_seed_page_highlights_exactly_the_two_malformed_amounts() {
    let output = statlint()
        .args(["check", "--format", "html"])
        .arg(fixture("xianning-725-campaign.txt"))
        .output()
        .unwrap();
    let (html, stderr, code) = outcome(output);
    assert_eq!(
        code, 1,
        "findings fail the run as in every format: {stderr}"
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert_eq!(marked(&html), ["8亿余万元", "2亿余万元"]);
    assert!(html.contains("发现2处问题"));
    assert_eq!(
        html.matches("金额“8亿余万元”写法有误").count(),
        2,
        "title and list"
    );
    assert!(html.contains("建议：金额只用一个数量级"));
    assert!(html.contains("malformed-amount · 错误"));
    // Self-contained: nothing is fetched, no script is needed for the links.
    for outside in ["http://", "https://", "<script", "<link", "src="] {
        assert!(!html.contains(outside), "{outside} in the page");
    }
    assert_eq!(shown_texts(&html), [seed_text()]);
}

/// Two rules of our own (as in `formats.rs`), so that the marks do not depend on the standard
/// pack's wording.
const TEAM_RULES: &str = r#"[[rule]]
id = "team-amount"
summary = "金额写法有误"
explanation = "同时使用亿和万，数值无法确定。"
severity = "error"
scope = "sentence"
facts.amount = { pattern = '(?P<v>{num})元', label = "金额" }
assert = "not malformed(amount)"
message = "金额写法有误"
help = "只用一个数量级"

[[rule]]
id = "team-staff"
summary = "驻村辅警不应多于行政村"
explanation = "一村一辅警。"
severity = "warning"
scope = "paragraph"
facts.villages = { pattern = '(?P<v>{num})个行政村', label = "行政村数" }
facts.staff = { pattern = '驻村辅警(?P<v>{num})(?:人|名)', label = "驻村辅警人数" }
assert = "staff <= villages"
message = "驻村辅警{staff}人，多于行政村{villages}个"
"#;

/// Markup in the text, and a figure of each rule; `889个` and `901人` are the two figures of the
/// second finding.
const BULLETIN: &str = "<b>咸宁</b> & \"公安\"通报\n\n经查，止付涉诈资金8亿余万元。\n全市889个行政村已配备驻村辅警901人。\n";

#[test]
fn every_figure_of_a_finding_is_marked_and_both_ways_linked() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("team")).unwrap();
    fs::write(dir.path().join("team/team.toml"), TEAM_RULES).unwrap();
    fs::write(dir.path().join("a<1>.txt"), BULLETIN).unwrap();
    fs::write(dir.path().join("b.txt"), "全市共有12个派出所。\n").unwrap();
    fs::write(dir.path().join("c.txt"), b"\x00\x01\x02binary\x00").unwrap();
    let output = statlint()
        .current_dir(dir.path())
        .args([
            "check", "--rules", "team", "--select", "team", "--format", "html",
        ])
        .args(["a<1>.txt", "b.txt", "c.txt"])
        .output()
        .unwrap();
    let (html, _, code) = outcome(output);
    assert_eq!(code, 2, "an unreadable file fails the run");
    assert_eq!(marked(&html), ["8亿余万元", "889个", "901人"]);
    assert_eq!(shown_texts(&html), [BULLETIN, "全市共有12个派出所。\n"]);
    assert!(html.contains("<h2>a&lt;1&gt;.txt</h2>"));
    // First document: two findings; the second one's figures link to their marks.
    assert!(html.contains("发现2处问题"));
    assert!(html.contains(
        "<a class=\"statlint-jump\" href=\"#f1-m1\">“889个”</a>（行政村数），<a class=\"statlint-jump\" href=\"#f1-m2\">“901人”</a>（驻村辅警人数）"
    ));
    assert!(html.contains("驻村辅警901人，多于行政村889个"));
    assert!(html.contains("team-staff · 警告"));
    assert!(
        html.contains("位置：第3行第10列"),
        "8亿余万元 after 9 characters of line 3"
    );
    assert!(html.contains("id=\"f1-m2\" data-findings=\"f1-f1\""));
    assert!(html.contains("<a href=\"#f1-f1\">901人</a>"));
    // Second document: clean, its anchors apart from the first's.
    assert!(html.contains("<section class=\"statlint-doc\" id=\"f2\"><h2>b.txt</h2><p class=\"statlint-summary\">未发现数字矛盾</p>"));
    // Third: in its place, with the reason.
    assert!(html.contains("<h2>c.txt</h2><p class=\"statlint-error\">无法检查 (cannot check)："));
    assert!(html.contains("共检查2个文件，发现2处问题，1个文件无法检查"));
}

#[test]
fn a_docx_finding_says_where_it_is_in_the_document() {
    // `fixtures/office/README.md`: the cell at row 3, column 2 of the only table is `8亿余万元`.
    let output = statlint()
        .args(["check", "--format", "html"])
        .arg(fixture("office/table.docx"))
        .output()
        .unwrap();
    let (html, stderr, code) = outcome(output);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(marked(&html), ["8亿余万元"]);
    assert!(html.contains("位置：表1第3行第2列"));
    assert!(html.contains("发现1处问题"));
}
