//! Enumerations and `分别` groups.
//!
//! An enumeration is two or more short items joined by `、` (the last two may be joined by `和`,
//! `及`, `与`). Its count follows it (`湖南、湖北、广东、海南4省`, `“毒、枪、诈、赌、黄”等五类`)
//! or precedes it before a colon (`严打六类犯罪：盗窃、诈骗、…`, `明确三个重点：…；…；…`).
//! A `分别` group matches values after the marker with subjects before it: listed words
//! (`警情数、刑事案件数、治安案件数同比分别下降…`) or, when nothing is listed, the figures of the
//! clauses before it (`收案21081件，结案17855件，同比分别增长54.6%、29.5%`).

use super::build::Reading;
use super::lexicon::{Lexicon, Marker};
use super::{Enumeration, Link, Respectively, Role, Separator, Statements};
use crate::recognize::{Kind, Quantity};
use crate::span::Span;

/// Characters after which the words before a list end: a verb, a preposition or the place the
/// list belongs to. `一张涉及湖南、湖北` lists 湖南; `杨芳林乡警情数、刑事案件数` lists 警情数.
const LEAD_BOUNDARIES: &[char] = &[
    '的', '了', '对', '在', '将', '把', '是', '为', '有', '从', '向', '由', '及', '括', '乡', '镇',
    '县', '市', '区', '省', '村', '共', '含', '经', '按', '至', '涉',
];

/// Words that follow a list but are not part of its last item: `治安案件数同比分别下降`.
const TRAILING_WORDS: &[&str] = &["同比", "环比", "均", "各", "都", "也"];

/// Words that join the last two items.
const CONJUNCTIONS: &[&str] = &["和"];

/// Words that end a list instead of joining its last item: what follows them is a unit of its
/// own (`部市、院市、校市、央地及京津两市`: 两市 counts 京津).
const LIST_ENDERS: &[char] = &['及', '与', '或'];

/// The longest item, in characters, of a list that a count counts.
const MAX_COUNTED_ITEM: usize = 8;

/// The same for a list closed by `等`, whose count may only be larger: lists of programmes
/// (`劳动者就业关爱帮扶、暖心护老…等十件民生实事`).
const MAX_COUNTED_ITEM_ETC: usize = 10;

/// How far after a classifier the noun naming the counted things may stand
/// (`7个千亿级产业`, `3家5A级景区`).
const CATEGORY_WINDOW: usize = 6;

/// Whether a category noun follows the figure ending at `at` within a few characters, before
/// any pause.
fn names_category(lexicon: &Lexicon, text: &str, at: usize) -> bool {
    let window: String = text[at..]
        .chars()
        .take(CATEGORY_WINDOW)
        .take_while(|c| !"，。；：、,;:（(".contains(*c))
        .collect();
    window
        .char_indices()
        .any(|(i, _)| lexicon.category_at_start(&window[i..]).is_some())
}

/// The largest count that a list without `等` is compared with.
const MAX_LISTED: u32 = 30;

/// Lists and their counts, and the `分别` groups, before the other links are made: a list count
/// is no value a change speaks of, and a `分别` value belongs to its subject, not to the
/// nearest figure. Returns, per statement, whether it is a value of a `分别` group; the
/// readings are kept in step with the statements that remain.
pub(super) fn find(
    st: &mut Statements,
    readings: &mut Vec<Reading>,
    text: &str,
    quantities: &[Quantity],
    lexicon: &Lexicon,
) -> Vec<bool> {
    counted_lists(st, text, quantities, lexicon);
    drop_quoted_names(st, readings);
    respectively_groups(st, text);
    let mut respective = vec![false; st.statements.len()];
    for group in &st.respectively {
        for run in &group.values {
            for &v in run {
                respective[v] = true;
            }
        }
    }
    respective
}

/// Figures that open a quotation name a slogan or a policy (`稳住经济增长“20条”`, `“三个作用”`)
/// unless they count the list before them (`…等“八个显著提升”`): the others are no statements.
fn drop_quoted_names(st: &mut Statements, readings: &mut Vec<Reading>) {
    let keep: Vec<bool> = st
        .statements
        .iter()
        .map(|s| !s.quoted || s.role == Role::ListCount)
        .collect();
    let mut new_index = Vec::with_capacity(keep.len());
    let mut kept = 0;
    for &k in &keep {
        new_index.push(kept);
        kept += usize::from(k);
    }
    let mut flags = keep.iter();
    st.statements.retain(|_| *flags.next().unwrap_or(&true));
    let mut flags = keep.iter();
    readings.retain(|_| *flags.next().unwrap_or(&true));
    for e in &mut st.enumerations {
        e.count = new_index[e.count];
    }
}

/// The items of an enumeration written in `text[span]`, ending at `span.end`, and the span of
/// the list itself (the words before its first item cut away), or `None` when it is no list.
pub fn split_enumeration(text: &str, span: Span) -> Option<Split> {
    split_items(text, span, false)
}

/// An enumeration split into its items.
#[derive(Debug, Clone)]
pub struct Split {
    /// The list as written, the words before its first item cut away.
    pub span: Span,
    pub items: Vec<Span>,
    /// The last item was split from the one before at `和`: the two may be one item.
    pub joined_last: bool,
}

