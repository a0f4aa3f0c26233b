//! Fact patterns: regexes with macros that stand for the recognizer's grammar.
//!
//! `{num}`, `{count}`, `{pct}` and `{cls}` expand to the recognizer's own fragments (so a
//! pattern reads every spelling of a figure the recognizer reads); `{list}` expands to an
//! enumeration `甲、乙和丙`, whose items the engine splits after matching. A macro is a lowercase
//! name in braces; `{0,20}` and other repetition counts are left to the regex.

use super::Group;
use super::GroupKind;
use crate::recognize::Recognizer;
use crate::recognize::charset::CharSet;
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{Arc, OnceLock};

/// One list item: no sentence punctuation, separator, quote, bracket or Arabic digit, and not
/// 等 (which ends a partial list: `罗某、汪某等4人`). 及, 与 and 或 end a list too: after them
/// comes a different kind of thing (`部市、院市、校市、央地及京津两市`). 和 may stand inside a
/// name (`民和`, `和平区`); before the last item it joins it (`湖北和广东`).
const ITEM: &str = r#"[^\s，。；：、,.;:!?！？“”‘’"'（）()\[\]【】《》<>0-9%等及与或]{1,12}"#;
/// The conjunction that joins the last item: `湖南、湖北和广东`.
const CONJUNCTION: &str = "和";

/// Regex size limit for one compiled pattern: generous for real rules, small enough that a
/// pathological rule file is an error instead of a memory blow-up.
const SIZE_LIMIT: usize = 8 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    UnknownMacro { name: String, span: Span },
    Syntax { message: String, span: Span },
    Compile { message: String },
}

#[derive(Debug, Clone)]
pub struct CompiledPattern {
    pub regex: FactRegex,
    pub groups: Vec<Group>,
}

/// A compiled fact pattern: its regex (what it dereferences to), and a cheap test that rules a
/// stretch of text out before the regex runs on it.
///
/// The test is exact, never a heuristic: it lists sets of literals such that every match of the
/// regex contains a literal of each set (`其中` for `…{cls}[，,]其中…`; one of `下降`, `减少`, … for
/// `(?:下降|减少|…)了?{pct}`). A haystack without one of them cannot hold a match, so skipping
/// it changes nothing but the time spent; most sentences of a bulletin are skipped this way by
/// most facts, which is what makes the standard pack cheap to run per sentence.
#[derive(Debug, Clone)]
pub struct FactRegex {
    /// The pattern with its macros expanded: what is compiled.
    pattern: Arc<str>,
    /// The compiled regex, built when first searched with (see [`Compilation`]); shared by the
    /// clones, so a pattern a file states twice is compiled once.
    compiled: Arc<OnceLock<Regex>>,
    /// One matcher per required literal set, the most selective first; built on first use,
    /// since checks go through a [`LiteralIndex`] and only [`FactRegex::stretches`] (the
    /// reference the index is tested against) and diagnostics need them.
    required: OnceLock<Vec<LiteralSet>>,
    /// The literals of each set of `required`, in the same order, for [`LiteralIndex`].
    literal_sets: Arc<[Vec<Vec<u8>>]>,
    /// The capture group names by index, read from the parsed pattern, so that looking a group
    /// up does not compile the regex; `None` when the pattern could not be parsed here.
    capture_names: Option<Arc<[Option<Box<str>>]>>,
    /// Characters no match contains (all outside the regex's alphabet), when the regex has
    /// no look-around and no empty match: a match then lies inside one stretch between them.
    barrier: Option<Barrier>,
    /// The set of `literal_sets` one of whose literals begins every match (`破获`, `侦破`, …
    /// for `(?:破获|侦破|…)…{num}`), when there is one and the regex looks at nothing outside
    /// its match (see `alphabet`): such a regex is searched anchored at each occurrence of the
    /// set (see [`FactRegex::anchored`]).
    prefix_set: Option<usize>,
    /// The set of `literal_sets` one of whose literals ends every match (`人`, `名`, `省`, …
    /// for `{list}{count}(?:人|名|省…)`), when the regex looks at nothing outside its match and
    /// has no prefix set: such a regex is searched backwards from each occurrence of the set
    /// for where a match can start, then anchored there (see [`FactRegex::captures_in`]).
    suffix_set: Option<usize>,
    /// `^(?:pattern)`, built when first searched with; `None` inside when it does not compile
    /// (the unanchored regex is searched then).
    anchored: Arc<OnceLock<Option<Regex>>>,
    /// The reverse automaton of a regex with a suffix set, built when first searched with;
    /// `None` inside when it does not build (the unanchored regex is searched then).
    starts: Arc<OnceLock<Option<MatchStarts>>>,
}

/// One of the automata a [`FactRegex`] searches with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automaton {
    /// The regex itself, searched over each stretch.
    Unanchored,
    /// `^(?:pattern)`, searched at each place a match may start.
    Anchored,
    /// The reverse automaton that finds where matches ending at a suffix start.
    MatchStarts,
}

/// When a fact's regex is compiled.
///
/// Compiling is most of a short run's time (the `{num}` and `{cls}` fragments make each fact
/// pattern a few hundred NFA states in both directions), and a bulletin usually needs only
/// about two thirds of the standard pack's facts: those whose required literals it contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compilation {
    /// Compile while loading, so that a pattern too big to compile is a rule-file error with a
    /// span. For rule files from disk, whose authors need that error.
    Eager,
    /// Compile when first needed (`RuleSet::compile_needed` or a search). Only for the
    /// embedded standard pack, every pattern of which a test compiles: compiling is
    /// deterministic, so what compiles there compiles here.
    Lazy,
}

impl FactRegex {
    fn new(
        pattern: String,
        regex: Option<Regex>,
        hir: Option<&regex_syntax::hir::Hir>,
        edges: bool,
        barrier: Option<Barrier>,
    ) -> FactRegex {
        let mut sets = hir.map(required_literals).unwrap_or_default();
        // Searches from the literals a match begins or ends with need a regex that looks at
        // nothing outside its match (`edges`, see `alphabet`).
        let edge_hir = hir.filter(|_| edges);
        // Every match contains its prefix, so the prefix set is a required set like the others.
        let prefix = edge_hir.and_then(prefix_literals);
        // A suffix set is only searched from when there is no prefix set to anchor at.
        let suffix = match prefix {
            Some(_) => None,
            None => edge_hir.and_then(suffix_literals),
        };
        sets.extend(prefix.clone());
        sets.extend(suffix.clone());
        sets.retain(|set| set.len() <= MAX_SET_LITERALS);
        // Longest shortest literal first (rarer), then fewer literals.
        sets.sort_by_key(|set| {
            let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
            (std::cmp::Reverse(shortest), set.len())
        });
        let mut unique: Vec<Vec<Vec<u8>>> = Vec::new();
        for set in sets {
            if !unique.contains(&set) {
                unique.push(set);
            }
        }
        let mut sets = unique;
        sets.truncate(MAX_SETS);
        // The set a search is anchored at is kept, selective or not: without it the regex
        // would be searched over every stretch instead (`从|由` of change-mismatch came
        // fourth, after three sets of longer words).
        for edge in prefix.iter().chain(&suffix) {
            if !sets.contains(edge) {
                sets.push(edge.clone());
            }
        }
        // A set whose literals are not all UTF-8 is not tested.
        sets.retain(|set| set.iter().all(|w| std::str::from_utf8(w).is_ok()));
        let compiled = OnceLock::new();
        if let Some(regex) = regex {
            let _ = compiled.set(regex);
        }
        let prefix_set = prefix.and_then(|prefix| sets.iter().position(|set| *set == prefix));
        let suffix_set = suffix.and_then(|suffix| sets.iter().position(|set| *set == suffix));
        FactRegex {
            pattern: pattern.into(),
            compiled: Arc::new(compiled),
            required: OnceLock::new(),
            literal_sets: sets.into(),
            capture_names: hir.map(capture_names),
            barrier,
            prefix_set,
            suffix_set,
            anchored: Arc::default(),
            starts: Arc::default(),
        }
    }

