//! LanguageTool's HTTP API (`/v2/check`, `/v2/languages`), so that the clients editors already
//! have (LibreOffice's remote checker, add-ins, `language_tool_python`) underline the
//! contradicting figures inside the document. The response has the shape LanguageTool
//! documents; offsets and lengths are in UTF-16 code units, as LanguageTool (a Java program)
//! counts them and its clients expect.
//!
//! Each figure of a finding is a match of its own, so that a client underlines both figures of
//! a contradiction; all carry the finding's message.

use crate::report::FileReport;
use crate::span::Span;
use serde_json::{Value, json};

/// The one language statlint checks, as `/v2/languages` lists it.
pub fn languages() -> Value {
    json!([{ "name": "Chinese", "code": "zh", "longCode": "zh-CN" }])
}

/// A `data` field that is not what LanguageTool accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the `data` field is not LanguageTool's annotated text: {0}")]
pub struct DataError(pub String);

/// The text to check and where each of its bytes came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotated {
    /// What statlint checks: the text parts, and each markup part as its `interpretAs`.
    pub text: String,
    /// Pieces of `text` in order: where it starts in `text` (bytes), where its part starts in the
    /// original (text and markup, UTF-16 units), and whether it is text (offsets inside it
    /// map one to one) or markup (every offset inside maps to the markup's start).
    pieces: Vec<Piece>,
    /// The original's length in UTF-16 units.
    original_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    start: usize,
    original: usize,
    text: bool,
}

/// LanguageTool's annotated text: `{"annotation": [{"text": …}, {"markup": …, "interpretAs":
/// …}, …]}`. Offsets of the response are positions in the original (text and markup together),
/// as LanguageTool reports them.
pub fn annotated(data: &str) -> Result<Annotated, DataError> {
    let value: Value =
        serde_json::from_str(data).map_err(|e| DataError(format!("not JSON: {e}")))?;
    let parts = value
        .get("annotation")
        .and_then(Value::as_array)
        .ok_or_else(|| DataError("no `annotation` array".into()))?;
    let mut out = Annotated::default();
    for (index, part) in parts.iter().enumerate() {
        let field = |name: &str| match part.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(DataError(format!(
                "`{name}` of part {index} is not a string"
            ))),
        };
        let (text, original, is_text) = match (field("text")?, field("markup")?) {
            (Some(text), None) => (text, text, true),
            (None, Some(markup)) => (field("interpretAs")?.unwrap_or(""), markup, false),
            _ => {
                return Err(DataError(format!(
                    "part {index} has neither or both of `text` and `markup`"
                )));
            }
        };
        out.pieces.push(Piece {
            start: out.text.len(),
            original: out.original_len,
            text: is_text,
        });
        out.text.push_str(text);
        out.original_len += original.encode_utf16().count();
    }
    Ok(out)
}

impl Annotated {
    /// The original's position (UTF-16) where a match starting at byte `offset` of
    /// [`Annotated::text`] starts: inside a markup part's `interpretAs`, the markup's start.
    fn original_start(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.start <= offset);
        let Some(piece) = index.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        if piece.text {
            piece.original + self.text[piece.start..offset].encode_utf16().count()
        } else {
            piece.original
        }
    }

    /// The original's position where a match ending at byte `offset` ends: the piece holding
    /// the byte before it decides, so that a match ends before the markup that follows it;
    /// inside a markup part, the markup's end.
    fn original_end(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.start < offset);
        let Some(piece) = index.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        if piece.text {
            piece.original + self.text[piece.start..offset].encode_utf16().count()
        } else {
            self.pieces
                .get(index)
                .map_or(self.original_len, |p| p.original)
        }
    }
}

/// UTF-16 positions of byte offsets of `text`, computed in one pass.
fn utf16_positions(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let (mut byte, mut units) = (0, 0);
    for i in order {
        let target = offsets[i].min(text.len());
        if let Some(between) = text.get(byte..target) {
            units += between.encode_utf16().count();
            byte = target;
        }
        out[i] = units;
    }
    out
}