/// [`split_enumeration`]; with `counted`, the list is followed by its count, and the item after
/// `和` is cut like the first (`盐边县和凉山彝族自治州会理县等6个县`): it may carry the words of a
/// place before it. (Before `分别`, the last item carries the noun all items share instead:
/// `软件和信息服务业增加值`.)
fn split_items(text: &str, span: Span, counted: bool) -> Option<Split> {
    split_items_with(text, span, counted, false)
}

/// [`split_items`]; with `open`, the list is closed by `等` and an item may hold `与`/`及`
/// (`航空航天与低空经济等3个`: the count may only be larger, so one item more or less is no
/// false alarm).
fn split_items_with(text: &str, span: Span, counted: bool, open: bool) -> Option<Split> {
    let body = &text[span.range()];
    let mut items: Vec<Span> = Vec::new();
    let mut start = span.start;
    for (i, c) in body.char_indices() {
        if c == '、' {
            items.push(Span::new(start, span.start + i));
            start = span.start + i + c.len_utf8();
        }
    }
    let mut rest = Span::new(start, span.end);
    let mut joined = false;
    if let Some((at, len)) = find_conjunction(&text[rest.range()]) {
        items.push(Span::new(rest.start, rest.start + at));
        rest = Span::new(rest.start + at + len, rest.end);
        joined = true;
    }
    items.push(rest);
    if items.len() < 2 {
        return None;
    }
    trim_first(text, &mut items);
    if counted && joined && items.len() > 2 {
        // `盐边县和凉山彝族自治州会理县`: the item after 和 may carry the words of a place before
        // it too; it is cut to the length of the longest item before it.
        let last = items.len() - 1;
        items[last] = trim_to_longest(text, items[last], &items[..last]);
    }
    let last = items.len() - 1;
    let mut end = items[last].end;
    while let Some(word) = TRAILING_WORDS
        .iter()
        .find(|w| text[items[last].start..end].ends_with(**w) && end - w.len() > items[last].start)
    {
        end -= word.len();
    }
    items[last] = Span::new(items[last].start, end);
    for item in &mut items {
        *item = trim_quotes(text, *item);
        // `街道（乡镇）`, `社区（村）`: a parenthesis inside an item belongs to it.
        let t = without_parentheses(&text[item.range()]);
        if t.is_empty()
            || t.chars().any(|c| {
                c.is_ascii_digit()
                    || "，。；：,.;:!?！？（）()%等".contains(c)
                    || (!open && LIST_ENDERS.contains(&c))
                    || c.is_whitespace()
            })
        {
            return None;
        }
    }
    // `大商圈重要节点和综合交通枢纽、…`: `和` inside an item that is not the last makes the
    // list's shape unclear.
    if items[..last]
        .iter()
        .any(|it| find_conjunction(&text[it.range()]).is_some())
    {
        return None;
    }
    let span = Span::new(items[0].start, items[last].end);
    if !joined {
        return Some(Split {
            span,
            items,
            joined_last: false,
        });
    }
    // `和` joins the last two items, or the words of one (`软件和信息服务业`). The reading whose
    // items are of like length wins; when both are, or the list is open (`等`), the two are
    // one item or two.
    let mut merged = items.clone();
    let tail = merged.pop().unwrap_or_default();
    if let Some(before) = merged.last_mut() {
        *before = before.cover(tail);
    }
    let (split_like, merged_like) = (
        uniform(text, &items),
        merged.len() >= 2 && uniform(text, &merged),
    );
    Some(match (open, split_like, merged_like) {
        (false, false, true) => Split {
            span,
            items: merged,
            joined_last: false,
        },
        (false, true, false) | (false, false, false) => Split {
            span,
            items,
            joined_last: false,
        },
        _ => Split {
            span,
            items,
            joined_last: true,
        },
    })
}

/// `item` cut from the left to the length of the longest of `others`.
fn trim_to_longest(text: &str, item: Span, others: &[Span]) -> Span {
    let longest = others
        .iter()
        .map(|s| chars(text, trim_quotes(text, *s)))
        .max()
        .unwrap_or(usize::MAX);
    let body = &text[item.range()];
    let count = body.chars().count();
    if count <= longest {
        return item;
    }
    let cut = body
        .char_indices()
        .nth(count - longest)
        .map_or(0, |(i, _)| i);
    Span::new(item.start + cut, item.end)
}

