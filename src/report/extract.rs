//! Printers for `statlint extract`: what the recognizer saw, for rule authors.

use super::json::SpanJson;
use crate::interval::Bound;
use crate::recognize::{Kind, Quantity, readable};
use crate::span::{LineIndex, Span};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::io::{self, Write};

/// `{"version":1, "path", "quantities":[{"text","span","low","high","low_open","high_open",
/// "unit","kind"}]}` with bounds as decimal strings, null when unbounded. Streamed: a file with
/// millions of figures costs no more memory than the figures themselves.
pub fn print_quantities_json(
    name: &str,
    text: &str,
    quantities: &[(Span, &Quantity)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let document = Document {
        path: name,
        quantities: Quantities {
            index: LineIndex::new(text),
            text,
            list: quantities,
        },
        version: 1,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// The same document as [`print_quantities_json`] prints, as a value that more fields can be
/// added to (`extract --statements`).
pub fn quantities_json_value(
    name: &str,
    text: &str,
    quantities: &[(Span, &Quantity)],
) -> serde_json::Result<serde_json::Value> {
    serde_json::to_value(Document {
        path: name,
        quantities: Quantities {
            index: LineIndex::new(text),
            text,
            list: quantities,
        },
        version: 1,
    })
}

/// Keys in alphabetical order, as `serde_json::Value` objects print them.
#[derive(serde::Serialize)]
struct Document<'a> {
    path: &'a str,
    quantities: Quantities<'a>,
    version: u32,
}

struct Quantities<'a> {
    index: LineIndex,
    text: &'a str,
    list: &'a [(Span, &'a Quantity)],
}

impl Serialize for Quantities<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.list.len()))?;
        for (span, q) in self.list {
            seq.serialize_element(&QuantityJson {
                high: bound(q.value.high),
                high_open: q.value.high.is_open(),
                kind: q.kind,
                low: bound(q.value.low),
                low_open: q.value.low.is_open(),
                span: SpanJson::new(&self.index, self.text, *span),
                text: self.text.get(span.range()).unwrap_or(""),
                unit: q.unit.as_ref().map(|u| &*u.text),
            })?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct QuantityJson<'a> {
    high: Option<String>,
    high_open: bool,
    kind: Kind,
    low: Option<String>,
    low_open: bool,
    span: SpanJson,
    text: &'a str,
    unit: Option<&'a str>,
}

fn bound(bound: Bound) -> Option<String> {
    bound.value().map(|v| v.normalize().to_string())
}

/// One line per quantity, for an editor: `line:col  figure  unit  kind`. The figure is shown as
/// written, followed by what statlint reads when that is not plain from the writing: the
/// interval as a range (`70余人 (70–80)`, never `(70, 80)`), or the value in the family's base
/// unit (`5万元 (50000)`). The unit is named with its family (`人 (person)`); a malformation is
/// said in Chinese.
pub fn print_quantities_human(
    text: &str,
    quantities: &[(Span, &Quantity)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let index = LineIndex::new(text);
    for (span, q) in quantities {
        let at = index.position(text, span.start);
        let written = text.get(span.range()).unwrap_or("");
        let unit = q
            .unit
            .as_ref()
            .map_or("-".to_string(), |u| format!("{} ({})", u.text, u.family));
        let kind = serde_json::to_value(q.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let malformed = q
            .malformed
            .map(|m| format!("\t格式有误：{}", m.describe()))
            .unwrap_or_default();
        writeln!(
            out,
            "{}:{}\t{}\t{unit}\t{kind}{malformed}",
            at.line,
            at.column,
            figure(written, q),
        )?;
    }
    Ok(())
}

/// The figure as written, with the reading in parentheses unless the writing starts with it
/// (`147起`) or it is a date or malformed (whose value says nothing more).
fn figure(written: &str, q: &Quantity) -> String {
    if q.kind == Kind::Date || q.malformed.is_some() {
        return written.to_string();
    }
    let decimals = [q.value.low.value(), q.value.high.value()]
        .into_iter()
        .flatten()
        .map(readable::decimals_of)
        .max()
        .unwrap_or(0);
    match readable::range(&q.value, decimals) {
        Some(reading) if !written.starts_with(&reading) => format!("{written} ({reading})"),
        _ => written.to_string(),
    }
}
