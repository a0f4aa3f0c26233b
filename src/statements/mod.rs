//! Statements: what each figure counts, what role it plays, and which other figures it refers
//! to — the stage between [`crate::recognize`] and [`crate::evaluate`].
//!
//! A figure that counts something becomes a [`Statement`]: its **measure** (the action and the
//! object counted, with qualifiers: `破获|刑事案件`, `抓获|犯罪嫌疑人`, `受伤|人`), its **role**
//! (a value, a part of a whole, a change rate, a base-period value, a share, …), its **period**
//! and its **links** to other statements (part → whole, change → the values of both periods,
//! share → part and whole, `分别` value → subject, list → count, headline → body). Rules select
//! statements by role and follow links, so one rule covers every phrasing of a relation; the
//! words that tell roles and measures apart are data in `rules/lexicon-statements.toml`.
//!
//! See `docs/statements.md` for how each role and link is found.

mod build;
mod clauses;
pub mod lexicon;
mod links;
mod lists;
mod phrase;

pub use clauses::{Clause, Layout, Paragraph, PartKind, Sentence, Separator};
pub use lexicon::{Direction, Lexicon, LexiconError};

use crate::recognize::Quantity;
use crate::span::Span;

/// What a statement's figure is in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A value of the period the sentence speaks of: `破获刑事案件147起`.
    Total,
    /// A part of a whole stated before it: `其中盗窃40起`.
    Part,
    /// A value of the period compared with: `去年同期1020起`, `由240起下降至…`.
    Base,
    /// A change in percent: `同比上升4.2%`, `降幅15%`.
    ChangeRate,
    /// A change in percentage points: `下降2.3个百分点`.
    ChangePoints,
    /// A change as a difference: `同比增加30件`, `减少1500起`.
    ChangeDiff,
    /// A share of a whole: `占比27.2%`, `占…的45%`.
    Share,
    /// A rate named by its ratio: `结案率为80.3%`.
    Rate,
    /// An average: `平均每个团伙涉案7.4亿元`, `人均`, `日均`.
    Average,
    /// The same value for each of several: `25个村各发展2名`.
    Each,
    /// A rank: `第15名`.
    Rank,
    /// The number of items of an enumeration: `湖南、湖北、广东、海南4省`.
    ListCount,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Total,
        Role::Part,
        Role::Base,
        Role::ChangeRate,
        Role::ChangePoints,
        Role::ChangeDiff,
        Role::Share,
        Role::Rate,
        Role::Average,
        Role::Each,
        Role::Rank,
        Role::ListCount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Total => "total",
            Role::Part => "part",
            Role::Base => "base",
            Role::ChangeRate => "change_rate",
            Role::ChangePoints => "change_points",
            Role::ChangeDiff => "change_diff",
            Role::Share => "share",
            Role::Rate => "rate",
            Role::Average => "average",
            Role::Each => "each",
            Role::Rank => "rank",
            Role::ListCount => "list_count",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The label a finding shows under a figure of this role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Total => "数字",
            Role::Part => "分项",
            Role::Base => "基期数",
            Role::ChangeRate => "变化幅度",
            Role::ChangePoints => "变化百分点",
            Role::ChangeDiff => "增减数",
            Role::Share => "占比",
            Role::Rate => "比率",
            Role::Average => "平均数",
            Role::Each => "每个的数",
            Role::Rank => "名次",
            Role::ListCount => "数量",
        }
    }
}

/// A relation from one statement to others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// Part → the whole it is a part of (also share → the whole of its part).
    Whole,
    /// Whole → each of its parts, in order.
    Parts,
    /// Share → the part it is the share of.
    SharePart,
    /// Whole → the shares of its parts.
    Shares,
    /// Change or base → the value of the current period.
    Current,
    /// Change or current value → the value of the period compared with.
    Base,
    /// Current value or base → the change rate stated for it.
    Rate,
    /// Current value or base → the change in percentage points.
    Points,
    /// Current value, rate or base → the difference stated for it.
    Diff,
    /// A `分别` value → the subject it stands for, when the subjects are figures.
    Subject,
    /// The first `分别` value → every value of its group.
    Values,
    /// A headline statement → the body statements of the same measure and period.
    Restated,
    /// A headline statement → those of its restatements in the lead: the first body
    /// paragraph of the document, or the second, when it holds any.
    Lead,
    /// A body statement → the earlier body statements of the same measure and period.
    Earlier,
    /// A statement → the aggregate of its paragraph it narrows: the same action, object and
    /// period, with qualifiers of its own (`缴获毒品33.5吨…缴获来自“金三角”地区毒品18.7吨`).
    Within,
}