/// Where a client's positions come from: a plain `text`, or the annotated `data`.
pub enum Positions<'a> {
    Text,
    Annotated(&'a Annotated),
}

/// What the response needs to know of the rules: a rule's summary by id.
pub type Summaries<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// The `/v2/check` response for `report` (whose text is what was checked).
pub fn response(
    report: &FileReport,
    language: &str,
    positions: Positions,
    summary: Summaries,
) -> Value {
    let text = &report.text;
    // Every figure of every finding, once per finding, in text order.
    let mut figures: Vec<(Span, usize)> = Vec::new();
    for (k, finding) in report.findings.iter().enumerate() {
        let spans: Vec<Span> = if finding.labels.is_empty() {
            vec![finding.span]
        } else {
            finding.labels.iter().map(|l| l.span).collect()
        };
        for span in spans {
            let valid = span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            if valid && !figures.contains(&(span, k)) {
                figures.push((span, k));
            }
        }
    }
    figures.sort_by_key(|&(s, k)| (s.start, s.end, k));
    let offsets: Vec<usize> = figures.iter().flat_map(|(s, _)| [s.start, s.end]).collect();
    let original: Vec<usize> = match positions {
        Positions::Text => utf16_positions(text, &offsets),
        Positions::Annotated(a) => offsets
            .chunks(2)
            .flat_map(|pair| [a.original_start(pair[0]), a.original_end(pair[1])])
            .collect(),
    };
    let matches: Vec<Value> = figures
        .iter()
        .enumerate()
        .map(|(i, &(span, k))| {
            let finding = &report.findings[k];
            let description = summary(&finding.rule).unwrap_or_else(|| finding.message.clone());
            let (context, context_offset) = context(text, span);
            json!({
                "message": finding.message,
                "shortMessage": description,
                "replacements": [],
                "offset": original[2 * i],
                "length": original[2 * i + 1] - original[2 * i],
                "context": {
                    "text": context,
                    "offset": context_offset,
                    "length": text[span.start..span.end].encode_utf16().count(),
                },
                "sentence": sentence(text, span),
                "type": { "typeName": "Other" },
                "rule": {
                    "id": finding.rule,
                    "description": description,
                    "issueType": "inconsistency",
                    "category": { "id": "STATLINT", "name": "数字一致性 (statlint)" },
                },
                "ignoreForIncompleteSentence": false,
                "contextForSureMatch": 0,
            })
        })
        .collect();
    json!({
        "software": {
            "name": "statlint",
            "version": env!("CARGO_PKG_VERSION"),
            "buildDate": "",
            "apiVersion": 1,
            "premium": false,
            "status": "",
        },
        "warnings": { "incompleteResults": false },
        "language": {
            "name": "Chinese",
            "code": if language.is_empty() || language == "auto" { "zh-CN" } else { language },
            "detectedLanguage": { "name": "Chinese", "code": "zh-CN", "confidence": 1.0 },
        },
        "matches": matches,
    })
}

/// Characters of context on each side of a match, as LanguageTool gives about.
const CONTEXT_CHARS: usize = 40;

/// The match with up to [`CONTEXT_CHARS`] characters on each side (within its line), and the
/// match's offset in it (UTF-16).
fn context(text: &str, span: Span) -> (String, usize) {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let before: Vec<char> = text[line_start..span.start].chars().collect();
    let before: String = before[before.len().saturating_sub(CONTEXT_CHARS)..]
        .iter()
        .collect();
    let after: String = text[span.end..line_end]
        .chars()
        .take(CONTEXT_CHARS)
        .collect();
    let offset = before.encode_utf16().count();
    (
        format!("{before}{}{after}", &text[span.start..span.end]),
        offset,
    )
}

