//! Rule examples as tests: every `[[rule.example]]` is checked with its own rule alone, and an
//! example that misbehaves is a diagnostic pointing at the example in its rule file.

use super::{Expect, Rule, RuleSet};
use crate::evaluate::{self, Analysis, Options};
use crate::recognize::Recognizer;
use crate::source::SharedSource;
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic)]
#[error("rule `{rule}`: example expected to {expected} but it {actual}")]
#[diagnostic(code(statlint::rule_example))]
pub struct ExampleFailure {
    pub rule: String,
    pub expected: &'static str,
    pub actual: String,
    /// The rule file, shared by every failure in it (issue 19: 10,000 failing examples each
    /// held a copy of their file, 5.8 GB).
    #[source_code]
    pub src: SharedSource,
    #[label("this example")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

/// Run every example of every rule; the misbehaving ones are returned.
pub fn run(rules: &RuleSet, recognizer: &Recognizer) -> Vec<ExampleFailure> {
    rules
        .rules
        .iter()
        .flat_map(|rule| check_examples(rule, recognizer))
        .collect()
}

fn check_examples(rule: &Rule, recognizer: &Recognizer) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for example in &rule.examples {
        let analysis = Analysis::new(&example.text, recognizer);
        let run = |strict: bool| {
            let mut findings = Vec::new();
            evaluate::check_rule(
                &analysis,
                rule,
                recognizer,
                Options { strict },
                &mut findings,
            );
            findings
        };
        let findings = run(false);
        let (expected, ok) = match example.expect {
            Expect::Pass => ("pass", findings.is_empty()),
            Expect::Fail => ("fail", !findings.is_empty()),
            Expect::Undetermined => (
                "be undetermined",
                findings.is_empty() && !run(true).is_empty(),
            ),
        };
        if ok {
            continue;
        }
        let actual = match findings.first() {
            Some(f) => format!("fired: {}", f.message),
            None if example.expect == Expect::Undetermined => {
                "stayed silent under --strict too".to_string()
            }
            None => "stayed silent".to_string(),
        };
        let help = match example.expect {
            Expect::Fail | Expect::Undetermined => Some(format!(
                "see what statlint reads with `statlint extract` on the example text; the facts of `{}` may not match it",
                rule.id
            )),
            Expect::Pass => None,
        };
        failures.push(ExampleFailure {
            rule: rule.id.clone(),
            expected,
            actual,
            src: rule.named_source(),
            span: example.span.into(),
            help,
        });
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::SourceFile;
    use std::sync::Arc;

    /// Issue 19: each failing example held a copy of its rule file (10,000: 5.8 GB).
    #[test]
    fn failures_share_their_rule_file() {
        let mut text = String::from(
            "[[rule]]\nid = \"r\"\nsummary = \"s\"\nexplanation = \"e\"\n\
             facts.a = '抓获(?P<v>{num})人'\nassert = \"a > 1000\"\nmessage = \"m\"\n",
        );
        for i in 0..3 {
            text.push_str(&format!(
                "[[rule.example]]\ntext = \"抓获{i}人。\"\nexpect = \"pass\"\n"
            ));
        }
        let recognizer = Recognizer::standard();
        let file = SourceFile::new("team.toml", text);
        let rules = RuleSet::from_sources(vec![Arc::clone(&file)], recognizer).unwrap();
        let failures = run(&rules, recognizer);
        assert_eq!(failures.len(), 3);
        let shared = file.named();
        assert!(failures.iter().all(|f| f.src.shares_text_with(&shared)));
    }
}
