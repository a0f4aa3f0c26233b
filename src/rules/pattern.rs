//! Fact patterns: regexes with macros that stand for the recognizer's grammar.
//!
//! `{num}`, `{count}`, `{pct}` and `{cls}` expand to the recognizer's own fragments (so a
//! pattern reads every spelling of a figure the recognizer reads); `{list}` expands to an
//! enumeration `甲、乙和丙`, whose items the engine splits after matching. A macro is a lowercase
//! name in braces; `{0,20}` and other repetition counts are left to the regex.

use super::Group;
use super::expr::Type;
use crate::recognize::Recognizer;
use crate::span::Span;
use regex::{Regex, RegexBuilder};

/// One list item: no sentence punctuation, separator, quote, bracket or Arabic digit, and not
/// 等 (which ends a partial list: `罗某、汪某等4人`).
const ITEM: &str = r#"[^\s，。；：、,.;:!?！？“”‘’"'（）()\[\]【】《》<>0-9%等和及与或]{1,12}"#;
/// Conjunctions that join the last item: `湖南、湖北和广东`.
const CONJUNCTION: &str = "(?:以及|和|及|与|或)";

/// Regex size limit for one compiled pattern: generous for real rules, small enough that a
/// pathological rule file is an error instead of a memory blow-up.
const SIZE_LIMIT: usize = 8 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    UnknownMacro { name: String, span: Span },
    Syntax { message: String, span: Span },
    Compile { message: String },
}

#[derive(Debug, Clone)]
pub struct CompiledPattern {
    pub regex: Regex,
    pub groups: Vec<Group>,
}

fn list_pattern() -> String {
    format!("{ITEM}(?:、{ITEM})+(?:{CONJUNCTION}{ITEM})?")
}

/// Expand the macros of `src` and compile it.
pub fn compile(src: &str, recognizer: &Recognizer) -> Result<CompiledPattern, PatternError> {
    let macros = find_macros(src);
    let mut expanded = String::with_capacity(src.len() * 4);
    let mut placeholder = String::with_capacity(src.len());
    let mut cursor = 0;
    for (name, span) in &macros {
        let fragment = match name.as_str() {
            "list" => list_pattern(),
            other => recognizer
                .macro_pattern(other)
                .ok_or_else(|| PatternError::UnknownMacro {
                    name: other.to_string(),
                    span: *span,
                })?
                .to_string(),
        };
        expanded.push_str(&src[cursor..span.start]);
        expanded.push_str("(?:");
        expanded.push_str(&fragment);
        expanded.push(')');
        placeholder.push_str(&src[cursor..span.start]);
        placeholder.push_str(&format!("(?:{})", "x".repeat(span.len() - 4)));
        cursor = span.end;
    }
    expanded.push_str(&src[cursor..]);
    placeholder.push_str(&src[cursor..]);

    // Parse the placeholder form: same length as the source, so syntax errors and groups have
    // spans into what the rule author wrote.
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(&placeholder)
        .map_err(|e| PatternError::Syntax {
            message: e.kind().to_string(),
            span: Span::new(
                e.span().start.offset,
                e.span().end.offset.max(e.span().start.offset),
            ),
        })?;
    let mut groups = Vec::new();
    collect_groups(&ast, src, &mut groups);

    let regex = RegexBuilder::new(&expanded)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| PatternError::Compile {
            message: match e {
                regex::Error::CompiledTooBig(limit) => {
                    format!("the pattern compiles to more than {limit} bytes")
                }
                other => other.to_string(),
            },
        })?;
    Ok(CompiledPattern { regex, groups })
}

/// `{name}` macros of a pattern (not preceded by a backslash), with their spans.
fn find_macros(src: &str) -> Vec<(String, Span)> {
    let bytes = src.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' => {
                let name_len = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_lowercase() || **b == b'_')
                    .count();
                let close = i + 1 + name_len;
                if name_len > 0 && bytes.get(close) == Some(&b'}') {
                    found.push((src[i + 1..close].to_string(), Span::new(i, close + 1)));
                    i = close + 1;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// Named capture groups in pattern order, typed by the macros they contain.
fn collect_groups(ast: &regex_syntax::ast::Ast, src: &str, out: &mut Vec<Group>) {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(group) => {
            if let GroupKind::CaptureName { name, .. } = &group.kind {
                let body = &src[group.ast.span().start.offset..group.ast.span().end.offset];
                out.push(Group {
                    name: name.name.clone(),
                    ty: group_type(body),
                });
            }
            collect_groups(&group.ast, src, out);
        }
        Ast::Concat(concat) => concat.asts.iter().for_each(|a| collect_groups(a, src, out)),
        Ast::Alternation(alt) => alt.asts.iter().for_each(|a| collect_groups(a, src, out)),
        Ast::Repetition(rep) => collect_groups(&rep.ast, src, out),
        _ => {}
    }
}

