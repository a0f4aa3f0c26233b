//! Inline suppressions in Markdown: `<!-- statlint-disable-next-line RULE -->` and
//! `<!-- statlint-disable RULE -->` … `<!-- statlint-enable -->`.
//!
//! A suppression that suppresses nothing is itself reported, as a warning of the meta rule
//! [`UNUSED_SUPPRESSION`]: once a figure is corrected its comment should go, or it will silently
//! hide the next mistake on that line. So is a comment naming a rule that does not exist, an
//! unknown `statlint-…` word (a typo would otherwise suppress nothing, silently) and an `enable`
//! with nothing to enable. A comment naming a rule that is not checked in this file (deselected
//! or ignored for it) is not reported: whether it would be used cannot be known.

use crate::config::matches_rule;
use crate::finding::Finding;
use crate::load::markdown::{Directive, DirectiveKind};
use crate::rules::Severity;
use crate::segment;
use crate::span::Span;

/// The id of the meta rule under which unused suppressions are reported.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";
pub const UNUSED_SUPPRESSION_SUMMARY: &str = "抑制注释没有抑制任何问题";
pub const UNUSED_SUPPRESSION_EXPLANATION: &str = "Markdown 稿件中的 `<!-- statlint-disable-next-line 规则 -->`、`<!-- statlint-disable 规则 -->` … \
`<!-- statlint-enable -->` 注释用来接受已知的问题。数字改正后注释如果留着，就会悄悄掩盖同一处以后出现的错误；\
规则名写错的注释则从未起作用。删除这样的注释，或改正其中的规则名。";

/// What a file's rules are, for judging its suppressions.
pub struct Rules<'a> {
    /// Is this a rule statlint knows (any loaded rule, checked here or not)?
    pub known: &'a dyn Fn(&str) -> bool,
    /// Is this rule checked in this file?
    pub active: &'a dyn Fn(&str) -> bool,
}

struct Region {
    directive: usize,
    /// `None`: every rule.
    selector: Option<String>,
    span: Span,
    used: bool,
}

/// Drop the findings the directives suppress; return the rest, and a finding for each directive
/// (or rule named in one) that suppressed nothing.
pub fn apply(
    text: &str,
    directives: &[Directive],
    findings: Vec<Finding>,
    rules: &Rules,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut regions: Vec<Region> = Vec::new();
    let mut problems: Vec<Finding> = Vec::new();
    // Only `disable-next-line` needs the lines; a plain-text file has no directive at all.
    let mut lines: Option<Vec<Span>> = None;
    for (i, directive) in directives.iter().enumerate() {
        let selectors: Vec<Option<String>> = if directive.rules.is_empty() {
            vec![None]
        } else {
            directive.rules.iter().cloned().map(Some).collect()
        };
        match &directive.kind {
            DirectiveKind::DisableNextLine => {
                let after = text[directive.span.end..]
                    .find('\n')
                    .map_or(text.len(), |n| directive.span.end + n + 1);
                let line = lines
                    .get_or_insert_with(|| segment::lines(text))
                    .iter()
                    .find(|l| l.start >= after && !text[l.range()].trim().is_empty())
                    .copied()
                    .unwrap_or(Span::new(text.len(), text.len()));
                for selector in selectors {
                    regions.push(Region {
                        directive: i,
                        selector,
                        span: line,
                        used: false,
                    });
                }
            }
            DirectiveKind::Disable => {
                for selector in selectors {
                    regions.push(Region {
                        directive: i,
                        selector,
                        span: Span::new(directive.span.end, text.len()),
                        used: false,
                    });
                }
            }
            DirectiveKind::Enable => {
                let mut closed = false;
                for region in regions.iter_mut() {
                    let open = matches!(directives[region.directive].kind, DirectiveKind::Disable)
                        && region.span.end == text.len();
                    let named = directive.rules.is_empty()
                        || region
                            .selector
                            .as_ref()
                            .is_some_and(|s| directive.rules.contains(s));
                    if open && named {
                        region.span.end = directive.span.start;
                        closed = true;
                    }
                }
                if !closed {
                    problems.push(meta(
                        directive.span,
                        format!(
                            "“{}”前没有与之对应的 statlint-disable",
                            comment(text, directive)
                        ),
                        "删除这条注释，或在它前面写上对应的 statlint-disable",
                    ));
                }
            }
            DirectiveKind::Unknown(word) => problems.push(meta(
                directive.span,
                format!("无法识别的指令 {word}"),
                "可用的指令：statlint-disable-next-line、statlint-disable、statlint-enable",
            )),
        }
    }

    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let mut suppressed = false;
        for region in regions.iter_mut() {
            let inside = region.span.start <= finding.span.start
                && finding.span.start < region.span.end.max(region.span.start + 1);
            let names = region
                .selector
                .as_deref()
                .is_none_or(|s| matches_rule(s, &finding.rule));
            if inside && names {
                region.used = true;
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }

    for region in regions.iter().filter(|r| !r.used) {
        let directive = &directives[region.directive];
        let comment = comment(text, directive);
        match &region.selector {
            Some(s) if !(rules.known)(s) => problems.push(meta(
                directive.span,
                format!("“{comment}”中的规则 {s} 不存在"),
                "`statlint rules` 列出所有规则；改正规则名，或删除这条注释",
            )),
            Some(s) if !(rules.active)(s) => {}
            Some(s) => problems.push(meta(
                directive.span,
                format!("“{comment}”没有抑制任何 {s} 问题"),
                "问题已经改正时，删除这条注释（或其中的这个规则名）",
            )),
            None => problems.push(meta(
                directive.span,
                format!("“{comment}”没有抑制任何问题"),
                "问题已经改正时，删除这条注释",
            )),
        }
    }
    problems.sort_by_key(|f| f.span);
    (kept, problems)
}

/// The comment's text without `<!--`/`-->`, for messages.
fn comment<'t>(text: &'t str, directive: &Directive) -> &'t str {
    text[directive.span.range()]
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
}