    /// The names of the capture groups by index (the whole match, 0, has none), as
    /// [`Regex::capture_names`] gives them, without compiling the regex.
    pub fn capture_names(&self) -> Vec<Option<&str>> {
        match &self.capture_names {
            Some(names) => names.iter().map(Option::as_deref).collect(),
            None => self.regex().capture_names().collect(),
        }
    }

    /// The capture index of the group `name`, without compiling the regex.
    pub fn capture_index(&self, name: &str) -> Option<usize> {
        match &self.capture_names {
            Some(names) => names.iter().position(|n| n.as_deref() == Some(name)),
            None => self.regex().capture_names().position(|n| n == Some(name)),
        }
    }

    /// The pattern with its macros expanded, without compiling it.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Whether the regex that checks search with has been compiled (always, for
    /// [`Compilation::Eager`], unless they search anchored).
    pub fn is_compiled(&self) -> bool {
        self.uncompiled().is_empty()
    }

    /// The automata checks search with that are not compiled yet; compiled each on its own
    /// ([`FactRegex::compile_automaton`]), so that a document's can be compiled in parallel.
    pub fn uncompiled(&self) -> Vec<Automaton> {
        let automata: &[Automaton] = match (self.prefix_set, self.suffix_set) {
            (Some(_), _) => &[Automaton::Anchored],
            (None, Some(_)) => &[Automaton::Anchored, Automaton::MatchStarts],
            (None, None) => &[Automaton::Unanchored],
        };
        let compiled = |automaton: &Automaton| match automaton {
            Automaton::Unanchored => self.compiled.get().is_some(),
            Automaton::Anchored => self.anchored.get().is_some(),
            Automaton::MatchStarts => self.starts.get().is_some(),
        };
        automata.iter().filter(|a| !compiled(a)).copied().collect()
    }

    /// Compile one automaton checks search with (a search compiles what it needs anyway).
    /// If an anchored search's automaton does not build, the search falls back to the
    /// unanchored regex, compiled then.
    pub fn compile_automaton(&self, automaton: Automaton) {
        match automaton {
            Automaton::Unanchored => drop(self.regex()),
            Automaton::Anchored => drop(self.anchored()),
            Automaton::MatchStarts => drop(self.match_starts()),
        }
    }

    /// Compile every automaton checks search with, if it is not compiled yet.
    pub fn compile(&self) {
        for automaton in self.uncompiled() {
            self.compile_automaton(automaton);
        }
    }

    /// `^(?:pattern)`, for a regex whose every match begins with a literal of a known set.
    ///
    /// Searched at each occurrence of those literals, it finds the same matches as an
    /// unanchored search of the stretch (the leftmost match starts at the first occurrence
    /// where one starts, and with no look-around a match depends only on the text from its
    /// start), without the reverse scan an unanchored search runs to find where each match
    /// starts, and without scanning the text between a failed start and the next.
    fn anchored(&self) -> Option<&Regex> {
        self.prefix_set.or(self.suffix_set)?;
        self.anchored
            .get_or_init(|| build(&format!("^(?:{})", self.pattern)).ok())
            .as_ref()
    }

    /// The reverse automaton that finds where matches ending at a given place start, for a
    /// regex with a suffix set.
    fn match_starts(&self) -> Option<&MatchStarts> {
        self.suffix_set?;
        self.starts
            .get_or_init(|| MatchStarts::new(&self.pattern))
            .as_ref()
    }

    /// Calls `each` with every match of this regex in `stretch`, one of the stretches
    /// [`FactRegex::stretches_in`] returned for `text` and `found`, and the offset in `text`
    /// its positions are relative to: the matches, in order, of a search of the stretch alone.
    pub fn captures_in<'h>(
        &self,
        text: &'h str,
        stretch: Span,
        found: &Occurrences,
        mut each: impl FnMut(usize, regex::Captures<'h>),
    ) {
        // Where the unanchored search takes over: the stretch, unless a search from literals
        // ran (and, backwards, gave up at some place).
        let resume = match (self.prefix_set, self.suffix_set, self.anchored()) {
            (Some(set), _, Some(anchored)) => {
                return captures_from_prefixes(anchored, text, stretch, &found.sets[set], each);
            }
            (None, Some(set), Some(anchored)) => match self.match_starts() {
                Some(starts) => {
                    match starts.captures_in(anchored, text, stretch, &found.sets[set], &mut each) {
                        Ok(()) => return,
                        Err(resume) => resume,
                    }
                }
                None => stretch.start,
            },
            _ => stretch.start,
        };
        for captures in self.regex().captures_iter(&text[resume..stretch.end]) {
            each(resume, captures);
        }
    }

    /// Whether checking `text` will search with this regex and it is not compiled yet: some
    /// stretch of `text` holds the required literals (`found` by a [`LiteralIndex`]). A match
    /// in any part of `text` lies in one of `text`'s stretches, so nothing a check of its parts
    /// searches is left out; a document's needed facts can then be compiled in parallel before
    /// it is checked.
    pub fn needed_by(&self, text: &str, found: &Occurrences) -> bool {
        !self.is_compiled()
            && !self
                .stretches_in(text, Span::new(0, text.len()), found)
                .is_empty()
    }

    fn required_sets(&self) -> &[LiteralSet] {
        self.required.get_or_init(|| {
            self.literal_sets
                .iter()
                .filter_map(|set| LiteralSet::new(set))
                .collect()
        })
    }

    /// The stretches of `haystack` that may hold a match, with their offsets: searching each
    /// on its own finds exactly the matches (and captures) a search of the whole finds, since no
    /// match crosses a barrier character and the regex looks at nothing outside its match.
    /// Only the stretches that contain the required literals are searched, usually one clause
    /// of a sentence rather than the sentence.
    pub fn stretches<'h>(&self, haystack: &'h str) -> Vec<(usize, &'h str)> {
        let required = self.required_sets();
        let (Some(barrier), Some(first)) = (&self.barrier, required.first()) else {
            return match self.may_match(haystack) {
                true => vec![(0, haystack)],
                false => Vec::new(),
            };
        };
        // Every stretch holding a match holds a literal of the first set, and the literals
        // have no barrier character; so each literal found leads to its stretch. (A literal
        // that overlaps one found lies in the same stretch.)
        let mut out: Vec<(usize, &str)> = Vec::new();
        let mut searched_to = 0;
        for hit in first.find_iter(haystack) {
            if hit.start() < searched_to {
                continue;
            }
            let (start, end) = barrier.around(haystack, hit.start(), hit.end());
            searched_to = end;
            let stretch = &haystack[start..end];
            if required[1..].iter().all(|r| r.is_match(stretch)) {
                out.push((start, stretch));
            }
        }
        out
    }

    /// The same stretches as [`FactRegex::stretches`] of `text[region]` (offsets relative to
    /// `region.start`), told from `found`, the occurrences of this pattern's literals in the
    /// whole of `text` that a [`LiteralIndex`] listed: a document is scanned once for every
    /// fact, and each unit of each rule only looks its literals up. A stretch is taken for
    /// every literal of the first set that lies wholly inside `region`, which is exactly where
    /// a search of `text[region]` finds them (every occurrence is listed, overlapping ones
    /// too, so none hides another at the region's edge).
    pub fn stretches_in<'h>(
        &self,
        text: &'h str,
        region: Span,
        found: &Occurrences,
    ) -> Vec<(usize, &'h str)> {
        let haystack = &text[region.range()];
        let within = |set: &[Span], span: Span| {
            holds_one(&set[set.partition_point(|o| o.start < span.start)..], span)
        };
        let (Some(barrier), Some(first)) = (&self.barrier, found.sets.first()) else {
            return match found.sets.iter().all(|set| within(set, region)) {
                true => vec![(0, haystack)],
                false => Vec::new(),
            };
        };
        // A stretch lies in the region: one that lacks a set has no stretch to walk to.
        if !found.sets[1..].iter().all(|set| within(set, region)) {
            return Vec::new();
        }
        let mut out: Vec<(usize, &str)> = Vec::new();
        let mut searched_to = region.start;
        let from = first.partition_point(|o| o.start < region.start);
        for hit in first[from..].iter().take_while(|o| o.start < region.end) {
            if hit.start < searched_to || hit.end > region.end {
                continue;
            }
            let (start, end) =
                barrier.around(haystack, hit.start - region.start, hit.end - region.start);
            searched_to = region.start + end;
            let stretch = Span::new(region.start + start, region.start + end);
            if found.sets[1..].iter().all(|set| within(set, stretch)) {
                out.push((start, &haystack[start..end]));
            }
        }
        out
    }

    /// The compiled pattern itself, for uses that need every match (a rule's `split`).
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            build(&self.pattern).expect(
                "a lazily compiled pattern is one of the standard pack's, which all compile \
                 (rules::tests::every_standard_pattern_compiles)",
            )
        })
    }

    /// The literals one of which begins every match, as an alternation `a|b`, when the regex
    /// is searched anchored at them (for diagnostics).
    pub fn prefix(&self) -> Option<String> {
        self.prefix_set.map(|set| self.alternation(set))
    }

    /// The literals one of which ends every match, as an alternation `a|b`, when the regex is
    /// searched backwards from them (for diagnostics).
    pub fn suffix(&self) -> Option<String> {
        self.suffix_set.map(|set| self.alternation(set))
    }

    fn alternation(&self, set: usize) -> String {
        let words: Vec<&str> = self.literal_sets[set]
            .iter()
            .filter_map(|w| std::str::from_utf8(w).ok())
            .collect();
        words.join("|")
    }

    /// The required literal sets, as alternations `a|b` (for diagnostics).
    pub fn required(&self) -> impl Iterator<Item = &str> {
        self.required_sets().iter().map(|set| set.words.as_str())
    }

    /// False when `haystack` cannot contain a match: it lacks every literal of a required set.
    pub fn may_match(&self, haystack: &str) -> bool {
        self.required_sets().iter().all(|r| r.is_match(haystack))
    }
}

