//! Printers for `statlint extract`: what the recognizer saw, for rule authors.

use super::json::span_json;
use crate::interval::Bound;
use crate::recognize::Quantity;
use crate::span::{LineIndex, Span};
use serde_json::{Value, json};
use std::io::{self, Write};

/// `{"version":1, "path", "quantities":[{"text","span","low","high","low_open","high_open",
/// "unit","kind"}]}` with bounds as decimal strings, null when unbounded.
pub fn print_quantities_json(
    name: &str,
    text: &str,
    quantities: &[(Span, &Quantity)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let index = LineIndex::new(text);
    let list: Vec<Value> = quantities
        .iter()
        .map(|(span, q)| {
            json!({
                "text": text.get(span.range()).unwrap_or(""),
                "span": span_json(&index, text, *span),
                "low": bound(q.value.low),
                "high": bound(q.value.high),
                "low_open": q.value.low.is_open(),
                "high_open": q.value.high.is_open(),
                "unit": q.unit.as_ref().map(|u| u.text.clone()),
                "kind": q.kind,
            })
        })
        .collect();
    let document = json!({"version": 1, "path": name, "quantities": list});
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn bound(bound: Bound) -> Value {
    match bound.value() {
        Some(v) => Value::String(v.normalize().to_string()),
        None => Value::Null,
    }
}

/// One line per quantity: `line:col  text  value  unit  kind`.
pub fn print_quantities_human(
    text: &str,
    quantities: &[(Span, &Quantity)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let index = LineIndex::new(text);
    for (span, q) in quantities {
        let at = index.position(text, span.start);
        let kind = serde_json::to_value(q.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let malformed = q
            .malformed
            .map(|m| format!("  malformed: {m:?}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}:{}\t{}\t{}\t{}\t{}{}",
            at.line,
            at.column,
            text.get(span.range()).unwrap_or(""),
            q.value,
            q.unit.as_ref().map_or("-", |u| u.text.as_str()),
            kind,
            malformed,
        )?;
    }
    Ok(())
}
