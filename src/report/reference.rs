//! The rule reference (`docs/rule-reference.md`), generated from the rule files so that it
//! cannot drift from them; `tests/docs.rs` compares it with the checked-in copy.

use crate::rules::{Expect, Rule, RuleSet};
use std::fmt::Write;

pub fn rule_reference(rules: &RuleSet) -> String {
    let mut out = String::from(
        "# Rule reference\n\n\
         Generated from `rules/*.toml` by `STATLINT_BLESS=1 cargo test --test docs`; do not edit.\n\
         `statlint rule ID` prints the same for one rule.\n\n\
         | rule | severity | scope | summary |\n| --- | --- | --- | --- |\n",
    );
    for rule in &rules.rules {
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} | {} |",
            rule.severity.as_str(),
            rule.scope.as_str(),
            rule.summary,
            id = rule.id
        );
    }
    for rule in &rules.rules {
        out.push('\n');
        out.push_str(&rule_section(rule));
    }
    out
}

/// One rule's documentation: summary, explanation and examples. `statlint rule ID` prints it.
pub fn rule_section(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "## {}\n\n**{}** ({}, scope {})\n\n{}\n",
        rule.id,
        rule.summary,
        rule.severity.as_str(),
        rule.scope.as_str(),
        rule.explanation.trim_end()
    );
    for (expect, title) in [
        (Expect::Fail, "Fires on"),
        (Expect::Pass, "Stays silent on"),
        (
            Expect::Undetermined,
            "Undetermined (reported only with `--strict`)",
        ),
    ] {
        let examples: Vec<_> = rule
            .examples
            .iter()
            .filter(|e| e.expect == expect)
            .collect();
        if examples.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:\n");
        for example in examples {
            let text = example.text.trim().replace('\n', " ⏎ ");
            let _ = writeln!(out, "- {text}");
        }
    }
    out
}