/// Calls `each` with every match of `anchored` (a regex as `^(?:pattern)`) in `stretch` of
/// `text` that starts at one of `starts` (the occurrences of literals one of which begins every
/// match), in order: the matches of an unanchored search of the stretch.
fn captures_from_prefixes<'h>(
    anchored: &Regex,
    text: &'h str,
    stretch: Span,
    starts: &[Span],
    mut each: impl FnMut(usize, regex::Captures<'h>),
) {
    let from = starts.partition_point(|o| o.start < stretch.start);
    let mut resume = stretch.start;
    let mut tried = None;
    for start in starts[from..].iter().map(|o| o.start) {
        if start >= stretch.end {
            break;
        }
        // Overlapping literals can start at the same place: one search there is enough.
        if start < resume || tried == Some(start) {
            continue;
        }
        tried = Some(start);
        if let Some(captures) = anchored.captures(&text[start..stretch.end]) {
            resume = start + captures.get(0).map_or(0, |m| m.end());
            each(start, captures);
        }
    }
}

type StartsCache = regex_automata::hybrid::dfa::Cache;
type StartsCacheFn = Box<dyn Fn() -> StartsCache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Where the matches of a regex that end at a given place start: the regex's reverse lazy
/// DFA, run anchored from that place backwards, reporting every match (the last one it sees
/// is the leftmost start).
///
/// For a regex whose every match ends with a literal of a known set (`人`, `名`, `省`, …),
/// the leftmost match of a stretch starts at the leftmost start of a match ending at one of
/// the set's occurrences; from there the anchored regex finds the match the unanchored search
/// finds, with its captures. Most occurrences are not preceded by what the regex needs
/// (`4省` after a list), so the reverse run stops after a character or two, where the
/// forward search would have run over the whole stretch.
struct MatchStarts {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: regex_automata::util::pool::Pool<StartsCache, StartsCacheFn>,
}

impl std::fmt::Debug for MatchStarts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchStarts").finish_non_exhaustive()
    }
}

impl MatchStarts {
    fn new(pattern: &str) -> Option<MatchStarts> {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::nfa::thompson;
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(regex_automata::MatchKind::All))
            .thompson(
                thompson::Config::new()
                    .reverse(true)
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(SIZE_LIMIT)),
            )
            .build(pattern)
            .ok()?;
        let for_cache = dfa.clone();
        let create: StartsCacheFn = Box::new(move || for_cache.create_cache());
        Some(MatchStarts {
            dfa,
            caches: regex_automata::util::pool::Pool::new(create),
        })
    }

    /// The leftmost start of a match of the regex that lies in `text[from..end]` and ends at
    /// `end`, if any.
    fn leftmost_start(
        &self,
        cache: &mut StartsCache,
        text: &str,
        from: usize,
        end: usize,
    ) -> Result<Option<usize>, regex_automata::MatchError> {
        let input = regex_automata::Input::new(text)
            .range(from..end)
            .anchored(regex_automata::Anchored::Yes);
        Ok(self.dfa.try_search_rev(cache, &input)?.map(|m| m.offset()))
    }

    /// Calls `each` with every match of the regex in `stretch` of `text`, in order, as
    /// [`FactRegex::captures_in`] does, given the occurrences of the suffix set (`ends`) and
    /// the regex anchored at its start. `Err(at)` when the reverse automaton gave up: the
    /// matches that start at `at` or later are still to be found.
    fn captures_in<'h>(
        &self,
        anchored: &Regex,
        text: &'h str,
        stretch: Span,
        ends: &[Span],
        each: &mut impl FnMut(usize, regex::Captures<'h>),
    ) -> Result<(), usize> {
        let from = ends.partition_point(|o| o.start < stretch.start);
        // Two literals of the set never end at the same place (none ends with another).
        let mut candidates: Vec<(Span, Option<Option<usize>>)> = ends[from..]
            .iter()
            .take_while(|o| o.start < stretch.end)
            .filter(|o| o.end <= stretch.end)
            .map(|&o| (o, None))
            .collect();
        if candidates.is_empty() {
            return Ok(());
        }
        let mut cache = self.caches.get();
        let mut resume = stretch.start;
        loop {
            // The leftmost place where a match starts: every match ends at an occurrence.
            let mut leftmost: Option<usize> = None;
            for (occurrence, start) in candidates.iter_mut() {
                if occurrence.start < resume {
                    continue;
                }
                // A start found from an earlier resume point is still the leftmost if it lies
                // after this one; none found then means none now.
                let known = matches!(start, Some(Some(s)) if *s >= resume);
                if !known && *start != Some(None) {
                    let found = self
                        .leftmost_start(&mut cache, text, resume, occurrence.end)
                        .map_err(|_| resume)?;
                    *start = Some(found);
                }
                if let Some(Some(s)) = *start {
                    leftmost = Some(leftmost.map_or(s, |l: usize| l.min(s)));
                }
            }
            let Some(at) = leftmost else {
                return Ok(());
            };
            let Some(captures) = anchored.captures(&text[at..stretch.end]) else {
                // Cannot happen (a match starts there); search on from there regardless.
                return Err(at);
            };
            resume = at + captures.get(0).map_or(0, |m| m.end());
            each(at, captures);
        }
    }
}

/// Literals one of which every match contains.
#[derive(Debug, Clone)]
struct LiteralSet {
    /// The literals as an alternation `a|b`, for diagnostics.
    words: String,
    /// Leftmost-first, as the alternation would match. An automaton of literals builds in a
    /// fraction of a regex's time, and start-up builds one per set.
    matcher: AhoCorasick,
}

impl LiteralSet {
    /// `None` when a literal is not UTF-8 or the automaton cannot be built.
    fn new(set: &[Vec<u8>]) -> Option<LiteralSet> {
        let words: Vec<&str> = set
            .iter()
            .map(|w| std::str::from_utf8(w).ok())
            .collect::<Option<_>>()?;
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&words)
            .ok()?;
        Some(LiteralSet {
            words: words.join("|"),
            matcher,
        })
    }

    fn find_iter<'h>(
        &'h self,
        haystack: &'h str,
    ) -> impl Iterator<Item = aho_corasick::Match> + 'h {
        self.matcher.find_iter(haystack)
    }

    fn is_match(&self, haystack: &str) -> bool {
        self.matcher.is_match(haystack)
    }
}

impl std::ops::Deref for FactRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex()
    }
}