/// The text without what stands in parentheses.
fn without_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|c| match c {
            '（' | '(' => {
                depth += 1;
                false
            }
            '）' | ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// The first conjunction inside `item` that has words on both sides: two characters or more
/// each, so that a name holding the character (`民和`, `仁和区`) is no pair of items.
fn find_conjunction(item: &str) -> Option<(usize, usize)> {
    CONJUNCTIONS
        .iter()
        .filter_map(|c| item.find(c).map(|at| (at, c.len())))
        .filter(|(at, len)| {
            item[..*at].chars().count() >= 2 && item[at + len..].chars().count() >= 2
        })
        .min()
}

/// Cuts the first item after the last lead boundary in it, then to the length of the longest
/// other item: lists of like things have items of like length.
fn trim_first(text: &str, items: &mut [Span]) {
    let first = items[0];
    let first_text = &text[first.range()];
    let mut start = first.start;
    // `牢固树立“对标对表、…”`: a list that opens a quotation starts after the quote mark.
    let quote = first_text
        .char_indices()
        .rfind(|(i, c)| "“「『\"".contains(*c) && i + c.len_utf8() < first_text.len());
    let boundary = first_text.char_indices().rfind(|(i, c)| {
        (LEAD_BOUNDARIES.contains(c) || "：:，,（(".contains(*c))
            && i + c.len_utf8() < first_text.len()
    });
    if let Some((i, c)) = quote.or(boundary) {
        start = first.start + i + c.len_utf8();
    }
    // Lists of like things have items of like length: the first is cut to the length of the
    // longest other item.
    let longest_other = items[1..]
        .iter()
        .map(|s| chars(text, trim_quotes(text, *s)))
        .max()
        .unwrap_or(usize::MAX);
    let remaining = &text[start..first.end];
    let count = remaining.chars().count();
    if quote.is_none() && count > longest_other {
        start += remaining
            .char_indices()
            .nth(count - longest_other)
            .map_or(0, |(i, _)| i);
    }
    items[0] = Span::new(start, first.end);
}

fn trim_quotes(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let trimmed = s.trim_matches(|c: char| "“”‘’\"'「」『』《》".contains(c) || c.is_whitespace());
    let lead = s.find(trimmed).unwrap_or(0);
    Span::new(span.start + lead, span.start + lead + trimmed.len())
}

fn chars(text: &str, span: Span) -> usize {
    without_parentheses(&text[span.range()]).chars().count()
}

/// Items of like length: the longest at most twice the shortest (three times in a list of
/// four or more, where one long item among short ones is still one of a kind).
pub fn uniform(text: &str, items: &[Span]) -> bool {
    let lengths: Vec<usize> = items.iter().map(|s| chars(text, *s)).collect();
    let (Some(min), Some(max)) = (lengths.iter().min(), lengths.iter().max()) else {
        return false;
    };
    let factor = if items.len() >= 4 { 3 } else { 2 };
    *max <= factor * *min
}

/// Lists counted by a figure right after them, or by a figure before a colon.
fn counted_lists(st: &mut Statements, text: &str, quantities: &[Quantity], lexicon: &Lexicon) {
    for i in 0..st.statements.len() {
        let s = &st.statements[i];
        let quantity = &quantities[s.quantity];
        // (`从四个方面回顾了…：` reads as where a change starts: a list count all the same.)
        if s.kind != Kind::Count || !matches!(s.role, Role::Total | Role::Part | Role::Base) {
            continue;
        }
        let Some(unit) = quantity.unit.as_ref().map(|u| u.text.clone()) else {
            continue;
        };
        // `4省`, `五类`: the unit names the items; `5个支队`, `三项机制`, `7个千亿级产业`: the
        // noun after it does.
        let counts_a_list = lexicon.is_list_unit(&unit)
            || (lexicon.is_list_counter(&unit) && names_category(lexicon, text, s.span.end));
        if !counts_a_list {
            continue;
        }
        let list = list_before(st, i, text, quantities)
            .or_else(|| list_after_colon(st, i, text, quantities));
        let Some(List {
            span,
            items,
            etc,
            clauses,
            joined_last,
        }) = list
        else {
            continue;
        };
        let persons = matches!(&*unit, "人" | "名");
        let exact = s.span;
        let value = quantities[s.quantity].value.as_exact();
        let small = value.is_some_and(|v| {
            v <= rust_decimal::Decimal::from(MAX_LISTED) && v >= rust_decimal::Decimal::TWO
        });
        // `新建、重组11家…`, `围绕增速、结构、效率提出5项指标`: an item that ends with an action
        // is no thing to count.
        // (A list of things may hold one that is also a verb: `稳定、发展、生态、强边`.)
        let ends_with_verb = |it: &Span| {
            lexicon.find(&text[it.range()]).last().is_some_and(|f| {
                f.end == it.len() && f.word.verb.is_some() && f.word.qualifier.is_none()
            })
        };
        let verb_items = items.iter().filter(|it| ends_with_verb(it)).count();
        let verbs = items
            .last()
            .is_some_and(|it| ends_with_verb(it) && chars(text, *it) > 2)
            || 2 * verb_items >= items.len();
        // People are listed by name: anonymized (`庞某`) or a given name of two or three
        // characters (`白所成`), not with their titles.
        let listed = text[span.range()].contains('、');
        let names_ok = !persons
            || items.iter().all(|it| {
                let name = &text[it.range()];
                name.ends_with('某') || (listed && (2..=3).contains(&name.chars().count()))
            });
        let longest = if etc {
            MAX_COUNTED_ITEM_ETC
        } else {
            MAX_COUNTED_ITEM
        };
        let short = items.iter().all(|it| chars(text, *it) <= longest);
        // Items a clause each (`…；…；…`) are sentences of their own: neither short nor alike.
        let like = clauses || (uniform(text, &items) && short);
        if !(like && names_ok && (small || etc) && !verbs) {
            continue;
        }
        let _ = exact;
        st.statements[i].role = Role::ListCount;
        st.statements[i].etc = etc;
        st.enumerations.push(Enumeration {
            items,
            span,
            joined_last,
            count: i,
        });
    }
}

/// `湖南、湖北、广东、海南4省`, `“毒、枪、诈、赌、黄”等五类`: the list right before the figure.
fn list_before(st: &Statements, i: usize, text: &str, quantities: &[Quantity]) -> Option<List> {
    let s = &st.statements[i];
    let clause = &st.layout.clauses[s.clause];
    let start = quantities
        .iter()
        .filter(|q| q.span.end <= s.span.start && q.span.start >= clause.span.start)
        .map(|q| q.span.end)
        .max()
        .unwrap_or(clause.span.start);
    let mut end = s.span.start;
    // `“省市共建、一室一策”支持长白山、三江、吉光4个`: a quotation that closes before the list
    // is not part of it.
    let start = match text[start..end]
        .trim_end_matches(['等', '”', '"', '」'])
        .rfind(['”', '」'])
    {
        // Only a quotation that holds a list of its own (`“省市共建、一室一策”`); `“一带一路”`
        // inside an item is part of it.
        Some(i) if quoted_list_before(&text[start..start + i]) => start + i + '”'.len_utf8(),
        _ => start,
    };
    let before = &text[start..end];
    let etc = before.ends_with('等');
    if etc {
        end -= '等'.len_utf8();
    }
    let before = &text[start..end];
    if !before.contains('、') && find_conjunction(before).is_none() {
        return None;
    }
    // `扩消费六大工程、城建六大攻坚行动`: a list cannot begin inside a word after a figure.
    if start > clause.span.start
        && text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| !"，、：；,:;（(“\"".contains(c))
        && quantities.iter().any(|q| q.span.end == start)
        && text[start..].chars().next().is_some_and(is_cjk)
    {
        return None;
    }
    let split = split_items_with(text, Span::new(start, end), true, etc)?;
    // Joined by `和` alone, two words are not clearly a list (`重要头目和另外4名`).
    if !text[split.span.range()].contains('、')
        && split.items.len() == 2
        && split.items.iter().any(|it| chars(text, *it) > 3)
    {
        return None;
    }
    Some(List {
        span: split.span,
        items: split.items,
        joined_last: split.joined_last,
        etc,
        clauses: false,
    })
}