/// The sentence holding the match: from after the previous sentence end (or line break) to the
/// next one, inclusive.
fn sentence(text: &str, span: Span) -> String {
    let ends = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | '\n');
    let start = text[..span.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[span.end..]
        .char_indices()
        .find(|&(_, c)| ends(c))
        .map_or(text.len(), |(i, c)| {
            span.end + i + if c == '\n' { 0 } else { c.len_utf8() }
        });
    text[start..end].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Label};
    use crate::rules::Severity;

    fn finding(spans: &[Span]) -> Finding {
        Finding {
            rule: "r".into(),
            severity: Severity::Error,
            message: "矛盾".into(),
            help: None,
            span: spans[0],
            labels: spans
                .iter()
                .map(|&span| Label {
                    span,
                    message: "数".into(),
                })
                .collect(),
        }
    }

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        Span {
            start,
            end: start + needle.len(),
        }
    }

    fn no_summary(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn offsets_count_utf16_units() {
        // `𠮷` is outside the BMP: one character, two UTF-16 units, four UTF-8 bytes.
        let text = "𠮷共12人。\n其中13人。";
        let report = FileReport {
            text: text.into(),
            findings: vec![finding(&[span_of(text, "12人"), span_of(text, "13人")])],
            ..FileReport::default()
        };
        let value = response(&report, "zh-CN", Positions::Text, &no_summary);
        let matches = value["matches"].as_array().unwrap();
        assert_eq!(matches.len(), 2);
        // 𠮷(2) 共(1) → 3; then 12人。\n其中 → 3 + 3 + 1 + 1 + 2 = 10.
        assert_eq!(
            (matches[0]["offset"].as_u64(), matches[0]["length"].as_u64()),
            (Some(3), Some(3))
        );
        assert_eq!(
            (matches[1]["offset"].as_u64(), matches[1]["length"].as_u64()),
            (Some(10), Some(3))
        );
        assert_eq!(matches[0]["context"]["text"], "𠮷共12人。");
        assert_eq!(matches[0]["context"]["offset"], 3);
        assert_eq!(matches[1]["context"]["text"], "其中13人。");
        assert_eq!(matches[1]["sentence"], "其中13人。");
        assert_eq!(matches[0]["sentence"], "𠮷共12人。");
        assert_eq!(matches[0]["rule"]["id"], "r");
        assert_eq!(matches[0]["rule"]["description"], "矛盾");
        assert_eq!(value["language"]["code"], "zh-CN");
    }

    #[test]
    fn annotated_offsets_count_the_markup() {
        let data = r#"{"annotation":[{"text":"共"},{"markup":"<b>","interpretAs":""},{"text":"12人"},{"markup":"</b>"},{"markup":"<p>","interpretAs":"\n\n"},{"text":"其中13人"}]}"#;
        let a = annotated(data).unwrap();
        assert_eq!(a.text, "共12人\n\n其中13人");
        let text = a.text.clone();
        let report = FileReport {
            text: text.clone(),
            findings: vec![finding(&[span_of(&text, "12人"), span_of(&text, "13人")])],
            ..FileReport::default()
        };
        let value = response(&report, "auto", Positions::Annotated(&a), &no_summary);
        let m = value["matches"].as_array().unwrap();
        // Original: 共<b>12人</b><p>其中13人 — `12人` at 1 + 3 = 4, `13人` at 4 + 3 + 4 + 3 + 2 = 16.
        assert_eq!(
            (m[0]["offset"].as_u64(), m[0]["length"].as_u64()),
            (Some(4), Some(3))
        );
        assert_eq!(
            (m[1]["offset"].as_u64(), m[1]["length"].as_u64()),
            (Some(16), Some(3))
        );
    }

    #[test]
    fn bad_data_is_refused() {
        for data in [
            "not json",
            r#"{"text":"x"}"#,
            r#"{"annotation":[{"text":1}]}"#,
            r#"{"annotation":[{"text":"a","markup":"b"}]}"#,
            r#"{"annotation":[{}]}"#,
        ] {
            assert!(annotated(data).is_err(), "{data}");
        }
    }

    #[test]
    fn the_languages_list_zh_cn() {
        assert_eq!(languages()[0]["longCode"], "zh-CN");
    }
}