/// Finds the required literals of many fact patterns in one pass over a text, instead of one
/// search per pattern, unit and set (most of whose cost, on sentence-sized haystacks, was
/// starting the search).
///
/// The pass stops only at the characters a literal begins with (a character set read three
/// bytes at a time) and compares the few literals that begin there. An overlapping
/// Aho-Corasick DFA did the same work with a transition per byte and a call per match: on
/// the real corpus it cost 515 M instructions where this costs 325 M, and most of the
/// literals are one character, which needs no comparison at all.
#[derive(Debug)]
pub struct LiteralIndex {
    /// The first characters of the literals: the scan stops only where one begins.
    starts: CharSet,
    /// The literals, by first character, then length: those that begin with one character
    /// are adjacent, shorter first, so that the occurrences at one place come sorted.
    literals: Vec<IndexedLiteral>,
    /// Open addressing from a first character to the literals that begin with it
    /// (`literals[from..to]` as `(character, from, to)`; `None` for a free slot).
    by_first: Box<[Option<(char, usize, usize)>]>,
    /// Per fact pattern indexed, its literal sets: what identifies the index's patterns.
    patterns: Vec<Arc<[Vec<Vec<u8>>]>>,
}

/// Where the literals of one fact pattern's sets occur in a text, per set, sorted.
#[derive(Debug, Clone, Default)]
pub struct Occurrences {
    sets: Vec<Vec<Span>>,
}

impl Occurrences {
    /// A walk over the regions of a text, in order, that tells those that cannot hold a match
    /// of the pattern; `None` when the pattern requires no literal.
    pub fn gate(&self) -> Option<Gate<'_>> {
        self.sets.first().map(|first| Gate {
            first,
            next: 0,
            last_start: 0,
        })
    }
}

/// Tells the regions that hold no literal of a pattern's first set wholly inside them: every
/// match contains one, so [`FactRegex::stretches_in`] finds nothing there, and a rule's unit
/// can be passed over without a look at its facts. Units come in reading order, so the walk
/// advances through the occurrences once instead of searching them for every unit.
#[derive(Debug, Clone)]
pub struct Gate<'a> {
    first: &'a [Span],
    /// The first occurrence that does not start before the last region.
    next: usize,
    last_start: usize,
}

impl Gate<'_> {
    /// False when `region` holds no literal of the first set, so no match of the pattern.
    pub fn admits(&mut self, region: Span) -> bool {
        if region.start < self.last_start {
            // Out of order: walk again from the start rather than miss an occurrence.
            self.next = 0;
        }
        self.last_start = region.start;
        while self
            .first
            .get(self.next)
            .is_some_and(|o| o.start < region.start)
        {
            self.next += 1;
        }
        holds_one(&self.first[self.next..], region)
    }
}

/// Whether one of `occurrences` (sorted, none starting before `region`) lies wholly inside
/// `region`.
fn holds_one(occurrences: &[Span], region: Span) -> bool {
    occurrences
        .iter()
        .take_while(|o| o.start < region.end)
        .any(|o| o.end <= region.end)
}

impl LiteralIndex {
    /// An index of the literals of `patterns`, which [`LiteralIndex::scan`] reports in order.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a FactRegex>) -> LiteralIndex {
        let patterns: Vec<_> = patterns
            .into_iter()
            .map(|p| p.literal_sets.clone())
            .collect();
        let mut owned: std::collections::BTreeMap<&str, Vec<(usize, usize)>> =
            std::collections::BTreeMap::new();
        for (p, sets) in patterns.iter().enumerate() {
            for (s, set) in sets.iter().enumerate() {
                // Sets are UTF-8 and have no empty literal (see `FactRegex::new`).
                for literal in set.iter().filter_map(|l| std::str::from_utf8(l).ok()) {
                    owned.entry(literal).or_default().push((p, s));
                }
            }
        }
        let mut literals: Vec<IndexedLiteral> = owned
            .into_iter()
            .map(|(text, owners)| IndexedLiteral {
                text: text.into(),
                owners,
            })
            .collect();
        literals.sort_by_key(|l| (l.text.chars().next(), l.text.len()));
        let firsts: Vec<char> = literals
            .iter()
            .filter_map(|l| l.text.chars().next())
            .collect();
        let mut by_first = vec![None; (firsts.len() * 4).next_power_of_two()].into_boxed_slice();
        let mut from = 0;
        for group in firsts.chunk_by(|a, b| a == b) {
            let mut slot = first_slot(group[0], by_first.len());
            while by_first[slot].is_some() {
                slot = (slot + 1) % by_first.len();
            }
            by_first[slot] = Some((group[0], from, from + group.len()));
            from += group.len();
        }
        LiteralIndex {
            starts: CharSet::new(firsts),
            literals,
            by_first,
            patterns,
        }
    }

    /// Whether this index was built for exactly `patterns`, in this order.
    pub fn is_for<'a>(&self, patterns: impl IntoIterator<Item = &'a FactRegex>) -> bool {
        let mut mine = self.patterns.iter();
        patterns
            .into_iter()
            .all(|p| mine.next().is_some_and(|m| Arc::ptr_eq(m, &p.literal_sets)))
            && mine.next().is_none()
    }

    /// Every occurrence, overlapping ones included, of every literal in `text`: one
    /// [`Occurrences`] per pattern, in the order given to [`LiteralIndex::new`].
    pub fn scan(&self, text: &str) -> Vec<Occurrences> {
        let mut found: Vec<Occurrences> = self
            .patterns
            .iter()
            .map(|sets| Occurrences {
                sets: vec![Vec::new(); sets.len()],
            })
            .collect();
        let mut from = 0;
        while let Some((at, c)) = self.starts.find(text, from) {
            let rest = &text.as_bytes()[at..];
            from = at + c.len_utf8();
            // Shorter first: the occurrences at one place come sorted.
            for literal in self.beginning_with(c) {
                // Most literals are one character, the one found.
                let text = literal.text.as_bytes();
                if text.len() == c.len_utf8() || rest.starts_with(text) {
                    let span = Span::new(at, at + text.len());
                    for &(p, s) in &literal.owners {
                        found[p].sets[s].push(span);
                    }
                }
            }
        }
        found
    }

    /// The literals that begin with `c`.
    fn beginning_with(&self, c: char) -> &[IndexedLiteral] {
        let mut slot = first_slot(c, self.by_first.len());
        while let Some((first, from, to)) = self.by_first[slot] {
            if first == c {
                return &self.literals[from..to];
            }
            slot = (slot + 1) % self.by_first.len();
        }
        &[]
    }
}

/// A literal of a [`LiteralIndex`] and the (pattern, set) pairs it is a literal of.
#[derive(Debug)]
struct IndexedLiteral {
    text: Box<str>,
    owners: Vec<(usize, usize)>,
}

/// Where the lookup of `c` starts in a table of `len` slots (a power of two).
fn first_slot(c: char, len: usize) -> usize {
    // Fibonacci hashing: the high bits of the product mix every bit of the character.
    (u32::from(c).wrapping_mul(0x9E37_79B9) as usize >> 8) & (len - 1)
}

/// The capture group names of `skeleton` by index. The skeleton has the groups of the pattern
/// (macros expand to non-capturing groups only), so these are the compiled regex's.
fn capture_names(skeleton: &regex_syntax::hir::Hir) -> Arc<[Option<Box<str>>]> {
    fn walk(hir: &regex_syntax::hir::Hir, out: &mut Vec<Option<Box<str>>>) {
        use regex_syntax::hir::HirKind;
        match hir.kind() {
            HirKind::Capture(cap) => {
                let index = cap.index as usize;
                if out.len() <= index {
                    out.resize(index + 1, None);
                }
                out[index] = cap.name.clone();
                walk(&cap.sub, out);
            }
            HirKind::Repetition(rep) => walk(&rep.sub, out),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().for_each(|sub| walk(sub, out));
            }
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
        }
    }
    let mut names = vec![None];
    walk(skeleton, &mut names);
    names.into()
}

/// Characters that no match of a regex contains.
#[derive(Debug, Clone)]
struct Barrier {
    /// The stretch around each literal is found character by character, and a bulletin's
    /// characters are nearly all in the Basic Multilingual Plane: the test is one bit.
    chars: CharSet,
}