/// `严打六类犯罪：盗窃、诈骗、…`, `明确三个重点：打击…；紧盯…；聚焦…`, `从四个方面回顾了工作：
/// 一是…；二是…`: the figure is the last of its clause, the clause ends with a colon (or the
/// figure counts `以下N个方面`), and a list follows: an enumeration in the next clause, the
/// stretches between semicolons to the end of the sentence, or numbered paragraphs.
fn list_after_colon(
    st: &Statements,
    i: usize,
    text: &str,
    quantities: &[Quantity],
) -> Option<List> {
    let s = &st.statements[i];
    let c = s.clause;
    let clause = &st.layout.clauses[c];
    let tail = &text[s.span.end..clause.span.end];
    let figures_after = quantities.iter().any(|q| {
        clause.span.contains(q.span) && q.span.start > s.span.start && q.kind != Kind::Date
    });
    if tail.chars().count() > MAX_COLON_TAIL || figures_after {
        return None;
    }
    let sentence = &st.layout.sentences[clause.sentence];
    let last_of_paragraph = st
        .layout
        .sentences
        .get(clause.sentence + 1)
        .is_none_or(|n| n.paragraph != sentence.paragraph);
    // `突出了以下四个方面。`, `具体抓好9个方面工作：`: the items are the paragraphs that follow.
    let ends_paragraph = last_of_paragraph && c + 1 == sentence.clauses.end;
    let below = text[sentence.span.start..s.span.start].ends_with("以下");
    if (clause.separator == Separator::Colon || below) && ends_paragraph {
        return numbered_paragraphs(st, sentence.paragraph, text);
    }
    if clause.separator != Separator::Colon {
        return None;
    }
    let next = st.layout.clauses.get(c + 1)?;
    if next.sentence != clause.sentence || next.note_of.is_some() {
        return None;
    }
    let next_text = &text[next.span.range()];
    if next.separator != Separator::Semicolon
        && next.separator != Separator::Comma
        && next_text.contains('、')
    {
        let mut end = next.span.end;
        let etc = next_text.ends_with('等');
        if etc {
            end -= '等'.len_utf8();
        }
        let split = split_enumeration(text, Span::new(next.span.start, end))?;
        return Some(List {
            span: split.span,
            items: split.items,
            joined_last: split.joined_last,
            etc,
            clauses: false,
        });
    }
    let paragraph = st.layout.paragraphs[sentence.paragraph].span;
    shi_items(text, next.span.start, paragraph.end)
        .or_else(|| semicolon_items(st, c + 1, clause.sentence))
}

/// `一是…；二是…。三是…`: items opened by `一是`, `二是`… from `from` on, to the end of the
/// paragraph, counted while the numbers follow each other.
fn shi_items(text: &str, from: usize, end: usize) -> Option<List> {
    let body = &text[from..end];
    if !body.starts_with("一是") {
        return None;
    }
    let mut starts = vec![from];
    let mut at = 0;
    for n in 2.. {
        let Some(marker) = shi_marker(n) else { break };
        let Some(i) = body[at..].find(&marker) else {
            break;
        };
        at += i + marker.len();
        starts.push(from + at - marker.len());
    }
    if starts.len() < 2 {
        return None;
    }
    let items: Vec<Span> = starts
        .iter()
        .enumerate()
        .map(|(k, &s)| Span::new(s, starts.get(k + 1).copied().unwrap_or(end)))
        .collect();
    Some(List {
        span: Span::new(from, end),
        items,
        etc: false,
        clauses: true,
        joined_last: false,
    })
}

