//! Web and e-mail addresses in a text (`http://www.example.gov.cn/2023/1/100.html`,
//! `abc123@163.com`): the digits inside them are no figures.

use crate::span::Span;

/// The beginnings of a web address.
const URL_STARTS: [&str; 4] = ["https://", "http://", "ftp://", "www."];

/// The address spans of one text, sorted.
pub(crate) struct Addresses {
    spans: Vec<Span>,
}

impl Addresses {
    /// Finds the addresses of `text`. Most texts have none: three substring searches tell.
    pub(crate) fn new(text: &str) -> Addresses {
        let mut spans = Vec::new();
        if text.contains("://") || text.contains("www.") {
            spans.extend(urls(text));
        }
        if text.contains('@') {
            spans.extend(emails(text));
        }
        spans.sort_by_key(|s| (s.start, s.end));
        Addresses { spans }
    }

    /// Whether `span` overlaps an address.
    pub(crate) fn overlaps(&self, span: Span) -> bool {
        let first = self.spans.partition_point(|s| s.end <= span.start);
        self.spans.get(first).is_some_and(|s| s.start < span.end)
    }
}

/// A character an address may hold: printable ASCII other than the quotes and brackets that
/// close it in running text.
fn url_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '(' | ')' | '[' | ']')
}

fn urls(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some((at, start)) = URL_STARTS
        .iter()
        .filter_map(|s| text[from..].find(s).map(|i| (from + i, *s)))
        .min_by_key(|(i, _)| *i)
    {
        let end = at
            + start.len()
            + text[at + start.len()..]
                .find(|c: char| !url_char(c))
                .unwrap_or(text.len() - at - start.len());
        spans.push(Span::new(at, end));
        from = end;
    }
    spans
}

/// `local@domain.tld`: ASCII letters, digits and `._%+-` before the `@`, a domain with a dot
/// after it.
fn emails(text: &str) -> Vec<Span> {
    let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    let mut spans = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| local(c))
            .last()
            .map_or(at, |(i, _)| i);
        let after = at + 1;
        let end = after
            + text[after..]
                .find(|c: char| !domain(c))
                .unwrap_or(text.len() - after);
        if start < at && text[after..end].contains('.') {
            spans.push(Span::new(start, end));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_web_and_mail_addresses() {
        let text = "见http://www.gov.cn/2023/12/100个，或来信abc123@163.com，共5人";
        let a = Addresses::new(text);
        let at = |s: &str| {
            let i = text.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        assert!(a.overlaps(at("100")));
        assert!(a.overlaps(at("123")));
        assert!(a.overlaps(at("163")));
        assert!(!a.overlaps(at("5人")));
        assert!(!a.overlaps(at("个")));
        assert!(!Addresses::new("共5人@").overlaps(Span::new(0, 3)));
    }
}
