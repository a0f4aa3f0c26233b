//! The statement lexicon (`rules/lexicon-statements.toml`): verbs, objects, qualifiers, change
//! words, role markers, fillers and periods, read from TOML and checked on load.
//!
//! Every word of every table goes into one leftmost-longest automaton, so a phrase around a
//! figure is read in one pass and `刑事案件` wins over `案件`. A word may belong to several
//! tables (`去年同期` is a period and a base marker); [`Word`] says everything it is.

use aho_corasick::{AhoCorasick, MatchKind};
use miette::Diagnostic;
use serde::Deserialize;
use std::collections::HashMap;
use thiserror::Error;

/// Why the statement lexicon could not be loaded.
#[derive(Debug, Error, Diagnostic)]
pub enum LexiconError {
    #[error("the statement lexicon is not valid TOML or not of the expected shape: {message}")]
    #[diagnostic(code(statlint::statements::lexicon))]
    Syntax { message: String },
    #[error("invalid statement lexicon entry `{entry}`: {reason}")]
    #[diagnostic(code(statlint::statements::entry))]
    Entry { entry: String, reason: String },
}

fn entry_error(entry: &str, reason: impl Into<String>) -> LexiconError {
    LexiconError::Entry {
        entry: entry.to_string(),
        reason: reason.into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    verb: Vec<RawVerb>,
    object: Vec<RawObject>,
    change: Vec<RawChange>,
    markers: RawMarkers,
    fillers: RawFillers,
    period: Vec<RawPeriod>,
    #[serde(default)]
    qualifier: Vec<RawWords>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerb {
    words: Vec<String>,
    #[serde(default)]
    objects: HashMap<String, String>,
    /// The object the word names itself (`缴毒`: 毒品).
    object: Option<String>,
    /// The verb the word stands for when it is not its own first word (`缴毒`: 缴获).
    canonical: Option<String>,
    /// The verb causes what the figure after it counts (`造成`): the verb after the figure says
    /// what happened (`造成14人受伤`).
    #[serde(default)]
    causative: bool,
    /// What befalls people in one event (`死亡`, `受伤`).
    #[serde(default)]
    event: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObject {
    words: Vec<String>,
    family: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWords {
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    words: Vec<String>,
    direction: Direction,
    #[serde(default)]
    noun: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkers {
    comparison: Vec<String>,
    base: Vec<String>,
    from: Vec<String>,
    to: Vec<String>,
    part: Vec<String>,
    among: Vec<String>,
    complete: Vec<String>,
    include: Vec<String>,
    rest: Vec<String>,
    sum: Vec<String>,
    total: Vec<String>,
    overall: Vec<String>,
    respectively: Vec<String>,
    each: Vec<String>,
    share: Vec<String>,
    average: Vec<String>,
    rate_suffix: String,
    scope: Vec<String>,
    pairs: Vec<String>,
    plurals: Vec<String>,
    evolution: Vec<String>,
    list_units: Vec<String>,
    list_counters: Vec<String>,
    list_categories: Vec<String>,
    real_terms: Vec<String>,
    ranking: Vec<String>,
    list_opener: Vec<String>,
    etc: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFillers {
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    words: Vec<String>,
    canonical: String,
}

/// Which way a change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// A word that gives a figure its role or ties it to another figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marker {
    Comparison,
    Base,
    From,
    To,
    Part,
    Among,
    Complete,
    Include,
    Rest,
    Sum,
    Total,
    Overall,
    Respectively,
    Each,
    Share,
    Average,
    RealTerms,
    Ranking,
    Scope,
    ListOpener,
    Etc,
}

impl Marker {
    const ALL: [Marker; 21] = [
        Marker::Comparison,
        Marker::Base,
        Marker::From,
        Marker::To,
        Marker::Part,
        Marker::Among,
        Marker::Complete,
        Marker::Include,
        Marker::Rest,
        Marker::Sum,
        Marker::Total,
        Marker::Overall,
        Marker::Respectively,
        Marker::Each,
        Marker::Share,
        Marker::Average,
        Marker::RealTerms,
        Marker::Ranking,
        Marker::Scope,
        Marker::ListOpener,
        Marker::Etc,
    ];

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of markers, as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Markers(u32);

impl Markers {
    pub fn contains(self, marker: Marker) -> bool {
        self.0 & marker.bit() != 0
    }

    pub fn insert(&mut self, marker: Marker) {
        self.0 |= marker.bit();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Marker> {
        Marker::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

/// A change word: `上升` (a verb), `降幅` (a noun naming the rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub direction: Direction,
    pub noun: bool,
}

/// Everything one word of the lexicon is.
#[derive(Debug, Clone, Default)]
pub struct Word {
    pub text: Box<str>,
    /// The canonical verb (index into [`Lexicon::verbs`]).
    pub verb: Option<u16>,
    /// The canonical object (index into [`Lexicon::objects`]).
    pub object: Option<u16>,
    /// The canonical qualifier (index into [`Lexicon::qualifiers`]).
    pub qualifier: Option<u16>,
    pub change: Option<Change>,
    pub markers: Markers,
    pub filler: bool,
    /// A causative verb (`造成`, `导致`).
    pub causative: bool,
    /// The canonical period (index into [`Lexicon::periods`]).
    pub period: Option<u16>,
}

/// A canonical verb and the objects it counts by default, per unit family.
#[derive(Debug, Clone)]
pub struct Verb {
    pub name: Box<str>,
    /// What befalls people in one accident or disaster: a headline's figure of it is the
    /// lead's figure.
    pub event: bool,
    pub default_objects: HashMap<String, u16>,
}

/// A canonical object and the unit family it is counted in, if it has one.
#[derive(Debug, Clone)]
pub struct Object {
    pub name: Box<str>,
    pub family: Option<Box<str>>,
}

/// The statement lexicon, compiled.
#[derive(Debug)]
pub struct Lexicon {
    matcher: AhoCorasick,
    words: Vec<Word>,
    pub verbs: Vec<Verb>,
    pub objects: Vec<Object>,
    pub qualifiers: Vec<Box<str>>,
    pub periods: Vec<Box<str>>,
    /// The character a rate's name ends with (`率`).
    pub rate_suffix: char,
    /// Words that name two subjects at once (`城乡`).
    pub pairs: Vec<Box<str>>,
    /// Words that make one subject stand for several (`两地`, `各地`, `双方`): one such subject
    /// before `分别` may have several values.
    pub plurals: Vec<Box<str>>,
    /// Words telling that the people counted in an event changed after the first count.
    pub evolution: Vec<Box<str>>,
    /// Units that count the items of a list right before them.
    pub list_units: Vec<Box<str>>,
    /// Classifiers that count a list when a category noun follows them.
    pub list_counters: Vec<Box<str>>,
    pub list_categories: Vec<Box<str>>,
}

/// One word found in a phrase: where, and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Found<'l> {
    pub start: usize,
    pub end: usize,
    pub word: &'l Word,
}

const STANDARD: &str = include_str!("../../rules/lexicon-statements.toml");

impl Lexicon {
    /// The embedded standard lexicon, loaded once.
    pub fn standard() -> &'static Lexicon {
        static STANDARD_LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        STANDARD_LEXICON.get_or_init(|| {
            Lexicon::parse(STANDARD).expect("the embedded statement lexicon is checked by tests")
        })
    }

    pub fn parse(src: &str) -> Result<Lexicon, LexiconError> {
        let raw: RawLexicon = toml::from_str(src).map_err(|e| LexiconError::Syntax {
            message: e.message().to_string(),
        })?;
        Builder::default().build(raw)
    }

    /// Every word of the lexicon in `text`, leftmost-longest, in order; offsets into `text`.
    pub fn find<'l, 't>(&'l self, text: &'t str) -> impl Iterator<Item = Found<'l>> + use<'l, 't> {
        self.matcher.find_iter(text).map(|m| Found {
            start: m.start(),
            end: m.end(),
            word: &self.words[m.pattern().as_usize()],
        })
    }

    /// The lexicon's entry for exactly `text`, if it is a word.
    pub fn word(&self, text: &str) -> Option<&Word> {
        self.words.iter().find(|w| &*w.text == text)
    }

    pub fn verb_name(&self, verb: u16) -> &str {
        &self.verbs[usize::from(verb)].name
    }

    pub fn object_name(&self, object: u16) -> &str {
        &self.objects[usize::from(object)].name
    }

    /// The unit family `object` is counted in, if the lexicon says.
    pub fn object_family(&self, object: u16) -> Option<&str> {
        self.objects[usize::from(object)].family.as_deref()
    }

    pub fn qualifier_name(&self, qualifier: u16) -> &str {
        &self.qualifiers[usize::from(qualifier)]
    }

    pub fn period_name(&self, period: u16) -> &str {
        &self.periods[usize::from(period)]
    }

    /// Whether a verb names what befalls people in one event (`死亡`, `受伤`).
    pub fn is_event(&self, verb: u16) -> bool {
        self.verbs[usize::from(verb)].event
    }

    /// Whether a unit counts the items of a list right before it (`4省`, `五类`).
    pub fn is_list_unit(&self, unit: &str) -> bool {
        self.list_units.iter().any(|u| &**u == unit)
    }

    /// Whether a classifier counts a list when a category noun follows it (`5个支队`).
    pub fn is_list_counter(&self, unit: &str) -> bool {
        self.list_counters.iter().any(|u| &**u == unit)
    }

    /// The category noun `text` starts with, if any (`支队`, `派出所`, `机制`).
    pub fn category_at_start(&self, text: &str) -> Option<&str> {
        self.list_categories
            .iter()
            .filter(|c| text.starts_with(&***c))
            .map(|c| &**c)
            .max_by_key(|c| c.len())
    }

    /// The object a verb counts when the text names none, for a unit family.
    pub fn default_object(&self, verb: u16, family: &str) -> Option<u16> {
        self.verbs[usize::from(verb)]
            .default_objects
            .get(family)
            .copied()
    }
}

#[derive(Default)]
struct Builder {
    words: Vec<Word>,
    index: HashMap<String, usize>,
    verbs: Vec<Verb>,
    objects: Vec<Object>,
    qualifiers: Vec<Box<str>>,
    periods: Vec<Box<str>>,
}

impl Builder {
    /// The entry of `text`, made on first use.
    fn word(&mut self, text: &str, table: &str) -> Result<&mut Word, LexiconError> {
        if text.trim().is_empty() || text.trim() != text {
            return Err(entry_error(
                text,
                format!("an empty or padded word in `{table}`"),
            ));
        }
        let at = match self.index.get(text) {
            Some(&at) => at,
            None => {
                self.words.push(Word {
                    text: text.into(),
                    ..Word::default()
                });
                self.index.insert(text.to_string(), self.words.len() - 1);
                self.words.len() - 1
            }
        };
        Ok(&mut self.words[at])
    }

    fn object_index(&mut self, name: &str) -> Result<u16, LexiconError> {
        if let Some(at) = self.objects.iter().position(|o| &*o.name == name) {
            return Ok(at as u16);
        }
        Err(entry_error(
            name,
            "a verb's object must be the first word of an [[object]]",
        ))
    }

    fn build(mut self, raw: RawLexicon) -> Result<Lexicon, LexiconError> {
        for object in &raw.object {
            let canonical = first(&object.words, "object")?;
            let at = self.objects.len() as u16;
            self.objects.push(Object {
                name: canonical.into(),
                family: object.family.as_deref().map(Into::into),
            });
            for word in &object.words {
                let entry = self.word(word, "object")?;
                if entry.object.is_some() {
                    return Err(entry_error(word, "listed as two objects"));
                }
                entry.object = Some(at);
            }
        }
        for qualifier in &raw.qualifier {
            let canonical = first(&qualifier.words, "qualifier")?;
            let at = self.qualifiers.len() as u16;
            self.qualifiers.push(canonical.into());
            for word in &qualifier.words {
                let entry = self.word(word, "qualifier")?;
                if entry.qualifier.is_some() {
                    return Err(entry_error(word, "listed as two qualifiers"));
                }
                entry.qualifier = Some(at);
            }
        }
        for verb in &raw.verb {
            self.verb(verb)?;
        }
        for change in &raw.change {
            for word in &change.words {
                let entry = self.word(word, "change")?;
                if entry.change.is_some() {
                    return Err(entry_error(word, "listed as two changes"));
                }
                entry.change = Some(Change {
                    direction: change.direction,
                    noun: change.noun,
                });
            }
        }
        self.markers(&raw.markers)?;
        for filler in &raw.fillers.words {
            self.word(filler, "fillers")?.filler = true;
        }
        for period in &raw.period {
            let at = self.periods.len() as u16;
            self.periods.push(period.canonical.as_str().into());
            for word in &period.words {
                let entry = self.word(word, "period")?;
                if entry.period.is_some() {
                    return Err(entry_error(word, "listed as two periods"));
                }
                entry.period = Some(at);
            }
        }
        let mut rate_suffix = raw.markers.rate_suffix.chars();
        let (Some(rate_suffix), None) = (rate_suffix.next(), rate_suffix.next()) else {
            return Err(entry_error(
                &raw.markers.rate_suffix,
                "`rate_suffix` is one character",
            ));
        };
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(self.words.iter().map(|w| w.text.as_bytes()))
            .map_err(|e| LexiconError::Syntax {
                message: e.to_string(),
            })?;
        Ok(Lexicon {
            matcher,
            words: self.words,
            verbs: self.verbs,
            objects: self.objects,
            qualifiers: self.qualifiers,
            periods: self.periods,
            rate_suffix,
            pairs: boxed(&raw.markers.pairs),
            plurals: boxed(&raw.markers.plurals),
            evolution: boxed(&raw.markers.evolution),
            list_units: boxed(&raw.markers.list_units),
            list_counters: boxed(&raw.markers.list_counters),
            list_categories: boxed(&raw.markers.list_categories),
        })
    }

    fn verb(&mut self, verb: &RawVerb) -> Result<(), LexiconError> {
        let first_word = first(&verb.words, "verb")?;
        // A compound (`缴毒`) joins the verb it names; otherwise the first word is canonical.
        let at = match &verb.canonical {
            Some(name) => self
                .verbs
                .iter()
                .position(|v| &*v.name == name)
                .ok_or_else(|| entry_error(name, "`canonical` names an earlier verb"))?,
            None => {
                let mut default_objects = HashMap::new();
                for (family, object) in &verb.objects {
                    default_objects.insert(family.clone(), self.object_index(object)?);
                }
                self.verbs.push(Verb {
                    name: first_word.into(),
                    event: verb.event,
                    default_objects,
                });
                self.verbs.len() - 1
            }
        };
        let object = verb
            .object
            .as_deref()
            .map(|o| self.object_index(o))
            .transpose()?;
        for word in &verb.words {
            let entry = self.word(word, "verb")?;
            if entry.verb.is_some() {
                return Err(entry_error(word, "listed as two verbs"));
            }
            entry.verb = Some(at as u16);
            entry.causative = verb.causative;
            if object.is_some() {
                entry.object = object;
            }
        }
        Ok(())
    }

    fn markers(&mut self, raw: &RawMarkers) -> Result<(), LexiconError> {
        let tables: [(&[String], Marker, &str); 21] = [
            (&raw.comparison, Marker::Comparison, "comparison"),
            (&raw.base, Marker::Base, "base"),
            (&raw.from, Marker::From, "from"),
            (&raw.to, Marker::To, "to"),
            (&raw.part, Marker::Part, "part"),
            (&raw.among, Marker::Among, "among"),
            (&raw.complete, Marker::Complete, "complete"),
            (&raw.include, Marker::Include, "include"),
            (&raw.rest, Marker::Rest, "rest"),
            (&raw.sum, Marker::Sum, "sum"),
            (&raw.total, Marker::Total, "total"),
            (&raw.overall, Marker::Overall, "overall"),
            (&raw.respectively, Marker::Respectively, "respectively"),
            (&raw.each, Marker::Each, "each"),
            (&raw.share, Marker::Share, "share"),
            (&raw.average, Marker::Average, "average"),
            (&raw.scope, Marker::Scope, "scope"),
            (&raw.real_terms, Marker::RealTerms, "real_terms"),
            (&raw.ranking, Marker::Ranking, "ranking"),
            (&raw.list_opener, Marker::ListOpener, "list_opener"),
            (&raw.etc, Marker::Etc, "etc"),
        ];
        for (words, marker, table) in tables {
            if words.is_empty() {
                return Err(entry_error(table, "a marker table needs at least one word"));
            }
            for word in words {
                self.word(word, table)?.markers.insert(marker);
            }
        }
        Ok(())
    }
}

fn boxed(words: &[String]) -> Vec<Box<str>> {
    words.iter().map(|w| w.as_str().into()).collect()
}

fn first<'a>(words: &'a [String], table: &str) -> Result<&'a str, LexiconError> {
    words
        .first()
        .map(String::as_str)
        .ok_or_else(|| entry_error(table, "an entry needs at least one word"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_lexicon_loads() {
        let lexicon = Lexicon::parse(STANDARD).unwrap_or_else(|e| panic!("{e}"));
        let word = |w: &str| lexicon.word(w).unwrap_or_else(|| panic!("{w} is a word"));
        assert_eq!(lexicon.verb_name(word("侦破").verb.unwrap()), "破获");
        assert_eq!(
            lexicon.object_name(word("刑案").object.unwrap()),
            "刑事案件"
        );
        let jiaodu = word("缴毒");
        assert_eq!(lexicon.verb_name(jiaodu.verb.unwrap()), "缴获");
        assert_eq!(lexicon.object_name(jiaodu.object.unwrap()), "毒品");
        assert!(word("去年同期").markers.contains(Marker::Base));
        assert_eq!(
            lexicon.period_name(word("去年同期").period.unwrap()),
            "去年"
        );
        assert_eq!(
            word("降幅").change,
            Some(Change {
                direction: Direction::Down,
                noun: true
            })
        );
        let zhuahuo = word("抓获").verb.unwrap();
        let suspect = lexicon.default_object(zhuahuo, "person").unwrap();
        assert_eq!(lexicon.object_name(suspect), "犯罪嫌疑人");
    }

    #[test]
    fn words_are_found_leftmost_longest() {
        let lexicon = Lexicon::standard();
        let found: Vec<&str> = lexicon
            .find("共破获各类刑事案件同比下降")
            .map(|f| &*f.word.text)
            .collect();
        assert_eq!(found, ["共", "破获", "各类", "刑事案件", "同比", "下降"]);
    }

    #[test]
    fn mistakes_in_a_lexicon_are_errors() {
        let base = STANDARD.replace("words = [\"刑事案件\", \"刑案\", \"刑事案\"]", "words = []");
        assert!(matches!(
            Lexicon::parse(&base),
            Err(LexiconError::Entry { .. })
        ));
        let twice = STANDARD.replace("words = [\"案件\", \"案\"]", "words = [\"案件\", \"刑案\"]");
        assert!(matches!(
            Lexicon::parse(&twice),
            Err(LexiconError::Entry { .. })
        ));
        let unknown = format!("{STANDARD}\n[extra]\nx = 1\n");
        assert!(matches!(
            Lexicon::parse(&unknown),
            Err(LexiconError::Syntax { .. })
        ));
        let bad_object = STANDARD.replace(
            "objects = { case = \"案件\" }",
            "objects = { case = \"无此对象\" }",
        );
        assert!(matches!(
            Lexicon::parse(&bad_object),
            Err(LexiconError::Entry { .. })
        ));
    }
}