/// `二是`, `三是`, … `十九是`.
fn shi_marker(n: usize) -> Option<String> {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let numeral = match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => return None,
    };
    Some(format!("{numeral}是"))
}

/// The most characters between a count and the colon that opens its list
/// (`从四个方面回顾了2023年工作：`).
const MAX_COLON_TAIL: usize = 16;

/// The stretches between semicolons from clause `first` to the end of its sentence, one item
/// each (an item may hold commas), when there are two or more.
fn semicolon_items(st: &Statements, first: usize, sentence: usize) -> Option<List> {
    let mut items: Vec<Span> = Vec::new();
    let mut start: Option<usize> = None;
    let mut k = first;
    loop {
        let clause = st.layout.clauses.get(k)?;
        if clause.sentence != sentence {
            return None;
        }
        if clause.note_of.is_none() {
            let at = *start.get_or_insert(clause.span.start);
            match clause.separator {
                Separator::Semicolon => {
                    items.push(Span::new(at, clause.span.end));
                    start = None;
                }
                Separator::End => {
                    items.push(Span::new(at, clause.span.end));
                    break;
                }
                Separator::Comma | Separator::Colon => {}
            }
        }
        k += 1;
    }
    (items.len() >= 2).then(|| List {
        span: Span::new(items[0].start, items[items.len() - 1].end),
        items,
        etc: false,
        clauses: true,
        joined_last: false,
    })
}

/// The paragraphs after `paragraph` that open with the numbers of one sequence (`（一）`,
/// `（二）`…, `一、`, `二、`…, `一是`, `二是`…, `1.`, `2.`…), counted until the sequence ends:
/// a paragraph opening with a number of another style at a higher level, or the next number
/// missing before the document ends. Paragraphs without a number (an item's own text) are
/// passed over.
fn numbered_paragraphs(st: &Statements, paragraph: usize, text: &str) -> Option<List> {
    let mut items: Vec<Span> = Vec::new();
    let mut style: Option<NumberStyle> = None;
    for p in &st.layout.paragraphs[paragraph + 1..] {
        let line = &text[p.span.range()];
        let Some((found, n)) = paragraph_number(line) else {
            continue;
        };
        match style {
            None if n == 1 => style = Some(found),
            None => return None,
            Some(current) if found == current && n == items.len() + 1 => {}
            Some(current) if found == current => break,
            // A number of a higher level ends the list; one of a lower level is inside an item.
            Some(current) if found.level() < current.level() => break,
            Some(_) => continue,
        }
        items.push(p.span);
    }
    (items.len() >= 2).then(|| List {
        span: Span::new(items[0].start, items[items.len() - 1].end),
        items,
        etc: false,
        clauses: true,
        joined_last: false,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberStyle {
    /// `一、`
    Chinese,
    /// `（一）`
    Bracketed,
    /// `一是`
    Shi,
    /// `1.`, `1、`
    Arabic,
}

impl NumberStyle {
    /// How high the style stands in a document's outline: 一、 above （一） above 1. above 一是.
    fn level(self) -> u8 {
        match self {
            NumberStyle::Chinese => 0,
            NumberStyle::Bracketed => 1,
            NumberStyle::Arabic => 2,
            NumberStyle::Shi => 3,
        }
    }
}

/// The number a paragraph opens with, and its style.
fn paragraph_number(line: &str) -> Option<(NumberStyle, usize)> {
    let line = line.trim_start_matches(|c: char| c.is_whitespace() || c == '　');
    let digits: String = line
        .trim_start_matches(['（', '('])
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c) || c.is_ascii_digit())
        .collect();
    if digits.is_empty() {
        return None;
    }
    let n = numeral_value(&digits)?;
    let bracketed = line.starts_with(['（', '(']);
    let rest = &line.trim_start_matches(['（', '('])[digits.len()..];
    let style = if bracketed && rest.starts_with(['）', ')']) {
        NumberStyle::Bracketed
    } else if bracketed {
        return None;
    } else if digits.starts_with(|c: char| c.is_ascii_digit()) {
        if rest.starts_with(['.', '．', '、'])
            && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            NumberStyle::Arabic
        } else {
            return None;
        }
    } else if rest.starts_with('、') {
        NumberStyle::Chinese
    } else if rest.starts_with('是') {
        NumberStyle::Shi
    } else {
        return None;
    };
    Some((style, n))
}

/// The value of a small numeral written in Chinese (`一`…`十九`) or Arabic digits.
fn numeral_value(digits: &str) -> Option<usize> {
    if let Ok(n) = digits.parse::<usize>() {
        return Some(n);
    }
    let digit = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map(|i| i / '一'.len_utf8() + 1)
    };
    let chars: Vec<char> = digits.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', d] => Some(10 * digit(*t)? + digit(*d)?),
        _ => None,
    }
}

/// Whether the quotation that closes at the end of `before` holds a `、`.
fn quoted_list_before(before: &str) -> bool {
    before
        .rfind(['“', '「'])
        .is_some_and(|open| before[open..].contains('、'))
}

/// An enumeration found next to a count.
struct List {
    span: Span,
    items: Vec<Span>,
    /// The last item was split from the one before at `和`.
    joined_last: bool,
    /// `等` ends the list: the count may be larger.
    etc: bool,
    /// The items are clauses joined by semicolons.
    clauses: bool,
}