impl Link {
    pub const ALL: [Link; 15] = [
        Link::Whole,
        Link::Parts,
        Link::SharePart,
        Link::Shares,
        Link::Current,
        Link::Base,
        Link::Rate,
        Link::Points,
        Link::Diff,
        Link::Subject,
        Link::Values,
        Link::Restated,
        Link::Lead,
        Link::Earlier,
        Link::Within,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Link::Whole => "whole",
            Link::Parts => "parts",
            Link::SharePart => "share_part",
            Link::Shares => "shares",
            Link::Current => "current",
            Link::Base => "base",
            Link::Rate => "rate",
            Link::Points => "points",
            Link::Diff => "diff",
            Link::Subject => "subject",
            Link::Values => "values",
            Link::Restated => "restated",
            Link::Lead => "lead",
            Link::Earlier => "earlier",
            Link::Within => "within",
        }
    }

    pub fn parse(s: &str) -> Option<Link> {
        Link::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Whether the link leads to several statements (a list) rather than one.
    pub fn is_many(self) -> bool {
        matches!(
            self,
            Link::Parts | Link::Shares | Link::Values | Link::Restated | Link::Lead | Link::Earlier
        )
    }
}

/// A word that narrows what a figure counts: a known qualifier (canonical) or unknown text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    Known(u16),
    Text(Box<str>),
}

/// What a figure counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Measure {
    /// The action, canonical (`破获` for `侦破`).
    pub verb: Option<u16>,
    /// The object counted, canonical (`刑事案件` for `刑案`); the verb's default when unnamed.
    pub object: Option<u16>,
    /// What narrows the object (`盗窃`, `涉毒`, `电诈`), sorted.
    pub qualifiers: Vec<Qualifier>,
    /// Unknown words before the action: who acted, where (`咸安公安`, `会理县`).
    pub subject: Vec<Qualifier>,
    /// The unit family of the figure (`person`, `case`).
    pub family: Option<std::sync::Arc<str>>,
    /// A rate's name (`结案率`).
    pub rate: Option<Box<str>>,
}

impl Measure {
    /// Whether the measure says what is counted at all.
    pub fn is_named(&self) -> bool {
        self.verb.is_some() || self.object.is_some() || !self.qualifiers.is_empty()
    }
}

/// A figure's period: a period word of the lexicon or a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Period {
    Named(u16),
    Date(Box<str>),
}

/// One figure that counts something, and what statlint understood of it.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Index into the document's quantities.
    pub quantity: usize,
    /// The figure, as the recognizer's span (view offsets).
    pub span: Span,
    /// The quantity's kind (`count`, `amount`, `percent`, …).
    pub kind: crate::recognize::Kind,
    pub clause: usize,
    pub role: Role,
    /// For changes: which way (`上升` up, `下降` down); for a new value (`下降至180起`), the
    /// way the change to it went.
    pub direction: Option<Direction>,
    /// The word that states the change, as written (`下降`, `增加`, `降幅`).
    pub change_word: Option<Box<str>>,
    pub measure: Measure,
    pub period: Option<Period>,
    /// What the clauses without figures that open the figure's sentence say, beyond a period
    /// (`在“夏季行动”中，`, `10月当月，`): figures of two such frames are not one figure.
    pub frame: Vec<Qualifier>,
    /// Who or where the sentence speaks of: the figure's subject, or the first one its sentence
    /// names (`最高人民法院收案21081件，结案17855件`: 17855件 is 最高人民法院's too).
    pub topic: Vec<Qualifier>,
    /// The figure describes a noun after it (`收案超万件的法院`, `200万元以上的项目`): an
    /// attribute, not a count of its own.
    pub attributive: bool,
    /// The figure opens a quotation (`“八个显著提升”`): the name of a slogan, a statement only
    /// when it counts the list before it.
    pub quoted: bool,
    /// A sum marker (`共`, `累计`) or the bulletin's scope (`全市`) precedes the figure: it is
    /// an aggregate of its period, not a figure of one case.
    pub aggregate: bool,
    /// For a list count: `等` stands between the list and the count (at least as many).
    pub etc: bool,
    /// For a whole: its parts are all of it (`分别为`, `其余…`, `…，合计61起`).
    pub complete: bool,
    /// Links to other statements, by index, in the order they were found.
    pub links: Vec<(Link, usize)>,
}