impl Barrier {
    /// The stretch of `haystack` between the barrier characters nearest before `start` and
    /// from `end` on (or its ends).
    fn around(&self, haystack: &str, start: usize, end: usize) -> (usize, usize) {
        let from = self
            .chars
            .rfind(haystack, start)
            .map_or(0, |(i, c)| i + c.len_utf8());
        let to = self
            .chars
            .find(haystack, end)
            .map_or(haystack.len(), |(i, _)| i);
        (from, to)
    }
}

/// A barrier of more ranges than this is not built: what its stretches save is not worth a set
/// built from thousands of ranges (a limit for rule files from disk).
const MAX_BARRIER_RANGES: usize = 4096;

/// The characters a match of a pattern can contain: those of its own text (`bare`, macros
/// removed) and of any macro it uses (`fragments`). `None` when the regex has look-around or
/// can match the empty string (`skeleton` can, then), or when that cannot be told: a regex
/// with an alphabet looks at nothing outside its match and never matches empty, so its
/// matches can be searched for from literals they begin or end with.
fn alphabet(
    skeleton: Option<&regex_syntax::hir::Hir>,
    bare: &str,
    fragments: &[String],
) -> Option<regex_syntax::hir::ClassUnicode> {
    skeleton?.properties().minimum_len().filter(|&n| n > 0)?;
    let bare = regex_syntax::Parser::new().parse(bare).ok()?;
    if !bare.properties().look_set().is_empty() {
        return None;
    }
    let mut chars = chars_of(&bare)?;
    for fragment in fragments {
        chars.union(&fragment_chars(fragment)?);
    }
    Some(chars)
}

/// The barrier of a pattern with `alphabet`: the characters no match contains. `None` when
/// every character can occur.
fn barrier(alphabet: &regex_syntax::hir::ClassUnicode) -> Option<Barrier> {
    let mut chars = alphabet.clone();
    chars.negate();
    let ranges = chars.ranges();
    let beyond_ascii = ranges.iter().filter(|r| r.end() >= '\u{80}').count();
    (!ranges.is_empty() && beyond_ascii <= MAX_BARRIER_RANGES).then(|| Barrier {
        chars: CharSet::from_ranges(ranges.iter().map(|r| (r.start(), r.end()))),
    })
}

/// Every character `hir` can match; `None` when that cannot be told or `hir` looks around.
fn chars_of(hir: &regex_syntax::hir::Hir) -> Option<regex_syntax::hir::ClassUnicode> {
    let mut ranges = Vec::new();
    add_chars(hir, &mut ranges)?;
    // One canonicalization at the end: a union per literal re-sorted the whole set each time,
    // quadratic in a `{cls}`-sized alternation (a tenth of start-up).
    Some(regex_syntax::hir::ClassUnicode::new(ranges))
}

/// Adds the ranges of every character `hir` can match to `out`; `None` when that cannot be
/// told.
fn add_chars(
    hir: &regex_syntax::hir::Hir,
    out: &mut Vec<regex_syntax::hir::ClassUnicodeRange>,
) -> Option<()> {
    use regex_syntax::hir::{Class, ClassUnicodeRange, HirKind};
    match hir.kind() {
        HirKind::Empty => {}
        // A look-around looks outside the match: cutting the text into stretches would
        // change what it sees.
        HirKind::Look(_) => return None,
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0).ok()?;
            out.extend(text.chars().map(|c| ClassUnicodeRange::new(c, c)));
        }
        HirKind::Class(Class::Unicode(class)) => out.extend(class.iter().copied()),
        HirKind::Class(Class::Bytes(class)) => {
            out.extend(class.to_unicode_class()?.iter().copied());
        }
        HirKind::Capture(cap) => add_chars(&cap.sub, out)?,
        HirKind::Repetition(rep) => add_chars(&rep.sub, out)?,
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for sub in subs {
                add_chars(sub, out)?;
            }
        }
    }
    Some(())
}

/// The characters a macro's fragment can match; each fragment is parsed once per process.
fn fragment_chars(fragment: &str) -> Option<regex_syntax::hir::ClassUnicode> {
    type Known = Vec<(String, Option<regex_syntax::hir::ClassUnicode>)>;
    static KNOWN: std::sync::Mutex<Known> = std::sync::Mutex::new(Vec::new());
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, chars)) = known.iter().find(|(f, _)| f == fragment) {
        return chars.clone();
    }
    let chars = regex_syntax::Parser::new()
        .parse(fragment)
        .ok()
        .and_then(|hir| chars_of(&hir));
    known.push((fragment.to_string(), chars.clone()));
    chars
}

/// Sets of more literals than this are not worth testing (`{cls}`'s hundred units).
const MAX_SET_LITERALS: usize = 32;
/// At most this many sets are tested per pattern.
const MAX_SETS: usize = 3;
/// A class of at most this many characters is a set of literals at the edge of a match.
const MAX_EDGE_CLASS: usize = 8;

/// The literals one of which begins every match of `hir` (sorted, none empty, none beginning
/// with another), when there are few enough of them to search for.
fn prefix_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    edge_literals(hir, regex_syntax::hir::literal::ExtractKind::Prefix)
}

/// The literals one of which ends every match of `hir` (sorted, none empty, none ending with
/// another), when there are few enough of them to search for.
fn suffix_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    edge_literals(hir, regex_syntax::hir::literal::ExtractKind::Suffix)
}

/// The literals at the `edge` (beginning or end) of every match of `hir`.
fn edge_literals(
    hir: &regex_syntax::hir::Hir,
    edge: regex_syntax::hir::literal::ExtractKind,
) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // A class of more than a few characters ends a literal: `下降了[0-9]` would be ten
    // literals where `下降` says as much. A small one does not: the parser makes `由|从` the
    // class `[从由]`, and `名|人|个|家|支` one of five.
    let seq = Extractor::new()
        .kind(edge.clone())
        .limit_class(MAX_EDGE_CLASS)
        .extract(hir);
    let mut literals: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    literals.sort();
    literals.dedup();
    // A match that begins with `下降了` begins with `下降` (one that ends with `个省` ends with
    // `省`): the shorter literal is enough.
    let at_edge = |l: &[u8], p: &[u8]| match edge {
        ExtractKind::Suffix => l.ends_with(p),
        _ => l.starts_with(p),
    };
    let kept: Vec<Vec<u8>> = literals
        .iter()
        .filter(|l| !literals.iter().any(|p| p.len() < l.len() && at_edge(l, p)))
        .cloned()
        .collect();
    let usable = !kept.is_empty()
        && kept.len() <= MAX_SET_LITERALS
        && kept
            .iter()
            .all(|l| !l.is_empty() && std::str::from_utf8(l).is_ok());
    usable.then_some(kept)
}

/// Literal sets every match of `hir` contains a member of (each set non-empty, no empty word).
fn required_literals(hir: &regex_syntax::hir::Hir) -> Vec<Vec<Vec<u8>>> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(lit) => vec![vec![lit.0.to_vec()]],
        // A small class is a set of one-character literals: `[，,]`.
        HirKind::Class(Class::Unicode(class)) => {
            let count: u32 = class
                .ranges()
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum();
            if count == 0 || count > 8 {
                return Vec::new();
            }
            let chars = class.ranges().iter().flat_map(|r| r.start()..=r.end());
            vec![chars.map(|c| c.to_string().into_bytes()).collect()]
        }
        HirKind::Capture(cap) => required_literals(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required_literals(&rep.sub),
        HirKind::Concat(subs) => subs.iter().flat_map(required_literals).collect(),
        HirKind::Alternation(subs) => {
            // Every branch must require something; the union of one set of each is required.
            let mut union: Vec<Vec<u8>> = Vec::new();
            for sub in subs {
                let sets = required_literals(sub);
                let Some(best) = sets.into_iter().min_by_key(Vec::len) else {
                    return Vec::new();
                };
                union.extend(best);
            }
            union.sort();
            union.dedup();
            vec![union]
        }
        _ => Vec::new(),
    }
}