/// `分别` groups: the values after the marker in its clause, in runs, and their subjects.
/// The `分别` groups: values after the marker, in runs, with their subjects.
fn respectively_groups(st: &mut Statements, text: &str) {
    let mut groups = Vec::new();
    for c in 0..st.layout.clauses.len() {
        if !st.clause_markers[c].contains(Marker::Respectively) {
            continue;
        }
        let Some(marker) = find_marker(st, c, text) else {
            continue;
        };
        let values: Vec<usize> = (0..st.statements.len())
            .filter(|&s| st.statements[s].clause == c && st.statements[s].span.start >= marker.end)
            .collect();
        if values.is_empty() {
            continue;
        }
        // `共破获盗窃案件64起，分别为城东分局27起…`: a breakdown, not a `分别` group.
        if opens_breakdown(st, c, marker, values[0]) {
            continue;
        }
        let runs = runs(st, &values, text);
        let before = Span::new(
            clause_start_after_figures(st, c, marker.start, text),
            marker.start,
        );
        let counted = counted_subjects(st, c, marker, text);
        let (subjects, subject_statements, joined_last) =
            match counted.or_else(|| listed_subjects(text, before)) {
                Some((items, joined)) => (items, Vec::new(), joined),
                // `城乡居民人均可支配收入分别增长…`: one word naming two subjects.
                None if pair_at(text, before).is_some() => {
                    let pair = pair_at(text, before).unwrap_or(before);
                    (vec![pair, pair], Vec::new(), false)
                }
                None if words_only(text, before) && !figure_subjects(st, c, marker).is_empty() => {
                    let figures = figure_subjects(st, c, marker);
                    let spans = figures.iter().map(|&f| st.statements[f].span).collect();
                    (spans, figures, false)
                }
                // `城市低保标准分别提高48%、45.5%`: one subject, named alone in its sentence.
                None => match single_subject(st, c, marker, before, text) {
                    Some(one) => (vec![one], Vec::new(), false),
                    None => continue,
                },
            };
        if subjects.is_empty() {
            continue;
        }
        groups.push(Respectively {
            marker,
            subjects,
            joined_last,
            subject_statements,
            values: runs,
        });
    }
    st.respectively = groups;
}

/// The one subject of a `分别` whose sentence names nothing else before it: no figure, no list
/// or conjunction, no word that makes a subject plural (`两地`, `各地`, `双方`), from the
/// sentence start to the marker. None when anything there could stand for several.
fn single_subject(
    st: &Statements,
    c: usize,
    marker: Span,
    before: Span,
    text: &str,
) -> Option<Span> {
    let sentence = st.layout.clauses[c].sentence;
    let first_clause = (0..=c)
        .rev()
        .take_while(|&k| st.layout.clauses[k].sentence == sentence)
        .last()?;
    let start = st.layout.clauses[first_clause].span.start;
    if st
        .statements
        .iter()
        .any(|s| st.layout.clauses[s.clause].sentence == sentence && s.span.start < marker.start)
    {
        return None;
    }
    let words = &text[start..marker.start];
    let lexicon = super::Lexicon::standard();
    let plural = |w: &str| lexicon.plurals.iter().any(|p| w.contains(&**p));
    let subject = text[before.range()].trim();
    let several = words.contains(['、', '/', '；', ';', '（', '(', '“'])
        || find_conjunction(words).is_some()
        || plural(words)
        || lexicon.pairs.iter().any(|p| words.contains(&**p))
        || words.chars().any(|ch| ch.is_ascii_digit());
    (!several && subject.chars().filter(|&ch| is_cjk(ch)).count() >= 2).then_some(before)
}

/// `分别为`/`分别是` opening a clause right after a figure of the values' family: the parts of
/// that figure (`共破获盗窃案件64起，分别为城东分局27起、…`), not values of subjects.
fn opens_breakdown(st: &Statements, c: usize, marker: Span, first_value: usize) -> bool {
    let clause = &st.layout.clauses[c];
    if marker.start != clause.span.start || !st.clause_markers[c].contains(Marker::Complete) {
        return false;
    }
    let value = &st.statements[first_value];
    st.statements.iter().any(|s| {
        s.clause + 1 == c
            && st.layout.clauses[s.clause].sentence == clause.sentence
            && s.measure.family.is_some()
            && s.measure.family == value.measure.family
    })
}

/// `城关、东关、西关、南关4个派出所辖区警情同比分别下降…`: a counted list before the marker in
/// its clause, with no other figure between, gives the subjects.
fn counted_subjects(
    st: &Statements,
    c: usize,
    marker: Span,
    text: &str,
) -> Option<(Vec<Span>, bool)> {
    let e = st.enumerations.iter().rev().find(|e| {
        let count = &st.statements[e.count];
        count.clause == c && count.span.end <= marker.start
    })?;
    let count_end = st.statements[e.count].span.end;
    let between_figures = st
        .statements
        .iter()
        .any(|s| s.clause == c && s.span.start >= count_end && s.span.end <= marker.start);
    let gap = text[count_end..marker.start].chars().count();
    (!between_figures && gap <= MAX_SUBJECT_TAIL).then(|| (e.items.clone(), e.joined_last))
}

