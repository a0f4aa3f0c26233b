//! Markdown: the prose of a `.md` file, and its `statlint-…` comments.
//!
//! The evaluator reads prose, not markup: a Markdown bulletin is checked as its text with the
//! markup deleted (`#`, `**`, `>`, list markers, link targets, table pipes), code (blocks and
//! inline) and HTML (blocks, inline tags and comments) deleted, and every line break kept, so
//! paragraphs and lines stay where they were. Deletion is all that happens, so each byte of the
//! prose is one byte of the source and [`Prose::to_source`] maps a finding back exactly: reports
//! underline the Markdown source.
//!
//! Three pieces of markup are kept because the segmenter reads them: the `#` of the first heading
//! when it opens the document (the title, see `segment::is_title_line`), one space before
//! text that follows deleted markup (`- ` of a list item, `## ` of a heading), so a list item
//! still opens a block of its own, and the `|` before each table cell, which the prose holds as
//! a tab (one byte for one byte, so the map back stays exact): a row opens a block of its own,
//! and no figure runs from one cell into the next (`| 12 | 3万元 |` is not `123万元`). The cells
//! are the document's regions ([`table_cells`]).

use super::{Region, RegionKind};
use crate::span::Span;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The options the prose and the table cells are parsed with.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// The cells of the tables of a Markdown source, each a region of the source text: the cell's
/// content without the spaces around it.
pub fn table_cells(source: &str) -> Vec<Region> {
    let mut cells = Vec::new();
    let (mut table, mut row, mut column) = (0, 0, 0);
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => {
                table += 1;
                row = 0;
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row += 1;
                column = 0;
            }
            Event::Start(Tag::TableCell) => {
                column += 1;
                let text = &source[range.clone()];
                let start = range.start + (text.len() - text.trim_start().len());
                let end = range.end - (text.len() - text.trim_end().len());
                if start < end {
                    cells.push(Region {
                        span: Span::new(start, end),
                        kind: RegionKind::TableCell { table, row, column },
                    });
                }
            }
            _ => {}
        }
    }
    cells
}

/// The `|` before a table cell whose content starts at `start`, if there is one on its line.
fn pipe_before(source: &str, start: usize) -> Option<usize> {
    let before = source[..start].trim_end_matches([' ', '\t']);
    before.ends_with('|').then(|| before.len() - 1)
}

/// The prose of a Markdown document, with the map back to the source.
#[derive(Debug, Clone)]
pub struct Prose {
    /// What the evaluator checks.
    pub text: String,
    /// Runs of kept bytes, in order: `(prose offset, source offset, length)`.
    runs: Vec<(usize, usize, usize)>,
    /// The `<!-- statlint-… -->` comments, in source order.
    pub directives: Vec<Directive>,
}

/// A `<!-- statlint-… -->` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The rule ids (or prefixes) it names; empty means every rule.
    pub rules: Vec<String>,
    /// The comment, in source bytes.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `statlint-disable-next-line`: the next non-blank line.
    DisableNextLine,
    /// `statlint-disable`: until `statlint-enable` or the end of the document.
    Disable,
    /// `statlint-enable`.
    Enable,
    /// `statlint-` followed by a word statlint does not know (a typo, reported as unused).
    Unknown(String),
}

