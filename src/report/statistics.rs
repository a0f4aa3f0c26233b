//! `--statistics`: how many findings each rule produced, instead of the findings themselves.

use super::{FileReport, RuleInfo};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Counts by rule, most frequent first (ties by id): a table, or with `json` one object
/// `{"version":1,"statistics":[{"rule","count","summary"}]}`.
pub fn print_statistics(
    reports: &[FileReport],
    rules: &[RuleInfo],
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in reports.iter().flat_map(|r| &r.findings) {
        *counts.entry(&finding.rule).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let summary = |id: &str| {
        rules
            .iter()
            .find(|r| r.id == id)
            .map_or("", |r| r.summary.as_str())
    };
    if json {
        let rows: Vec<_> = rows
            .iter()
            .map(|(rule, count)| json!({"rule": rule, "count": count, "summary": summary(rule)}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &json!({"version": 1, "statistics": rows}))?;
        return writeln!(out);
    }
    let width = rows.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
    for (rule, count) in &rows {
        writeln!(out, "{count:>5}  {rule:width$}  {}", summary(rule))?;
    }
    Ok(())
}