/// The most characters between a counted list and `分别` (`4个派出所辖区警情同比`).
const MAX_SUBJECT_TAIL: usize = 16;

/// Links each `分别` value to its subject when the subjects are figures, and makes a rate the
/// change of its subject.
pub(super) fn link_respectively(st: &mut Statements) {
    let groups = st.respectively.clone();
    for group in groups {
        let subject_statements = group.subject_statements;
        let runs = group.values;
        for run in &runs {
            for &v in run {
                if v != run[0] {
                    add(st, run[0], Link::Values, v);
                }
            }
            if subject_statements.len() == run.len() && !subject_statements.is_empty() {
                for (&v, &s) in run.iter().zip(&subject_statements) {
                    add(st, v, Link::Subject, s);
                    // `有“90后”196名、“00后”83名，占比分别为50.4%、21.3%`: each share is of its
                    // subject, within the subject's whole.
                    if st.statements[v].role == Role::Share {
                        add(st, v, Link::SharePart, s);
                        if let Some(whole) = st.statements[s].first_linked(Link::Whole) {
                            add(st, v, Link::Whole, whole);
                            add(st, whole, Link::Shares, v);
                        }
                    }
                    if matches!(st.statements[v].role, Role::ChangeRate | Role::ChangePoints) {
                        let link = if st.statements[v].role == Role::ChangeRate {
                            Link::Rate
                        } else {
                            Link::Points
                        };
                        add(st, v, Link::Current, s);
                        add(st, s, link, v);
                        if st.statements[v].measure.verb.is_none() {
                            let family = st.statements[v].measure.family.clone();
                            st.statements[v].measure = st.statements[s].measure.clone();
                            st.statements[v].measure.family = family;
                        }
                    }
                }
            }
        }
    }
}

fn add(st: &mut Statements, from: usize, link: Link, to: usize) {
    let links = &mut st.statements[from].links;
    if !links.contains(&(link, to)) {
        links.push((link, to));
    }
}

/// The `分别` marker of clause `c`, as a span of the view text.
fn find_marker(st: &Statements, c: usize, text: &str) -> Option<Span> {
    let clause = &st.layout.clauses[c];
    let lexicon = super::Lexicon::standard();
    for piece in st.layout.clause_pieces(c, clause.span) {
        for found in lexicon.find(&text[piece.range()]) {
            if found.word.markers.contains(Marker::Respectively) {
                return Some(Span::new(
                    piece.start + found.start,
                    piece.start + found.end,
                ));
            }
        }
    }
    None
}

/// Where the words before a marker start: after the last figure before it in its clause that
/// stands on its own (`九年义务教育巩固率`: a figure inside a word does not cut the list).
fn clause_start_after_figures(st: &Statements, c: usize, at: usize, text: &str) -> usize {
    let clause = &st.layout.clauses[c];
    st.statements
        .iter()
        .filter(|s| s.clause == c && s.span.end <= at)
        .filter(|s| {
            text[s.span.end..]
                .chars()
                .next()
                .is_none_or(|ch| !is_cjk(ch) || s.span.end == at)
        })
        .map(|s| s.span.end)
        .max()
        .unwrap_or(clause.span.start)
        .max(clause.span.start)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Runs of values: consecutive figures joined only by `、` or a conjunction.
fn runs(st: &Statements, values: &[usize], text: &str) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for &v in values {
        let joined = runs.last().and_then(|r| r.last()).is_some_and(|&prev| {
            let between = text[st.statements[prev].span.end..st.statements[v].span.start].trim();
            between.is_empty() || matches!(between, "、" | "和" | "及" | "与" | "以及")
        });
        if joined {
            if let Some(r) = runs.last_mut() {
                r.push(v);
            }
        } else {
            runs.push(vec![v]);
        }
    }
    runs
}

/// The listed subjects before a `分别` (`警情数、刑事案件数、治安案件数同比`), when they are a
/// real enumeration (items of like length).
///
/// The last item carries what all items share (`传统“盗抢骗”案件`, `化妆品抽检合格率`), so it is
/// left out when items are compared; `等` ends the list (`食品、石化、医药、信息等产业增加值`).
fn listed_subjects(text: &str, before: Span) -> Option<(Vec<Span>, bool)> {
    let before = match list_closer(&text[before.range()]) {
        Some(i) => Span::new(before.start, before.start + i),
        None => before,
    };
    let split = split_subjects(text, before)?;
    let (items, joined) = split;
    let heads = &items[..items.len() - 1];
    (heads.len() < 2 || alike(text, heads, SUBJECT_LENGTH_FACTOR)).then_some((items, joined))
}

/// Where `等` closes the list in `text`, after its last `、`: not the `等` of `高等教育`, `平等`.
fn list_closer(text: &str) -> Option<usize> {
    let after = text.rfind('、').map_or(0, |i| i + '、'.len_utf8());
    text[after..]
        .match_indices('等')
        .map(|(i, _)| after + i)
        .find(|&i| {
            let before = text[..i].chars().next_back();
            let next = text[i + '等'.len_utf8()..].chars().next();
            !matches!(
                before,
                Some(
                    '高' | '中'
                        | '初'
                        | '同'
                        | '平'
                        | '对'
                        | '相'
                        | '均'
                        | '优'
                        | '特'
                        | '上'
                        | '下'
                        | '次'
                )
            ) && !matches!(next, Some('级' | '待' | '于' | '同' | '候'))
        })
}