/// Extract the prose and directives of a Markdown source.
pub fn prose(source: &str) -> Prose {
    let mut keep = vec![false; source.len()];
    let mut directives = Vec::new();
    let options = options();
    // `|`s before table cells: kept, as tabs.
    let mut pipes = Vec::new();
    // Inside code, images and front matter, text is not prose.
    let mut hidden = 0usize;
    let mut seen_block = false;
    let mut title_heading: Option<usize> = None;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_)) => {
                hidden += 1;
                seen_block = true;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_)) => {
                hidden = hidden.saturating_sub(1);
            }
            Event::Start(Tag::HtmlBlock) => {
                directives.extend(scan_comments(source, range.start, &source[range]));
            }
            Event::InlineHtml(_) => {
                directives.extend(scan_comments(source, range.start, &source[range]));
            }
            Event::Start(Tag::Heading { .. }) => {
                if !seen_block && source[range.clone()].starts_with('#') {
                    title_heading = Some(range.start);
                }
                seen_block = true;
            }
            Event::End(TagEnd::Heading(_)) => title_heading = None,
            Event::Start(Tag::TableCell) => {
                seen_block = true;
                if let Some(pipe) = pipe_before(source, range.start) {
                    keep[pipe] = true;
                    pipes.push(pipe);
                }
            }
            Event::Start(_) => seen_block = true,
            Event::Text(_) if hidden == 0 => {
                if let Some(start) = title_heading.take() {
                    // The `# ` of the title heading: the segmenter reads it as the headline.
                    let marker = &source[start..range.start];
                    if marker.bytes().all(|b| matches!(b, b'#' | b' ' | b'\t')) {
                        keep[start..range.start].fill(true);
                    }
                }
                if range.start > 0 && matches!(source.as_bytes()[range.start - 1], b' ' | b'\t') {
                    keep[range.start - 1] = true;
                }
                keep[range].fill(true);
            }
            _ => {}
        }
    }
    for (i, b) in source.bytes().enumerate() {
        if b == b'\n' || b == b'\r' {
            keep[i] = true;
        }
    }
    let mut text = String::with_capacity(source.len());
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < source.len() {
        if !keep[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < source.len() && keep[i] {
            i += 1;
        }
        runs.push((text.len(), start, i - start));
        // Kept ranges are whole events, whole characters or ASCII bytes: always char boundaries.
        text.push_str(&source[start..i]);
    }
    // A kept `|` is one byte of the prose: a tab there. Both are ASCII, so `text` stays UTF-8.
    let mut bytes = text.into_bytes();
    for pipe in pipes {
        let run = runs.partition_point(|r| r.1 <= pipe) - 1;
        let (prose, source_start, _) = runs[run];
        bytes[prose + (pipe - source_start)] = b'\t';
    }
    let text = String::from_utf8(bytes).expect("a tab for a `|` keeps the text UTF-8");
    Prose {
        text,
        runs,
        directives,
    }
}

impl Prose {
    /// The source span of a prose span. A span running across deleted markup covers it.
    pub fn to_source(&self, span: Span) -> Span {
        let start = self.source_start(span.start);
        let end = if span.end == span.start {
            start
        } else {
            self.source_end(span.end).max(start)
        };
        Span::new(start, end)
    }

    fn source_start(&self, at: usize) -> usize {
        let i = self.runs.partition_point(|r| r.0 <= at);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((p, s, len)) if at < p + len => s + (at - p),
            Some((_, s, len)) => s + len,
            None => 0,
        }
    }

    fn source_end(&self, at: usize) -> usize {
        let i = self.runs.partition_point(|r| r.0 < at);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((p, s, len)) => s + (at - p).min(len),
            None => 0,
        }
    }
}