fn list_pattern() -> String {
    format!("{ITEM}(?:、{ITEM})+")
}

/// One or more figures joined by `、` or a conjunction: `38.2%、25%和23.5%`.
fn figures_pattern(recognizer: &Recognizer) -> Option<String> {
    let num = recognizer.macro_pattern("num")?;
    let cls = recognizer.macro_pattern("cls")?;
    let figure = format!("(?:{num})(?:{cls})?");
    Some(format!("{figure}(?:(?:、|{CONJUNCTION}){figure})*"))
}

/// Expand the macros of `src` and compile it, now or when first needed.
pub fn compile(
    src: &str,
    recognizer: &Recognizer,
    compilation: Compilation,
) -> Result<CompiledPattern, PatternError> {
    let macros = find_macros(src);
    let mut expanded = String::with_capacity(src.len() * 4);
    let mut placeholder = String::with_capacity(src.len());
    let mut skeleton = String::with_capacity(src.len());
    let mut bare = String::with_capacity(src.len());
    let mut fragments = Vec::with_capacity(macros.len());
    let mut cursor = 0;
    for (name, span) in &macros {
        let fragment = match name.as_str() {
            "list" => list_pattern(),
            "figures" => figures_pattern(recognizer).unwrap_or_default(),
            other => recognizer
                .macro_pattern(other)
                .ok_or_else(|| PatternError::UnknownMacro {
                    name: other.to_string(),
                    span: *span,
                })?
                .to_string(),
        };
        expanded.push_str(&src[cursor..span.start]);
        expanded.push_str("(?:");
        expanded.push_str(&fragment);
        expanded.push(')');
        placeholder.push_str(&src[cursor..span.start]);
        placeholder.push_str(&format!("(?:{})", "x".repeat(span.len() - 4)));
        skeleton.push_str(&src[cursor..span.start]);
        // A list holds at least one `、`; any other macro stands for anything.
        skeleton.push_str(match name.as_str() {
            "list" => r"(?:[\s\S]*、[\s\S]*)",
            _ => r"(?:[\s\S]*)",
        });
        bare.push_str(&src[cursor..span.start]);
        bare.push_str("(?:)");
        fragments.push(fragment);
        cursor = span.end;
    }
    expanded.push_str(&src[cursor..]);
    placeholder.push_str(&src[cursor..]);
    skeleton.push_str(&src[cursor..]);
    bare.push_str(&src[cursor..]);

    // Parse the placeholder form: same length as the source, so syntax errors and groups have
    // spans into what the rule author wrote.
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(&placeholder)
        .map_err(|e| PatternError::Syntax {
            message: e.kind().to_string(),
            span: Span::new(
                e.span().start.offset,
                e.span().end.offset.max(e.span().start.offset),
            ),
        })?;
    let mut groups = Vec::new();
    collect_groups(&ast, src, &mut groups);

    if let Some(regex) = recently_compiled(&expanded) {
        return Ok(CompiledPattern { regex, groups });
    }
    // The skeleton has every macro widened to "anything", so the literals it requires are
    // required by the pattern too; it is small, so parsing it costs next to nothing.
    let hir = regex_syntax::Parser::new().parse(&skeleton).ok();
    let regex = match compilation {
        Compilation::Eager => Some(build(&expanded)?),
        // The pattern's syntax was checked above; the macro fragments are the lexicon's own.
        Compilation::Lazy => None,
    };
    let alphabet = alphabet(hir.as_ref(), &bare, &fragments);
    let barrier = alphabet.as_ref().and_then(barrier);
    let edges = alphabet.is_some();
    let regex = FactRegex::new(expanded.clone(), regex, hir.as_ref(), edges, barrier);
    remember(expanded, &regex);
    Ok(CompiledPattern { regex, groups })
}

fn build(expanded: &str) -> Result<Regex, PatternError> {
    RegexBuilder::new(expanded)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| PatternError::Compile {
            message: match e {
                regex::Error::CompiledTooBig(limit) => {
                    format!("the pattern compiles to more than {limit} bytes")
                }
                other => other.to_string(),
            },
        })
}

/// How many compiled patterns each thread remembers.
const RECENT: usize = 4;

