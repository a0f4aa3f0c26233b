//! Fingerprints: what identifies a finding across edits of its document.
//!
//! Line numbers move whenever a paragraph is added above a finding, so neither the baseline nor
//! SARIF's `partialFingerprints` use them. A finding is identified by its rule, the figures it
//! involves as written, and a little text on either side of its primary figure: an edit elsewhere
//! leaves all three alone, and changing one of the figures makes it a new finding.

use crate::finding::Finding;

/// How many characters (whitespace not counted) of context to take on each side.
const CONTEXT_CHARS: usize = 8;

/// The figures of a finding as written: the text under each label in source order, or under the
/// primary span when the finding has no labels. Whitespace inside (a line break in a figure) is
/// dropped so that re-wrapping a paragraph does not change them.
pub fn figures(text: &str, finding: &Finding) -> Vec<String> {
    let spans: Vec<_> = if finding.labels.is_empty() {
        vec![finding.span]
    } else {
        finding.labels.iter().map(|l| l.span).collect()
    };
    spans
        .iter()
        .map(|s| squeeze(text.get(s.range()).unwrap_or("")))
        .collect()
}

/// Up to [`CONTEXT_CHARS`] characters before the primary span, the span's text, and as many after,
/// whitespace dropped.
pub fn context(text: &str, finding: &Finding) -> String {
    let span = finding.span;
    let before: Vec<char> = text
        .get(..span.start)
        .unwrap_or("")
        .chars()
        .rev()
        .filter(|c| !c.is_whitespace())
        .take(CONTEXT_CHARS)
        .collect();
    let after: String = text
        .get(span.end..)
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(CONTEXT_CHARS)
        .collect();
    let mut out: String = before.into_iter().rev().collect();
    out.push_str(&squeeze(text.get(span.range()).unwrap_or("")));
    out.push_str(&after);
    out
}

/// A stable 64-bit hash (FNV-1a) of the rule, figures and context, as 16 hex digits. Stable
/// across Rust releases and platforms, unlike `std`'s default hasher.
pub fn fingerprint(rule: &str, figures: &[String], context: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator that cannot occur in UTF-8 keeps ("ab","c") apart from ("a","bc").
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    feed(rule.as_bytes());
    for figure in figures {
        feed(figure.as_bytes());
    }
    feed(context.as_bytes());
    format!("{hash:016x}")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Label;
    use crate::rules::Severity;
    use crate::span::Span;

    fn finding(text: &str, figure: &str) -> Finding {
        let start = text.find(figure).unwrap();
        Finding {
            rule: "r".into(),
            severity: Severity::Error,
            message: String::new(),
            help: None,
            span: Span::new(start, start + figure.len()),
            labels: vec![Label {
                span: Span::new(start, start + figure.len()),
                message: String::new(),
            }],
        }
    }

    #[test]
    fn survives_edits_elsewhere_but_not_a_changed_figure() {
        let a = "第一段。\n\n止付涉诈资金8亿余万元。\n";
        let b = "新增的一段，很长很长。\n\n第一段。\n\n止付涉诈资金8亿余万元。\n";
        let c = "第一段。\n\n止付涉诈资金9亿余万元。\n";
        let key = |text: &str, fig: &str| {
            let f = finding(text, fig);
            fingerprint("r", &figures(text, &f), &context(text, &f))
        };
        assert_eq!(key(a, "8亿余万元"), key(b, "8亿余万元"));
        assert_ne!(key(a, "8亿余万元"), key(c, "9亿余万元"));
    }

    #[test]
    fn context_skips_whitespace_and_stops_at_the_ends() {
        let text = "资金\n8亿余万元。";
        let f = finding(text, "8亿余万元");
        assert_eq!(context(text, &f), "资金8亿余万元。");
    }

    #[test]
    fn separator_keeps_fields_apart() {
        assert_ne!(
            fingerprint("r", &["ab".into(), "c".into()], ""),
            fingerprint("r", &["a".into(), "bc".into()], "")
        );
    }
}
