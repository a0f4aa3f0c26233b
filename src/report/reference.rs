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

/// The examples of a rule under their headings, in the order the reference shows them.
fn example_groups(rule: &Rule) -> Vec<(&'static str, Vec<String>)> {
    [
        (Expect::Fail, "Fires on"),
        (Expect::Pass, "Stays silent on"),
        (
            Expect::Undetermined,
            "Undetermined (reported only with `--strict`)",
        ),
    ]
    .into_iter()
    .map(|(expect, title)| {
        let texts = rule
            .examples
            .iter()
            .filter(|e| e.expect == expect)
            .map(|e| e.text.trim().replace('\n', " ⏎ "))
            .collect();
        (title, texts)
    })
    .filter(|(_, texts): &(_, Vec<String>)| !texts.is_empty())
    .collect()
}

/// One rule's documentation for a terminal, as `statlint rule ID` prints it: the reference's
/// section without its Markdown.
pub fn rule_text(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{} ({}, scope {})\n\n{}\n\n{}\n",
        rule.id,
        rule.severity.as_str(),
        rule.scope.as_str(),
        rule.summary,
        plain(rule.explanation.trim_end())
    );
    for (title, texts) in example_groups(rule) {
        let _ = writeln!(out, "\n{}:", plain(title));
        for text in texts {
            let _ = writeln!(out, "  - {text}");
        }
    }
    out
}

/// Markdown's emphasis and code marks taken out, for a terminal.
fn plain(markdown: &str) -> String {
    markdown.replace("**", "").replace('`', "")
}

/// One rule's documentation in Markdown: summary, explanation and examples (the rule
/// reference, SARIF's `help.markdown`).
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
    for (title, texts) in example_groups(rule) {
        let _ = writeln!(out, "\n{title}:\n");
        for text in texts {
            let _ = writeln!(out, "- {text}");
        }
    }
    out
}
