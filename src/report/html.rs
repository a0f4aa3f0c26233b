//! The HTML view of a checked document, for editors: the text with every figure of a finding
//! highlighted and linked to it, the findings in Chinese (message, figures, help), and a summary
//! line. One renderer serves `check --format html` (a self-contained file an editor can open or
//! mail), the page of `statlint serve` (which inserts the same fragment) and `annotate` for
//! plain-text inputs. Nothing is loaded from the network: the style is inline, and the links
//! are anchors within the page, so the view works offline and without script.

use super::{FileError, FileReport, Lang, Printer, Summary, document_position};
use crate::rules::Severity;
use crate::span::Span;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The style of the view, shared by the file and the page of `statlint serve`.
pub const STYLE: &str = r#"
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;max-width:60em;padding:1em;color:#222;line-height:1.7}
.statlint-doc h2{font-size:1.1em;margin:.6em 0}
.statlint-summary{font-weight:bold;padding:.4em .8em;border-radius:4px;background:#e8f5e9;color:#1b5e20}
.statlint-summary.has-findings{background:#ffebee;color:#b71c1c}
.statlint-text{white-space:pre-wrap;border:1px solid #ddd;padding:1em;border-radius:4px;background:#fff}
mark.statlint-figure{background:#ffcdd2;border-bottom:2px solid #c62828;padding:0 1px;color:inherit;text-decoration:none}
mark.statlint-figure a{color:inherit;text-decoration:none}
mark.statlint-figure:target,mark.statlint-figure.flash{background:#ff8a80}
.statlint-findings{padding-left:1.5em}
.statlint-findings li{margin:.6em 0}
.statlint-findings li:target{background:#fff8e1}
.statlint-rule{color:#666;font-size:.85em;font-family:monospace}
.statlint-help{color:#555}
.statlint-where{color:#666;font-size:.9em}
.statlint-error{color:#b71c1c}
"#;

/// The summary line: how many findings, or that the figures agree.
pub fn summary_line(findings: usize) -> String {
    if findings == 0 {
        "未发现数字矛盾".to_string()
    } else {
        format!("发现{findings}处问题")
    }
}

/// The whole view as one self-contained HTML page.
pub fn render_html(report: &FileReport) -> String {
    let mut page = String::new();
    page.push_str(&head(&report.name));
    page.push_str(&render_fragment(report, "f1"));
    page.push_str(TAIL);
    page
}

/// The view as a fragment (one `<section>`) for a page that has [`STYLE`]. `prefix` makes the
/// anchors unique when a page holds several documents.
pub fn render_fragment(report: &FileReport, prefix: &str) -> String {
    let text = &report.text;
    let marks = marks(report);
    let mut out = String::new();
    let count = report.findings.len();
    let _ = write!(
        out,
        "<section class=\"statlint-doc\" id=\"{prefix}\"><h2>{}</h2><p class=\"statlint-summary{}\">{}</p>",
        escape(&report.name),
        if count > 0 { " has-findings" } else { "" },
        summary_line(count),
    );
    out.push_str("<div class=\"statlint-text\">");
    let mut at = 0;
    for (index, mark) in marks.iter().enumerate() {
        out.push_str(&escape(&text[at..mark.span.start]));
        let first = mark.findings[0];
        let titles: Vec<String> = mark
            .findings
            .iter()
            .map(|&k| report.findings[k].message.clone())
            .collect();
        let _ = write!(
            out,
            "<mark class=\"statlint-figure\" id=\"{prefix}-m{index}\" data-findings=\"{}\" title=\"{}\"><a href=\"#{prefix}-f{first}\">{}</a></mark>",
            mark.findings
                .iter()
                .map(|k| format!("{prefix}-f{k}"))
                .collect::<Vec<_>>()
                .join(" "),
            escape(&titles.join("\n")),
            escape(&text[mark.span.start..mark.span.end]),
        );
        at = mark.span.end;
    }
    out.push_str(&escape(&text[at..]));
    out.push_str("</div>");
    if count > 0 {
        out.push_str("<ol class=\"statlint-findings\">");
        for (k, finding) in report.findings.iter().enumerate() {
            let _ = write!(
                out,
                "<li id=\"{prefix}-f{k}\"><div class=\"statlint-message\">{}</div><div>涉及数字：",
                escape(&finding.message)
            );
            let mut figures: Vec<String> = Vec::new();
            for label in figures_of(finding) {
                let index = marks
                    .iter()
                    .position(|m| m.span.start <= label.0.start && label.0.end <= m.span.end);
                let figure = escape(text.get(label.0.start..label.0.end).unwrap_or(""));
                let what = if label.1.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", escape(label.1))
                };
                figures.push(match index {
                    Some(i) => format!(
                        "<a class=\"statlint-jump\" href=\"#{prefix}-m{i}\">“{figure}”</a>{what}"
                    ),
                    None => format!("“{figure}”{what}"),
                });
            }
            out.push_str(&figures.join("，"));
            out.push_str("</div>");
            let _ = write!(
                out,
                "<div class=\"statlint-where\">位置：{}</div>",
                escape(&position(report, finding.span.start))
            );
            if let Some(help) = &finding.help {
                let _ = write!(
                    out,
                    "<div class=\"statlint-help\">建议：{}</div>",
                    escape(help)
                );
            }
            let _ = write!(
                out,
                "<div class=\"statlint-rule\">{} · {}</div></li>",
                escape(&finding.rule),
                severity_zh(finding.severity)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</section>");
    out
}

/// Where a finding starts, as an editor finds it: the part, paragraph and character of a
/// word-processor document, or the line and column of a plain text.
fn position(report: &FileReport, offset: usize) -> String {
    document_position(report, offset, Lang::Zh).unwrap_or_else(|| {
        let before = report.text.get(..offset).unwrap_or(&report.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!("第{line}行第{column}列")
    })
}

/// A severity as the Chinese page names it.
fn severity_zh(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// A document that could not be checked, as a section of the view.
pub fn render_failure(error: &FileError) -> String {
    format!(
        "<section class=\"statlint-doc\"><h2>{}</h2><p class=\"statlint-error\">无法检查 (cannot check)：{}</p></section>",
        escape(&error.name),
        escape(&error.message)
    )
}

/// The figures of a finding: its labels, or its own span when it has none.
fn figures_of(finding: &crate::finding::Finding) -> Vec<(Span, &str)> {
    if finding.labels.is_empty() {
        vec![(finding.span, "")]
    } else {
        finding
            .labels
            .iter()
            .map(|l| (l.span, l.message.as_str()))
            .collect()
    }
}

/// A highlighted stretch of the text and the findings (indices) whose figures it holds.
struct Mark {
    span: Span,
    findings: Vec<usize>,
}

/// The highlighted stretches: the figures of every finding, overlapping ones merged, in text
/// order. Spans that are empty, out of the text or not on character boundaries are left out
/// rather than cut a character in two.
fn marks(report: &FileReport) -> Vec<Mark> {
    let text = &report.text;
    let mut spans: Vec<(Span, usize)> = Vec::new();
    for (k, finding) in report.findings.iter().enumerate() {
        for (span, _) in figures_of(finding) {
            if span.start < span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
            {
                spans.push((span, k));
            }
        }
    }
    spans.sort_by_key(|(s, k)| (s.start, s.end, *k));
    let mut marks: Vec<Mark> = Vec::new();
    for (span, k) in spans {
        match marks.last_mut() {
            Some(last) if span.start < last.span.end => {
                last.span.end = last.span.end.max(span.end);
                if !last.findings.contains(&k) {
                    last.findings.push(k);
                }
            }
            _ => marks.push(Mark {
                span,
                findings: vec![k],
            }),
        }
    }
    // A mark links to the first of its findings in the list.
    for mark in &mut marks {
        mark.findings.sort_unstable();
    }
    marks
}

/// Text escaped for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>statlint：{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    )
}

const TAIL: &str = "\n</body></html>\n";

/// `check --format html`: one page, a section per document, and a closing summary.
#[derive(Default)]
pub struct Html {
    summary: Summary,
    started: bool,
}

impl Printer for Html {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.started = true;
        out.write_all(head("检查结果").as_bytes())
    }

    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        self.summary.add(report);
        let prefix = format!("f{}", self.summary.files);
        out.write_all(render_fragment(report, &prefix).as_bytes())
    }

    fn failure(&mut self, error: &FileError, out: &mut dyn Write) -> io::Result<()> {
        self.summary.failed += 1;
        out.write_all(render_failure(error).as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.summary.files + self.summary.failed > 1 {
            let failed = match self.summary.failed {
                0 => String::new(),
                n => format!("，{n}个文件无法检查"),
            };
            writeln!(
                out,
                "<p class=\"statlint-total\">共检查{}个文件，{}{failed}</p>",
                self.summary.files,
                summary_line(self.summary.findings)
            )?;
        }
        out.write_all(TAIL.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Label};

    fn report(text: &str, findings: Vec<Finding>) -> FileReport {
        FileReport {
            name: "稿件<1>.txt".to_string(),
            text: text.to_string(),
            findings,
            ..FileReport::default()
        }
    }

    fn finding(spans: &[(usize, usize)]) -> Finding {
        Finding {
            rule: "r".to_string(),
            severity: Severity::Error,
            message: "m<".to_string(),
            help: Some("h".to_string()),
            span: Span {
                start: spans[0].0,
                end: spans[0].1,
            },
            labels: spans
                .iter()
                .map(|&(start, end)| Label {
                    span: Span { start, end },
                    message: "数".to_string(),
                })
                .collect(),
        }
    }

    fn marked(html: &str) -> Vec<String> {
        html.split("<mark ")
            .skip(1)
            .map(|m| {
                let inner = &m[m.find("\">").unwrap() + 2..];
                let inner = &inner[inner.find('>').unwrap() + 1..];
                inner[..inner.find("</a>").unwrap()].to_string()
            })
            .collect()
    }

    #[test]
    fn no_findings_says_so_and_escapes_the_text() {
        let html = render_html(&report("a<b>&\"c\"", vec![]));
        assert!(html.contains("未发现数字矛盾"));
        assert!(html.contains("a&lt;b&gt;&amp;&quot;c&quot;"));
        assert!(html.contains("稿件&lt;1&gt;.txt"));
        assert!(!html.contains("http"), "no link leaves the page");
        assert!(marked(&html).is_empty());
    }

    #[test]
    fn figures_are_marked_and_linked_both_ways() {
        // "共12人，其中13人": the two figures of one finding.
        let text = "共12人，其中13人";
        let a = (3, 8);
        let b = (17, 22);
        assert_eq!(&text[a.0..a.1], "12人");
        assert_eq!(&text[b.0..b.1], "13人");
        let html = render_html(&report(text, vec![finding(&[a, b])]));
        assert!(html.contains("发现1处问题"));
        assert_eq!(marked(&html), ["12人", "13人"]);
        assert!(html.contains("id=\"f1-m0\""));
        assert!(html.contains("href=\"#f1-f0\""));
        assert!(html.contains("href=\"#f1-m1\">“13人”</a>（数）"));
        assert!(html.contains("m&lt;"));
        assert!(html.contains("建议：h"));
    }

    #[test]
    fn overlapping_figures_of_two_findings_make_one_mark() {
        let text = "共12人，其中13人";
        let html = render_html(&report(
            text,
            vec![finding(&[(3, 8)]), finding(&[(3, 5), (17, 22)])],
        ));
        assert!(html.contains("发现2处问题"));
        assert_eq!(marked(&html), ["12人", "13人"]);
        assert!(html.contains("data-findings=\"f1-f0 f1-f1\""));
    }

    #[test]
    fn a_span_inside_a_character_is_not_marked() {
        let html = render_html(&report("共12人", vec![finding(&[(1, 4)])]));
        assert!(marked(&html).is_empty());
        assert!(html.contains("共12人"));
    }
}
