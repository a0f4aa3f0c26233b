//! `--statistics`: how many findings each rule produced, instead of the findings themselves.

use super::{FileError, FileReport, Printer, RuleInfo};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Counts by rule, most frequent first (ties by id): a table, or with `json` one object
/// `{"version":1,"statistics":[{"rule","count","summary"}]}`. Nothing can be printed before the
/// last document is counted, but only the counts are kept: one number a rule, whatever the
/// corpus.
pub struct Statistics<'a> {
    rules: &'a [RuleInfo],
    json: bool,
    counts: BTreeMap<String, usize>,
}

impl<'a> Statistics<'a> {
    pub fn new(rules: &'a [RuleInfo], json: bool) -> Statistics<'a> {
        Statistics {
            rules,
            json,
            counts: BTreeMap::new(),
        }
    }
}

impl Printer for Statistics<'_> {
    fn file(&mut self, report: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        for finding in &report.findings {
            match self.counts.get_mut(&finding.rule) {
                Some(count) => *count += 1,
                None => {
                    self.counts.insert(finding.rule.clone(), 1);
                }
            }
        }
        Ok(())
    }

    /// Counts are of findings; the failure itself is on stderr and in the exit code.
    fn failure(&mut self, _error: &FileError, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut rows: Vec<(&str, usize)> =
            self.counts.iter().map(|(r, n)| (r.as_str(), *n)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let summary = |id: &str| {
            self.rules
                .iter()
                .find(|r| r.id == id)
                .map_or("", |r| r.summary.as_str())
        };
        if self.json {
            let rows: Vec<_> = rows
                .iter()
                .map(
                    |(rule, count)| json!({"rule": rule, "count": count, "summary": summary(rule)}),
                )
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
}
