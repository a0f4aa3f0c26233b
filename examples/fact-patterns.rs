//! Prints every fact pattern of the standard pack with its macros expanded, one regex a line,
//! capture names removed (`(?P<v>…)` becomes `(?:…)`, so that ripgrep can join the lines into one
//! regex): what `scripts/bench` gives ripgrep as the floor for any regex-based checker.
//!
//! `cargo run --release --example fact-patterns [--timings]`: with `--timings`, each line is
//! replaced by the microseconds the regex takes to compile on its own, its
//! length, the literal sets every match must contain and, for a regex searched anchored, the
//! literals every match begins with.

use statlint::recognize::Recognizer;
use statlint::rules::RuleSet;

fn main() {
    let timings = std::env::args().any(|a| a == "--timings");
    let recognizer = Recognizer::standard();
    let rules = RuleSet::standard(recognizer).expect("the standard pack compiles");
    let names = regex::Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("a valid regex");
    for rule in &rules.rules {
        for fact in &rule.facts {
            for regex in &fact.regexes {
                if timings {
                    let start = std::time::Instant::now();
                    let _ = regex::Regex::new(regex.pattern()).expect("the standard pack compiles");
                    let micros = start.elapsed().as_micros();
                    let required: Vec<&str> = regex.required().collect();
                    let prefix = regex
                        .prefix()
                        .map(|p| format!("\tbegins with {p}"))
                        .or_else(|| regex.suffix().map(|s| format!("\tends with {s}")));
                    println!(
                        "{micros}\t{}.{}\t{}\t{}{}",
                        rule.id,
                        fact.name,
                        regex.pattern().len(),
                        required.join("  &  "),
                        prefix.unwrap_or_default()
                    );
                } else {
                    println!("{}", names.replace_all(regex.pattern(), "(?:"));
                }
            }
        }
    }
}