fn meta(span: Span, message: String, help: &str) -> Finding {
    Finding {
        rule: UNUSED_SUPPRESSION.to_string(),
        severity: Severity::Warning,
        message,
        help: Some(help.to_string()),
        span,
        labels: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::prose;

    fn finding(text: &str, rule: &str, figure: &str) -> Finding {
        let start = text.find(figure).unwrap();
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            message: String::new(),
            help: None,
            span: Span::new(start, start + figure.len()),
            labels: Vec::new(),
        }
    }

    fn run(text: &str, findings: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
        let known = |id: &str| ["malformed-amount", "staff-exceeds-villages"].contains(&id);
        let active = |id: &str| id == "malformed-amount" || id == "staff-exceeds-villages";
        let rules = Rules {
            known: &known,
            active: &active,
        };
        let findings = findings
            .iter()
            .map(|(rule, fig)| finding(text, rule, fig))
            .collect();
        let (kept, unused) = apply(text, &prose(text).directives, findings, &rules);
        (
            kept.iter()
                .map(|f| text[f.span.range()].to_string())
                .collect(),
            unused.iter().map(|f| f.message.clone()).collect(),
        )
    }

    #[test]
    fn next_line_skips_blank_lines_and_names_rules() {
        let text = "<!-- statlint-disable-next-line malformed-amount -->\n\n甲8亿余万元。\n乙2亿余万元。\n";
        let (kept, unused) = run(
            text,
            &[
                ("malformed-amount", "8亿余万元"),
                ("malformed-amount", "2亿余万元"),
            ],
        );
        assert_eq!(kept, ["2亿余万元"]);
        assert!(unused.is_empty(), "{unused:?}");
    }

    #[test]
    fn disable_enable_region() {
        let text = "甲1亿余万元。\n<!-- statlint-disable -->\n乙2亿余万元。\n<!-- statlint-enable -->\n丙3亿余万元。\n";
        let (kept, unused) = run(
            text,
            &[
                ("malformed-amount", "1亿余万元"),
                ("malformed-amount", "2亿余万元"),
                ("malformed-amount", "3亿余万元"),
            ],
        );
        assert_eq!(kept, ["1亿余万元", "3亿余万元"]);
        assert!(unused.is_empty(), "{unused:?}");
    }

    #[test]
    fn unused_unknown_and_unmatched_are_reported() {
        let text = "<!-- statlint-disable-next-line staff-exceeds-villages -->\n甲8亿余万元。\n\
                    <!-- statlint-disable-next-line no-such-rule -->\n乙\n\
                    <!-- statlint-enable -->\n<!-- statlint-disabel -->\n";
        let (kept, unused) = run(text, &[("malformed-amount", "8亿余万元")]);
        assert_eq!(kept, ["8亿余万元"]);
        assert_eq!(
            unused,
            [
                "“statlint-disable-next-line staff-exceeds-villages”没有抑制任何 staff-exceeds-villages 问题",
                "“statlint-disable-next-line no-such-rule”中的规则 no-such-rule 不存在",
                "“statlint-enable”前没有与之对应的 statlint-disable",
                "无法识别的指令 statlint-disabel",
            ]
        );
    }
}