/// How much longer than the shortest one subject may be (`严重暴力犯罪`, `拐卖`).
const SUBJECT_LENGTH_FACTOR: usize = 3;

/// The subjects before `分别`, split at `、` and at `和` before the last; whether the item after
/// `和` may be one with the one before (`金融业、软件和信息服务业增加值`: two industries or three)
/// is decided by the items before the last, which carry no shared noun.
fn split_subjects(text: &str, span: Span) -> Option<(Vec<Span>, bool)> {
    let split = split_items(text, span, false)?;
    let mut items = split.items;
    if !text[span.range()].contains('和') || items.len() < 2 {
        return Some((items, false));
    }
    // Split at 和, all items alike (`火灾起数、火灾亡人数和直接财产损失数`): that reading. Else the
    // reading that keeps `软件和信息服务业增加值` whole, when the items before it are alike; else
    // either may be meant.
    let k = items.len();
    let split_like = alike(text, &items, SUBJECT_LENGTH_FACTOR);
    let merged_like = k >= 3 && alike(text, &items[..k - 2], SUBJECT_LENGTH_FACTOR);
    let tail = items.pop().unwrap_or_default();
    let merged_items = {
        let mut m = items.clone();
        if let Some(last) = m.last_mut() {
            *last = last.cover(tail);
        }
        m
    };
    items.push(tail);
    Some(match (split_like, merged_like) {
        (true, _) => (items, false),
        (false, true) => (merged_items, false),
        (false, false) => (items, true),
    })
}

/// Whether items are of like length: the longest at most `factor` times the shortest.
fn alike(text: &str, items: &[Span], factor: usize) -> bool {
    let lengths: Vec<usize> = items.iter().map(|s| chars(text, *s)).collect();
    match (lengths.iter().min(), lengths.iter().max()) {
        (Some(min), Some(max)) => *max <= factor * *min,
        _ => true,
    }
}

/// A word that names two subjects at the start of `before` (after the words that lead to it).
fn pair_at(text: &str, before: Span) -> Option<Span> {
    let body = &text[before.range()];
    let lexicon = super::Lexicon::standard();
    lexicon
        .pairs
        .iter()
        .filter_map(|p| body.find(&**p).map(|i| (i, p.len())))
        .filter(|(i, _)| body[..*i].chars().count() <= MAX_PAIR_LEAD)
        .min()
        .map(|(i, len)| Span::new(before.start + i, before.start + i + len))
}

/// How far into the words before `分别` a pair word may stand (`全省城乡…`).
const MAX_PAIR_LEAD: usize = 4;

/// Whether the text before the marker is only words that cannot be subjects themselves
/// (`同比`, `均`, nothing): the subjects are then the figures before.
fn words_only(text: &str, before: Span) -> bool {
    let t = text[before.range()].trim();
    t.chars().count() <= 4 && !t.contains('、') && find_conjunction(t).is_none()
}

/// The figures that `分别` values stand for when no subjects are listed: the values before the
/// marker in its clause; else, when the nearest clause before with values holds two or more
/// (`有“90后”196名、“00后”83名，占比分别为…`), those; else the values of the clauses before it
/// in its sentence, one a clause (`收案21081件，结案17855件，同比分别增长…`), back to a clause
/// without one, a clause with a change, a `分别` or a whole that opens parts (`…中`, `：`).
fn figure_subjects(st: &Statements, c: usize, marker: Span) -> Vec<usize> {
    let sentence = st.layout.clauses[c].sentence;
    let is_value = |s: usize| {
        let q = &st.statements[s];
        matches!(q.role, Role::Total | Role::Base | Role::Part)
            && !matches!(
                q.kind,
                Kind::Percent | Kind::PercentagePoint | Kind::Ordinal
            )
    };
    let in_clause = |k: usize| -> Vec<usize> {
        (0..st.statements.len())
            .filter(|&s| st.statements[s].clause == k)
            .collect()
    };
    let found: Vec<usize> = in_clause(c)
        .into_iter()
        .filter(|&s| st.statements[s].span.end <= marker.start && is_value(s))
        .collect();
    // `收入从46503元和16935元分别提高到…`: the figures of the marker's own clause.
    if !found.is_empty() {
        return found;
    }
    let mut found = Vec::new();
    let mut k = c;
    while k > 0 {
        k -= 1;
        let prev = &st.layout.clauses[k];
        if prev.sentence != sentence {
            break;
        }
        if prev.note_of.is_some() {
            continue;
        }
        let statements = in_clause(k);
        let changes = statements.iter().any(|&s| {
            matches!(
                st.statements[s].role,
                Role::ChangeRate | Role::ChangePoints | Role::ChangeDiff | Role::Share
            )
        });
        let values: Vec<usize> = statements.into_iter().filter(|&s| is_value(s)).collect();
        let opens_parts =
            prev.separator == Separator::Colon || st.clause_markers[k].contains(Marker::Among);
        if changes
            || st.clause_markers[k].contains(Marker::Respectively)
            || values.is_empty()
            || (opens_parts && !found.is_empty())
        {
            break;
        }
        if found.is_empty() && values.len() >= 2 {
            return values;
        }
        if values.len() >= 2 {
            break;
        }
        found.splice(0..0, values);
    }
    found
}