/// The `statlint-…` directives among the HTML comments of `html`, which starts at `offset`.
fn scan_comments(source: &str, offset: usize, html: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = html[rest..].find("<!--") {
        let body_start = rest + open + 4;
        let Some(close) = html[body_start..].find("-->") else {
            break;
        };
        let body = html[body_start..body_start + close].trim();
        let end = body_start + close + 3;
        if let Some(directive) = body.strip_prefix("statlint-") {
            let mut words = directive.split(|c: char| c == ',' || c.is_whitespace());
            let name = words.next().unwrap_or("");
            let kind = match name {
                "disable-next-line" => DirectiveKind::DisableNextLine,
                "disable" => DirectiveKind::Disable,
                "enable" => DirectiveKind::Enable,
                other => DirectiveKind::Unknown(format!("statlint-{other}")),
            };
            let rules = words
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            let span = Span::new(offset + rest + open, offset + end);
            debug_assert!(source.get(span.range()).is_some());
            out.push(Directive { kind, rules, span });
        }
        rest = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        prose(source).text
    }

    #[test]
    fn markup_code_and_html_are_deleted_line_breaks_kept() {
        let cases = [
            ("# 标题\n\n正文。", "# 标题\n\n正文。"),
            ("正文。\n\n## 二、成效\n", "正文。\n\n 二、成效\n"),
            ("驻村辅警**901**人。", "驻村辅警901人。"),
            ("- 第一项\n- 第二项\n", " 第一项\n 第二项\n"),
            ("> 引文8亿余万元。\n", " 引文8亿余万元。\n"),
            ("见[通报](http://x/1.html)。", "见通报。"),
            ("甲\n\n```\n止付8亿余万元\n```\n乙", "甲\n\n\n\n\n乙"),
            ("甲`8亿余万元`乙", "甲乙"),
            ("<!-- 8亿余万元 -->\n甲", "\n甲"),
            (
                "| 项目 | 数 |\n|---|---|\n| 案件 | 147起 |\n",
                "\t 项目\t 数\n\n\t 案件\t 147起\n",
            ),
            ("项目 | 数\n--|--\n案件|12\n", "项目\t 数\n\n案件\t12\n"),
            ("1. 第一\n2. 第二\n", " 第一\n 第二\n"),
            ("---\ntitle: x 8亿余万元\n---\n\n正文\n", "\n\n\n\n正文\n"),
            ("文字\\*号", "文字*号"),
        ];
        for (source, expected) in cases {
            assert_eq!(text(source), expected, "{source:?}");
        }
    }

    #[test]
    fn table_cells_are_regions_with_row_and_column() {
        let source = "正文。\n\n| 项目 | 数量 |\n|---|---|\n| 刑事案件 | 147起 |\n";
        let cells: Vec<(&str, RegionKind)> = table_cells(source)
            .iter()
            .map(|r| (&source[r.span.range()], r.kind))
            .collect();
        let cell = |row, column| RegionKind::TableCell {
            table: 1,
            row,
            column,
        };
        assert_eq!(
            cells,
            [
                ("项目", cell(1, 1)),
                ("数量", cell(1, 2)),
                ("刑事案件", cell(2, 1)),
                ("147起", cell(2, 2)),
            ]
        );
    }

    #[test]
    fn only_a_leading_heading_keeps_its_hash() {
        assert_eq!(text("<!-- x -->\n# 标题\n正文"), "\n# 标题\n正文");
        assert_eq!(text("正文\n\n# 小节\n"), "正文\n\n 小节\n");
    }

    #[test]
    fn spans_map_back_into_the_source() {
        let source = "# 标题\n\n全市**889**个行政村已配备驻村辅警*901*人。";
        let p = prose(source);
        for figure in ["889个", "901人"] {
            let at = p.text.find(figure).unwrap();
            let span = p.to_source(Span::new(at, at + figure.len()));
            let digits = &figure[..3];
            assert!(source[span.range()].starts_with(digits), "{figure}");
            assert!(source[span.range()].ends_with(&figure[3..]), "{figure}");
        }
        let at = p.text.find("标题").unwrap();
        assert_eq!(
            &source[p.to_source(Span::new(at, at + "标题".len())).range()],
            "标题"
        );
        assert_eq!(p.to_source(Span::new(0, 0)), Span::new(0, 0));
    }

    #[test]
    fn directives_are_parsed_with_their_rules() {
        let source = "<!-- statlint-disable-next-line malformed-amount, staff -->\n甲\n\n\
                      段落<!-- statlint-disable -->内\n\n<!-- statlint-enable -->\n\
                      <!-- statlint-disabel x -->\n<!-- 普通注释 -->\n";
        let p = prose(source);
        let got: Vec<_> = p
            .directives
            .iter()
            .map(|d| (d.kind.clone(), d.rules.clone(), &source[d.span.range()]))
            .collect();
        assert_eq!(
            got,
            [
                (
                    DirectiveKind::DisableNextLine,
                    vec!["malformed-amount".to_string(), "staff".to_string()],
                    "<!-- statlint-disable-next-line malformed-amount, staff -->"
                ),
                (DirectiveKind::Disable, vec![], "<!-- statlint-disable -->"),
                (DirectiveKind::Enable, vec![], "<!-- statlint-enable -->"),
                (
                    DirectiveKind::Unknown("statlint-disabel".into()),
                    vec!["x".to_string()],
                    "<!-- statlint-disabel x -->"
                ),
            ]
        );
    }
}
