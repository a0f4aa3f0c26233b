//! Printers for `statlint extract --statements`: what statlint understood of each figure — its
//! measure, role, period and links — for rule authors and editors.

use super::json::SpanJson;
use crate::span::{LineIndex, Span};
use crate::statements::{self, Lexicon, Link, Statement, Statements};
use std::io::{self, Write};

/// Everything a printer needs of one document's statements. Spans are in source offsets.
pub struct StatementsView<'a> {
    pub statements: &'a Statements,
    pub lexicon: &'a Lexicon,
    /// Maps a view span of the analysed text to a span of the source file.
    pub to_source: &'a dyn Fn(Span) -> Span,
    /// The source text the spans point into.
    pub source: &'a str,
}

impl StatementsView<'_> {
    fn text(&self, view_span: Span) -> &str {
        let span = (self.to_source)(view_span);
        self.source.get(span.range()).unwrap_or("")
    }

    fn measure(&self, s: &Statement) -> String {
        self.statements.describe_measure(&s.measure, self.lexicon)
    }

    fn period(&self, s: &Statement) -> Option<String> {
        s.period
            .as_ref()
            .map(|p| statements::describe_period(p, self.lexicon))
    }

    fn links(&self, s: &Statement) -> Vec<(Link, usize)> {
        s.links.clone()
    }
}

/// One line per statement: `line:col  figure  role  measure  period  → links`, then the lists
/// and `分别` groups.
pub fn print_statements_human(view: &StatementsView, out: &mut dyn Write) -> io::Result<()> {
    let index = LineIndex::new(view.source);
    let all = &view.statements.statements;
    for (i, s) in all.iter().enumerate() {
        let at = index.position(view.source, (view.to_source)(s.span).start);
        let mut line = format!(
            "{}:{}\t#{i} {}\t{}",
            at.line,
            at.column,
            view.text(s.span),
            s.role.as_str()
        );
        if let Some(d) = s.direction {
            line.push_str(&format!("({})", d.as_str()));
        }
        line.push('\t');
        line.push_str(&view.measure(s));
        let part = view.statements.part(i);
        if part != statements::PartKind::Body {
            line.push_str(&format!("\tin {}", part.as_str()));
        }
        if let Some(p) = view.period(s) {
            line.push_str(&format!("\tperiod {p}"));
        }
        if s.aggregate {
            line.push_str("\taggregate");
        }
        if s.complete {
            line.push_str("\tcomplete");
        }
        let links = view.links(s);
        if !links.is_empty() {
            let described: Vec<String> = links
                .iter()
                .map(|(l, to)| format!("{} #{to} {}", l.as_str(), view.text(all[*to].span)))
                .collect();
            line.push_str(&format!("\t→ {}", described.join(", ")));
        }
        writeln!(out, "{line}")?;
    }
    for e in &view.statements.enumerations {
        let items: Vec<&str> = e.items.iter().map(|s| view.text(*s)).collect();
        writeln!(
            out,
            "list\t{}\tcounted by #{} {}{}",
            items.join("、"),
            e.count,
            view.text(all[e.count].span),
            if all[e.count].etc {
                " (等: at least)"
            } else {
                ""
            }
        )?;
    }
    for r in &view.statements.respectively {
        let subjects: Vec<&str> = r.subjects.iter().map(|s| view.text(*s)).collect();
        let runs: Vec<String> = r
            .values
            .iter()
            .map(|run| {
                run.iter()
                    .map(|&v| view.text(all[v].span))
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .collect();
        writeln!(
            out,
            "分别\t{} subject(s): {}\tvalues: {}",
            subjects.len(),
            subjects.join("、"),
            runs.join(" | ")
        )?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct MeasureJson {
    verb: Option<String>,
    object: Option<String>,
    qualifiers: Vec<String>,
    subject: Vec<String>,
    family: Option<String>,
    rate: Option<String>,
}

#[derive(serde::Serialize)]
struct LinkJson<'a> {
    link: &'static str,
    to: usize,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct StatementJson<'a> {
    index: usize,
    text: &'a str,
    span: SpanJson,
    role: &'static str,
    direction: Option<&'static str>,
    part: &'static str,
    measure: MeasureJson,
    period: Option<String>,
    aggregate: bool,
    complete: bool,
    links: Vec<LinkJson<'a>>,
}

#[derive(serde::Serialize)]
struct ListJson<'a> {
    items: Vec<&'a str>,
    count: usize,
    at_least: bool,
}

#[derive(serde::Serialize)]
struct RespectivelyJson<'a> {
    subjects: Vec<&'a str>,
    values: Vec<Vec<usize>>,
}

/// The statement part of `extract --statements --format json`: `statements`, `lists` and
/// `respectively`, each statement with its measure, role, period and links (by index).
pub fn statements_json(view: &StatementsView) -> serde_json::Value {
    let index = LineIndex::new(view.source);
    let all = &view.statements.statements;
    let lexicon = view.lexicon;
    let statements: Vec<StatementJson> = all
        .iter()
        .enumerate()
        .map(|(i, s)| StatementJson {
            index: i,
            text: view.text(s.span),
            span: SpanJson::new(&index, view.source, (view.to_source)(s.span)),
            role: s.role.as_str(),
            direction: s.direction.map(|d| d.as_str()),
            part: view.statements.part(i).as_str(),
            measure: MeasureJson {
                verb: s.measure.verb.map(|v| lexicon.verb_name(v).to_string()),
                object: s.measure.object.map(|o| lexicon.object_name(o).to_string()),
                qualifiers: statements::qualifier_names(&s.measure.qualifiers, lexicon),
                subject: statements::qualifier_names(&s.measure.subject, lexicon),
                family: s.measure.family.as_deref().map(str::to_string),
                rate: s.measure.rate.as_deref().map(str::to_string),
            },
            period: view.period(s),
            aggregate: s.aggregate,
            complete: s.complete,
            links: s
                .links
                .iter()
                .map(|(l, to)| LinkJson {
                    link: l.as_str(),
                    to: *to,
                    text: view.text(all[*to].span),
                })
                .collect(),
        })
        .collect();
    let lists: Vec<ListJson> = view
        .statements
        .enumerations
        .iter()
        .map(|e| ListJson {
            items: e.items.iter().map(|s| view.text(*s)).collect(),
            count: e.count,
            at_least: all[e.count].etc,
        })
        .collect();
    let respectively: Vec<RespectivelyJson> = view
        .statements
        .respectively
        .iter()
        .map(|r| RespectivelyJson {
            subjects: r.subjects.iter().map(|s| view.text(*s)).collect(),
            values: r.values.clone(),
        })
        .collect();
    serde_json::json!({
        "statements": statements,
        "lists": lists,
        "respectively": respectively,
    })
}