thread_local! {
    /// The last patterns compiled on this thread since [`forget_recent`], by expanded source:
    /// a file that states the same fact twice (`head` in the title, `body` in the text)
    /// compiles it once.
    static RECENTLY_COMPILED: std::cell::RefCell<Vec<(String, FactRegex)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Start afresh: what is compiled next is not taken from an earlier compilation.
pub fn forget_recent() {
    RECENTLY_COMPILED.with_borrow_mut(Vec::clear);
}

fn recently_compiled(expanded: &str) -> Option<FactRegex> {
    RECENTLY_COMPILED.with_borrow(|recent| {
        recent
            .iter()
            .find(|(source, _)| source == expanded)
            .map(|(_, regex)| regex.clone())
    })
}

fn remember(expanded: String, regex: &FactRegex) {
    RECENTLY_COMPILED.with_borrow_mut(|recent| {
        if recent.len() == RECENT {
            recent.remove(0);
        }
        recent.push((expanded, regex.clone()));
    });
}

/// `{name}` macros of a pattern (not preceded by a backslash), with their spans.
fn find_macros(src: &str) -> Vec<(String, Span)> {
    let bytes = src.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' => {
                let name_len = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_lowercase() || **b == b'_')
                    .count();
                let close = i + 1 + name_len;
                if name_len > 0 && bytes.get(close) == Some(&b'}') {
                    found.push((src[i + 1..close].to_string(), Span::new(i, close + 1)));
                    i = close + 1;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// Named capture groups in pattern order, typed by the macros they contain.
fn collect_groups(ast: &regex_syntax::ast::Ast, src: &str, out: &mut Vec<Group>) {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(group) => {
            if let GroupKind::CaptureName { name, .. } = &group.kind {
                let body = &src[group.ast.span().start.offset..group.ast.span().end.offset];
                out.push(Group {
                    name: name.name.clone(),
                    kind: group_kind(body),
                });
            }
            collect_groups(&group.ast, src, out);
        }
        Ast::Concat(concat) => concat.asts.iter().for_each(|a| collect_groups(a, src, out)),
        Ast::Alternation(alt) => alt.asts.iter().for_each(|a| collect_groups(a, src, out)),
        Ast::Repetition(rep) => collect_groups(&rep.ast, src, out),
        _ => {}
    }
}

/// A group holds a figure, a list or figures when its whole body is that one macro
/// (`(?P<v>{num})`); any other group holds text, searched with `figures(x)` if need be.
fn group_kind(body: &str) -> GroupKind {
    match body.trim() {
        "{list}" => GroupKind::List,
        "{figures}" => GroupKind::Figures,
        "{num}" | "{count}" | "{pct}" => GroupKind::Figure,
        _ => GroupKind::Text,
    }
}

/// Characters after which the words before a list end: a verb, a preposition or the place
/// the list belongs to. `一张涉及湖南、湖北` lists 湖南; `杨芳林乡警情数、刑事案件数` lists 警情数.
const LEAD_BOUNDARIES: &[char] = &[
    '的', '了', '对', '在', '将', '把', '是', '为', '有', '从', '向', '由', '及', '括', '乡', '镇',
    '县', '市', '区', '省', '村', '共', '含', '经', '按', '至',
];

/// Words that follow a list but are not part of its last item: `治安案件数同比分别下降`.
const TRAILING_WORDS: &[&str] = &["同比", "环比", "分别", "均", "各"];

/// The items of a list that `{list}` matched at `span` of `text`, and the list's span after
/// trimming the words before its first item and after its last.
///
/// The regex cannot tell where a list starts: in `一张涉及湖南、湖北、广东、海南4省` the first
/// item would run back to `一张涉及湖南`. So the first item is cut after the last
/// [`LEAD_BOUNDARIES`] character in it, and then to the length of the longest other item;
/// lists of like things have items of like length (`湖南`, `庞某`, `刑事案件数`).
pub fn split_list(text: &str, span: Span) -> (Span, Vec<Span>) {
    let mut items = split_items(text, span);
    let first = items[0];
    let first_text = &text[first.range()];
    let mut start = first.start;
    if let Some((i, c)) = first_text
        .char_indices()
        .rfind(|(i, c)| LEAD_BOUNDARIES.contains(c) && i + c.len_utf8() < first_text.len())
    {
        start = first.start + i + c.len_utf8();
    }
    let longest_other = items[1..]
        .iter()
        .map(|s| text[s.range()].chars().count())
        .max()
        .unwrap_or(usize::MAX);
    let remaining = &text[start..first.end];
    let chars = remaining.chars().count();
    if chars > longest_other {
        start += remaining
            .char_indices()
            .nth(chars - longest_other)
            .map_or(0, |(i, _)| i);
    }
    items[0] = Span::new(start, first.end);
    let last = items.len() - 1;
    let mut end = items[last].end;
    while let Some(word) = TRAILING_WORDS
        .iter()
        .find(|w| text[items[last].start..end].ends_with(**w) && end - w.len() > items[last].start)
    {
        end -= word.len();
    }
    items[last] = Span::new(items[last].start, end);
    (Span::new(items[0].start, end), items)
}

/// The items of a list of figures that `{figures}` matched: split at `、` and conjunctions,
/// nothing trimmed.
pub fn split_figures(text: &str, span: Span) -> Vec<Span> {
    split_items(text, span)
}

/// Split at `、`, and the last item at a conjunction (`湖北和广东` is two items).
fn split_items(text: &str, span: Span) -> Vec<Span> {
    let mut items: Vec<Span> = Vec::new();
    let mut start = span.start;
    for (i, c) in text[span.range()].char_indices() {
        if c == '、' {
            items.push(Span::new(start, span.start + i));
            start = span.start + i + c.len_utf8();
        }
    }
    let mut rest = Span::new(start, span.end);
    while let Some((at, len)) = find_conjunction(&text[rest.range()]) {
        items.push(Span::new(rest.start, rest.start + at));
        rest = Span::new(rest.start + at + len, rest.end);
    }
    items.push(rest);
    items
}

/// The first conjunction inside `item` that has words on both sides.
fn find_conjunction(item: &str) -> Option<(usize, usize)> {
    [CONJUNCTION]
        .iter()
        .filter_map(|c| item.find(c).map(|at| (at, c.len())))
        .filter(|(at, len)| *at > 0 && at + len < item.len())
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_are_found_but_not_repetitions_or_escapes() {
        let found = find_macros(r"(?P<v>{num})个.{0,20}\{cls}{list}{Bad}");
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["num", "list"]);
        assert_eq!(found[0].1, Span::new(6, 11));
    }

    #[test]
    fn group_types_follow_their_macros() {
        let cases = [
            ("{list}", GroupKind::List),
            ("{figures}", GroupKind::Figures),
            ("{num}", GroupKind::Figure),
            ("约?{count}", GroupKind::Text),
            ("[^，]*占{pct}", GroupKind::Text),
            ("{pct}", GroupKind::Figure),
            ("破获|抓获", GroupKind::Text),
        ];
        for (body, kind) in cases {
            assert_eq!(group_kind(body), kind, "{body}");
        }
    }

    #[test]
    fn lists_split_and_trim_their_first_item() {
        let cases = [
            (
                "一张涉及湖南、湖北、广东、海南",
                "湖南、湖北、广东、海南",
                vec!["湖南", "湖北", "广东", "海南"],
            ),
            (
                "毒、枪、诈、赌、黄",
                "毒、枪、诈、赌、黄",
                vec!["毒", "枪", "诈", "赌", "黄"],
            ),
            ("犯罪嫌疑人庞某、程某", "庞某、程某", vec!["庞某", "程某"]),
            (
                "湖南、湖北和广东",
                "湖南、湖北和广东",
                vec!["湖南", "湖北", "广东"],
            ),
            (
                "城中村、出租屋和旅馆",
                "城中村、出租屋和旅馆",
                vec!["城中村", "出租屋", "旅馆"],
            ),
            (
                "杨芳林乡警情数、刑事案件数、治安案件数同比",
                "警情数、刑事案件数、治安案件数",
                vec!["警情数", "刑事案件数", "治安案件数"],
            ),
            ("组织罗某、汪某", "罗某、汪某", vec!["罗某", "汪某"]),
        ];
        for (text, list, expected) in cases {
            let (whole, items) = split_list(text, Span::new(0, text.len()));
            let got: Vec<&str> = items.iter().map(|s| &text[s.range()]).collect();
            assert_eq!(got, expected, "{text}");
            assert_eq!(&text[whole.range()], list, "{text}");
        }
    }

    #[test]
    fn prefilter_requires_literals_and_stops_at_barriers() {
        let recognizer = Recognizer::standard();
        let fact = compile(
            "(?:下降|减少)了?(?P<v>{pct})",
            recognizer,
            Compilation::Eager,
        )
        .unwrap()
        .regex;
        assert_eq!(fact.required().collect::<Vec<_>>(), ["下降|减少"]);
        assert!(!fact.may_match("同比上升12%"));
        let text = "警情同比下降12%，刑事案件减少3%。";
        let stretches: Vec<&str> = fact.stretches(text).into_iter().map(|(_, s)| s).collect();
        // 警, 情, 同, 比, `，` … are in no match: each stretch is a run of the regex's alphabet.
        assert_eq!(stretches, ["下降12%", "减少3%"]);
        // Look-around: no barrier, the whole haystack is searched.
        let anchored = compile("^(?P<v>{num})元", recognizer, Compilation::Eager)
            .unwrap()
            .regex;
        assert_eq!(anchored.stretches("5元，6元"), [(0, "5元，6元")]);
    }

    #[test]
    fn prefixes_are_the_literals_every_match_begins_with() {
        let cases: [(&str, Option<&[&str]>); 10] = [
            ("(?:破获|侦破)[^，]{0,10}?[0-9]+起", Some(&["侦破", "破获"])),
            // One-character alternatives are parsed as a class; a small class is a set of
            // literals, a bigger one is not.
            ("(?:由|从)[^，]{0,12}?[0-9]+", Some(&["从", "由"])),
            ("[甲乙丙丁戊己庚辛壬]x", None),
            // `下降了` begins with `下降`: the shorter literal is enough.
            ("(?:下降|减少)了?[0-9]+%", Some(&["下降", "减少"])),
            (
                "(?:同比)?(?:下降|减少)[0-9]+%",
                Some(&["下降", "减少", "同比下降", "同比减少"]),
            ),
            ("驻村辅警(?P<v>[0-9]+)人", Some(&["驻村辅警"])),
            // A figure first (a macro is "anything" in the skeleton): no prefix.
            ("[\\s\\S]*元", None),
            ("[0-9]+元", None),
            ("(?:破获|[^，]*)案件", None),
            ("a?b?", None),
        ];
        for (pattern, expected) in cases {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let found = prefix_literals(&hir);
            let found: Option<Vec<&str>> = found.as_ref().map(|set| {
                set.iter()
                    .map(|w| std::str::from_utf8(w).unwrap())
                    .collect()
            });
            assert_eq!(found.as_deref(), expected, "{pattern}");
        }
    }

    #[test]
    fn an_anchored_search_finds_what_a_search_of_the_stretch_finds() {
        let recognizer = Recognizer::standard();
        let fact = compile(
            "(?:下降|降低)了?(?P<v>{pct})",
            recognizer,
            Compilation::Eager,
        )
        .unwrap()
        .regex;
        assert_eq!(fact.prefix().as_deref(), Some("下降|降低"));
        let index = LiteralIndex::new([&fact]);
        // Overlapping literals (`下降低`), a start that fails before one that matches, two
        // matches in one stretch, a literal cut by the stretch's end.
        for text in [
            "下降低了5%",
            "下降了3%降低4%",
            "降低",
            "下降5%下降",
            "下降下降了7%",
        ] {
            let found = &index.scan(text)[0];
            let whole = Span::new(0, text.len());
            for (at, stretch) in fact.stretches_in(text, whole, found) {
                let expected: Vec<(usize, usize)> = fact
                    .captures_iter(stretch)
                    .map(|c| c.get(0).unwrap())
                    .map(|m| (at + m.start(), at + m.end()))
                    .collect();
                let mut anchored = Vec::new();
                let stretch = Span::new(at, at + stretch.len());
                fact.captures_in(text, stretch, found, |base, c| {
                    let m = c.get(0).unwrap();
                    anchored.push((base + m.start(), base + m.end()));
                });
                assert_eq!(anchored, expected, "{text}");
            }
        }
        // Look-around: never anchored, since a stretch would change what it sees.
        let looks = compile("破获\\b(?P<v>{num})起", recognizer, Compilation::Eager).unwrap();
        assert_eq!(looks.regex.prefix(), None);
    }

    #[test]
    fn suffixes_are_the_literals_every_match_ends_with() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            // The shorter literal is enough: a match ending with `个省` ends with `省`.
            ("[0-9]+(?:个省|省|人|名)", Some(&["人", "名", "省"])),
            ("驻村辅警(?P<v>[0-9]+)人", Some(&["人"])),
            ("[0-9]+(?:个方面|类)", Some(&["个方面", "类"])),
            // A macro last (anything in the skeleton), an optional end, a class end: no suffix.
            ("占[\\s\\S]*", None),
            ("[0-9]+人?", None),
            // A small class is a set of literals (`由|从` is parsed as one); a bigger one is
            // not.
            ("[0-9]+[人名]", Some(&["人", "名"])),
            ("[0-9]+[人名个家支]", Some(&["个", "人", "名", "家", "支"])),
            ("[0-9]+[人名个家支户件起次]", None),
        ];
        for (pattern, expected) in cases {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let found = suffix_literals(&hir);
            let found: Option<Vec<&str>> = found.as_ref().map(|set| {
                set.iter()
                    .map(|w| std::str::from_utf8(w).unwrap())
                    .collect()
            });
            assert_eq!(found.as_deref(), *expected, "{pattern}");
        }
    }

    /// The whole matches of one search of a stretch.
    type Wholes = Vec<(usize, usize)>;

    /// What [`FactRegex::captures_in`] finds in each stretch of `text`, and what a search of
    /// the stretch finds.
    fn both_searches(fact: &FactRegex, text: &str) -> Vec<(Wholes, Wholes)> {
        let index = LiteralIndex::new([fact]);
        let found = &index.scan(text)[0];
        let whole = Span::new(0, text.len());
        let mut out = Vec::new();
        for (at, stretch) in fact.stretches_in(text, whole, found) {
            let expected: Wholes = fact
                .captures_iter(stretch)
                .map(|c| c.get(0).unwrap())
                .map(|m| (at + m.start(), at + m.end()))
                .collect();
            let mut got = Vec::new();
            let stretch = Span::new(at, at + stretch.len());
            fact.captures_in(text, stretch, found, |base, c| {
                let m = c.get(0).unwrap();
                got.push((base + m.start(), base + m.end()));
            });
            out.push((got, expected));
        }
        out
    }

    #[test]
    fn a_search_backwards_from_the_suffixes_finds_what_a_search_of_the_stretch_finds() {
        let recognizer = Recognizer::standard();
        let list = "(?P<items>{list})(?P<n>{count})(?P<cls>个省|省|人)";
        let cases = [
            // Suffixes not preceded by a figure, one that is, a literal cut by the end.
            (list, "湖南、湖北4省", 1),
            (list, "湖南人、湖北人", 0),
            (list, "甲、乙、丙3个省", 1),
            (list, "甲、乙3", 0),
            // Two matches in a stretch.
            (list, "甲、乙2人丙、丁3省", 2),
            // The match that starts leftmost ends at the later suffix (it wins, not the
            // match that ends first).
            ("(?:乙丁|[甲乙戊己庚辛壬癸子]乙丁乙丙丁)", "甲乙丁乙丙丁", 1),
            // The second match starts after the first ends, but a longer match ending at the
            // same suffix started before it: its start is looked for again.
            ("[甲乙丁戊己庚辛壬癸]*?乙丁", "乙丁乙丁", 2),
            ("[甲乙丁戊己庚辛壬癸]*?乙丁", "甲乙丁甲甲乙丁丁乙丁", 3),
            // A match that is the suffix alone, after a character that cannot begin a
            // longer one: the reverse automaton reports the match, then dies.
            ("(?:[甲丙戊己庚辛壬癸子]乙)?人", "甲人", 1),
            ("(?:[甲丙戊己庚辛壬癸子]乙)?人", "甲乙人乙人", 2),
            // Suffixes after characters no match has there.
            ("[0-9]+人", "甲人乙人3人", 1),
            // Every character can occur (no barrier, one stretch), yet the regex looks at
            // nothing outside its match: still searched back from its suffixes.
            ("(?:[^x]|x[^y])*?第[0-9]+(?:名|位)", "甲第3名，乙第4位x", 2),
        ];
        for (pattern, text, count) in cases {
            let fact = compile(pattern, recognizer, Compilation::Eager)
                .unwrap()
                .regex;
            assert_eq!(fact.prefix(), None, "{pattern}");
            assert!(fact.suffix().is_some(), "{pattern}");
            let mut matches = 0;
            for (got, expected) in both_searches(&fact, text) {
                assert_eq!(got, expected, "{pattern} on {text}");
                matches += got.len();
            }
            assert_eq!(matches, count, "{pattern} on {text}");
        }
        let list = compile(list, recognizer, Compilation::Eager).unwrap().regex;
        assert_eq!(list.suffix().as_deref(), Some("人|省"));
    }

    /// [`Barrier::around`] as it was written first, character by character: the reference
    /// the byte-wise walk is compared with.
    fn around_reference(
        barrier: &Barrier,
        haystack: &str,
        start: usize,
        end: usize,
    ) -> (usize, usize) {
        let from = haystack[..start]
            .char_indices()
            .rev()
            .find(|&(_, c)| barrier.chars.contains(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let to = haystack[end..]
            .char_indices()
            .find(|&(_, c)| barrier.chars.contains(c))
            .map_or(haystack.len(), |(i, _)| end + i);
        (from, to)
    }

    #[test]
    fn the_stretch_around_a_place_is_the_one_a_walk_by_characters_finds() {
        let recognizer = Recognizer::standard();
        let rules = crate::rules::RuleSet::standard(recognizer).unwrap();
        let barriers: Vec<&Barrier> = rules
            .patterns()
            .filter_map(|p| p.barrier.as_ref())
            .collect();
        // The pack's barriers are what the walk is compared on: enough of them to mean something
        // (the pack moved most rules to statements, so fewer patterns have barriers than before).
        assert!(barriers.len() >= 5, "only {} barriers", barriers.len());
        // Every width of character, barrier or not, at either end and next to each other.
        let mut texts = vec![
            String::new(),
            "a，b。c;d".to_string(),
            "破获案件12起，抓获𠀀名（🎉）é、ü".to_string(),
            "，。".to_string(),
        ];
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
        for text in &texts {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for barrier in &barriers {
                for pair in bounds.windows(2).chain([[0, 0].as_slice()]) {
                    let (start, end) = (pair[0], pair[pair.len() - 1]);
                    assert_eq!(
                        barrier.around(text, start, end),
                        around_reference(barrier, text, start, end),
                        "{start}..{end} of {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn figure_lists_split_without_trimming() {
        let text = "1200起、35起和7起";
        let items = split_figures(text, Span::new(0, text.len()));
        let got: Vec<&str> = items.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(got, ["1200起", "35起", "7起"]);
    }

    #[test]
    fn list_regex_matches_enumerations_only() {
        let re = Regex::new(&list_pattern()).unwrap();
        let cases = [
            (
                "涉及湖南、湖北、广东、海南4省",
                Some("湖南、湖北、广东、海南"),
            ),
            ("一张网络覆盖湖南、湖北4省", Some("一张网络覆盖湖南、湖北")),
            ("“毒、枪、诈、赌、黄”等五类", Some("毒、枪、诈、赌、黄")),
            ("抓获犯罪嫌疑人18名，缴获毒品370克", None),
        ];
        for (text, expected) in cases {
            assert_eq!(re.find(text).map(|m| m.as_str()), expected, "{text}");
        }
    }
}