impl Statement {
    pub fn linked(&self, link: Link) -> impl Iterator<Item = usize> + '_ {
        self.links
            .iter()
            .filter(move |(l, _)| *l == link)
            .map(|(_, s)| *s)
    }

    pub fn first_linked(&self, link: Link) -> Option<usize> {
        self.linked(link).next()
    }
}

/// An enumeration and the figure that counts it.
#[derive(Debug, Clone)]
pub struct Enumeration {
    /// The items, in view offsets.
    pub items: Vec<Span>,
    /// The whole list as written.
    pub span: Span,
    /// The last item was split from the one before at `和`: the two may be one item.
    pub joined_last: bool,
    /// The statement that counts the list (role [`Role::ListCount`]).
    pub count: usize,
}

/// A `分别` group: values matched one to one with subjects.
#[derive(Debug, Clone)]
pub struct Respectively {
    /// The `分别` marker.
    pub marker: Span,
    /// The subjects: listed words or figures before the marker.
    pub subjects: Vec<Span>,
    /// The last listed subject was split from the one before at `和`.
    pub joined_last: bool,
    /// When the subjects are figures (`收案21081件，结案17855件，同比分别增长…`): their
    /// statements, in order.
    pub subject_statements: Vec<usize>,
    /// The values after the marker (statements), in order; several groups when the values come
    /// in runs (`分别从771家、481家增加到1076家、636家` has two).
    pub values: Vec<Vec<usize>>,
}

/// Every statement of a document, with the layout they were read in.
#[derive(Debug, Clone, Default)]
pub struct Statements {
    pub layout: Layout,
    /// The markers in each clause's text, by clause: a clause without figures (`其中，`) can
    /// still open a breakdown.
    pub clause_markers: Vec<lexicon::Markers>,
    pub statements: Vec<Statement>,
    pub enumerations: Vec<Enumeration>,
    pub respectively: Vec<Respectively>,
}

impl Statements {
    /// Read the statements of a document: its view text, its paragraphs (view spans, the title
    /// first when `title` is set) and its quantities (sorted, view spans).
    pub fn build(
        text: &str,
        paragraphs: &[Span],
        title: Option<Span>,
        quantities: &[Quantity],
        lexicon: &Lexicon,
    ) -> Statements {
        build::build(text, paragraphs, title, quantities, lexicon)
    }

    /// The part of the document a statement stands in.
    pub fn part(&self, statement: usize) -> PartKind {
        self.layout
            .part_of_clause(self.statements[statement].clause)
    }

    /// The statement of a quantity, if that quantity is one.
    pub fn of_quantity(&self, quantity: usize) -> Option<usize> {
        self.statements
            .binary_search_by_key(&quantity, |s| s.quantity)
            .ok()
    }

    /// The measure as a person reads it: `破获|刑事案件[盗窃]`.
    pub fn describe_measure(&self, measure: &Measure, lexicon: &Lexicon) -> String {
        let mut out = String::new();
        if let Some(v) = measure.verb {
            out.push_str(lexicon.verb_name(v));
        }
        out.push('|');
        if let Some(o) = measure.object {
            out.push_str(lexicon.object_name(o));
        }
        if !measure.qualifiers.is_empty() {
            out.push('[');
            out.push_str(&describe_qualifiers(&measure.qualifiers, lexicon));
            out.push(']');
        }
        if let Some(rate) = &measure.rate {
            out.push('(');
            out.push_str(rate);
            out.push(')');
        }
        out
    }
}

/// Each qualifier as written or canonical (`电诈` for every spelling of it).
pub fn qualifier_names(qualifiers: &[Qualifier], lexicon: &Lexicon) -> Vec<String> {
    qualifiers
        .iter()
        .map(|q| match q {
            Qualifier::Known(k) => lexicon.qualifier_name(*k).to_string(),
            Qualifier::Text(t) => t.to_string(),
        })
        .collect()
}

pub fn describe_qualifiers(qualifiers: &[Qualifier], lexicon: &Lexicon) -> String {
    qualifier_names(qualifiers, lexicon).join("、")
}

pub fn describe_period(period: &Period, lexicon: &Lexicon) -> String {
    match period {
        Period::Named(p) => lexicon.period_name(*p).to_string(),
        Period::Date(d) => d.to_string(),
    }
}