fn group_type(body: &str) -> Type {
    if body.contains("{list}") {
        Type::List
    } else if ["{num}", "{count}", "{pct}"]
        .iter()
        .any(|m| body.contains(m))
    {
        Type::Num
    } else {
        Type::Text
    }
}

/// The items of a list that `{list}` matched at `span` of `text`, and the list's span after
/// trimming its first item.
///
/// The regex cannot tell where a list starts: in `一张涉及湖南、湖北、广东、海南4省` the first
/// item would run back to `一张涉及湖南`. So the first item is cut to the length of the longest
/// other item; lists of like things have items of like length (`湖南`, `庞某`, `刑事案件数`).
pub fn split_list(text: &str, span: Span) -> (Span, Vec<Span>) {
    // Compiled once: `split_list` runs for every list a rule captures, and compiling the
    // alternation each time cost ~70 µs per list (the whole run on 100,000 lists).
    static CONJUNCTION_RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    let conjunction = CONJUNCTION_RE
        .get_or_init(|| Regex::new(CONJUNCTION).ok())
        .as_ref();
    let mut items: Vec<Span> = Vec::new();
    let mut start = span.start;
    for (i, c) in text[span.range()].char_indices() {
        if c == '、' {
            items.push(Span::new(start, span.start + i));
            start = span.start + i + c.len_utf8();
        }
    }
    let last = Span::new(start, span.end);
    // `和` and friends join only the last item: `湖北和广东` is two items.
    match conjunction.and_then(|re| re.find(&text[last.range()]).filter(|m| m.start() > 0)) {
        Some(m) if last.start + m.end() < last.end => {
            items.push(Span::new(last.start, last.start + m.start()));
            items.push(Span::new(last.start + m.end(), last.end));
        }
        _ => items.push(last),
    }
    let longest_other = items[1..]
        .iter()
        .map(|s| text[s.range()].chars().count())
        .max()
        .unwrap_or(usize::MAX);
    let first = items[0];
    let first_chars = text[first.range()].chars().count();
    if first_chars > longest_other {
        let cut = text[first.range()]
            .char_indices()
            .nth(first_chars - longest_other)
            .map_or(first.start, |(i, _)| first.start + i);
        items[0] = Span::new(cut, first.end);
    }
    (Span::new(items[0].start, span.end), items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_are_found_but_not_repetitions_or_escapes() {
        let found = find_macros(r"(?P<v>{num})个.{0,20}\{cls}{list}{Bad}");
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["num", "list"]);
        assert_eq!(found[0].1, Span::new(6, 11));
    }

    #[test]
    fn group_types_follow_their_macros() {
        let cases = [
            ("{list}", Type::List),
            ("{num}", Type::Num),
            ("约?{count}", Type::Num),
            ("{pct}", Type::Num),
            ("破获|抓获", Type::Text),
        ];
        for (body, ty) in cases {
            assert_eq!(group_type(body), ty, "{body}");
        }
    }

    #[test]
    fn lists_split_and_trim_their_first_item() {
        let cases = [
            (
                "一张涉及湖南、湖北、广东、海南",
                vec!["湖南", "湖北", "广东", "海南"],
            ),
            ("毒、枪、诈、赌、黄", vec!["毒", "枪", "诈", "赌", "黄"]),
            ("犯罪嫌疑人庞某、程某", vec!["庞某", "程某"]),
            ("湖南、湖北和广东", vec!["湖南", "湖北", "广东"]),
            ("城中村、出租屋和旅馆", vec!["城中村", "出租屋", "旅馆"]),
        ];
        for (text, expected) in cases {
            let (_, items) = split_list(text, Span::new(0, text.len()));
            let got: Vec<&str> = items.iter().map(|s| &text[s.range()]).collect();
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn list_regex_matches_enumerations_only() {
        let re = Regex::new(&list_pattern()).unwrap();
        let cases = [
            (
                "涉及湖南、湖北、广东、海南4省",
                Some("湖南、湖北、广东、海南"),
            ),
            ("一张网络覆盖湖南、湖北4省", Some("一张网络覆盖湖南、湖北")),
            ("“毒、枪、诈、赌、黄”等五类", Some("毒、枪、诈、赌、黄")),
            ("抓获犯罪嫌疑人18名，缴获毒品370克", None),
        ];
        for (text, expected) in cases {
            assert_eq!(re.find(text).map(|m| m.as_str()), expected, "{text}");
        }
    }
}
