//! `statlint annotate`: a copy of a Word document with a comment (批注, author `statlint`)
//! anchored on the figures of each finding, the way an editor already reviews a draft.
//!
//! The loader says where each stretch of the checked text is in the file (its
//! [`Origin`]: XML part, run, character, counted by [`RunCursor`]); this writer reads the same
//! parts with the same cursor and adds, around each figure, `w:commentRangeStart`,
//! `w:commentRangeEnd` and a run holding `w:commentReference`, and the comments themselves to
//! `word/comments.xml` (added, with its relationship and content type, when the draft has
//! none). Everything else is copied byte for byte: a run is split only where a comment starts
//! or ends inside it, both halves keeping its properties (`w:rPr`); tracked changes, existing
//! comments, fields and images are untouched. New comments take ids above every `w:id` of the
//! document, so none collides with an existing comment, bookmark or tracked change.
//!
//! Where the figure is (see docs/editors.md, "在 Word 中查看批注"):
//! - body text, table cells, text boxes, footnotes and endnotes: on the figure itself;
//! - headers and footers, where Word allows no comment: at the start of the body's first
//!   paragraph, the comment saying where the figure is.

use crate::finding::Finding;
use crate::load::docx::{RunCursor, WORD_NS, resolve_target};
use crate::load::office::{self, Archive, Origin};
use crate::load::{Region, RegionKind};
use crate::span::Span;
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::Arc;

/// The author and initials of every comment statlint adds.
pub const AUTHOR: &str = "statlint";
pub const INITIALS: &str = "SL";

const BODY: &str = "word/document.xml";
const RELATIONSHIPS: &str = "word/_rels/document.xml.rels";
const CONTENT_TYPES: &str = "[Content_Types].xml";
const COMMENTS_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";

/// Why a document could not be annotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage(pub String);

impl From<office::Damage> for Damage {
    fn from(office::Damage(reason): office::Damage) -> Damage {
        Damage(reason)
    }
}

/// The document as `check` read it: its text, regions and origins, and the findings in it.
pub struct Checked<'a> {
    pub text: &'a str,
    pub regions: &'a [Region],
    pub origins: &'a [(Span, Origin)],
    pub findings: &'a [Finding],
}

/// What was written: the annotated document and the number of comments added.
pub struct Annotated {
    pub bytes: Vec<u8>,
    pub comments: usize,
}

/// The `.docx` in `bytes` with a comment on the figures of each finding of `checked`. Its parts
/// may inflate to at most `limit` bytes, as when it was loaded.
pub fn annotate_docx(bytes: &[u8], checked: &Checked, limit: u64) -> Result<Annotated, Damage> {
    let mut archive = Archive::open(bytes, limit)?;
    let notes = notes(checked);
    if notes.is_empty() {
        // Nothing to add: the copy is the draft itself, byte for byte.
        return Ok(Annotated {
            bytes: bytes.to_vec(),
            comments: 0,
        });
    }
    let names = archive.names();
    let relationships = archive.part(RELATIONSHIPS)?;
    let comments_part = relationships
        .as_deref()
        .map(comments_target)
        .transpose()?
        .flatten();
    let mut first_id = 0;
    let mut parts: HashMap<String, String> = HashMap::new();
    for name in names.iter().filter(|n| is_word_xml(n)) {
        if let Some(xml) = archive.part(name)? {
            first_id = first_id.max(max_id(&xml, name)?.map_or(0, |id| id + 1));
            parts.insert(name.clone(), xml);
        }
    }
    let body = parts
        .get(BODY)
        .ok_or_else(|| Damage(format!("the archive has no {BODY}")))?;
    let namespace = word_namespace(body, BODY)?;

    // Each note's id, and its anchors: the actions in each part, by run.
    let mut actions: HashMap<Arc<str>, BTreeMap<usize, Vec<Action>>> = HashMap::new();
    let mut comments = String::new();
    for (i, note) in notes.iter().enumerate() {
        let id = first_id + i as u64;
        let empty = note.anchor.start == note.anchor.end;
        let runs = actions.entry(note.anchor.part.clone()).or_default();
        let (start_run, start_char) = note.anchor.start;
        let (end_run, end_char) = note.anchor.end;
        runs.entry(start_run).or_default().push(Action {
            char: start_char,
            order: 1,
            kind: Marker::Start(id),
        });
        runs.entry(end_run).or_default().push(Action {
            char: end_char,
            order: if empty { 2 } else { 0 },
            kind: Marker::End(id),
        });
        comments.push_str(&comment_xml(id, &note.paragraphs));
    }

    let mut replaced: HashMap<String, Vec<u8>> = HashMap::new();
    for (part, mut runs) in actions {
        let xml = parts
            .get(&*part)
            .ok_or_else(|| Damage(format!("the archive has no {part}")))?;
        for list in runs.values_mut() {
            list.sort_by_key(|a| (a.char, a.order));
        }
        let rewritten = mark(xml, &part, runs, namespace)?;
        replaced.insert(part.to_string(), rewritten.into_bytes());
    }

    let mut added: Vec<(String, Vec<u8>)> = Vec::new();
    match comments_part
        .as_ref()
        .filter(|name| parts.contains_key(*name))
    {
        Some(name) => {
            let xml = &parts[name];
            replaced.insert(
                name.clone(),
                append_comments(xml, name, &comments)?.into_bytes(),
            );
        }
        None => {
            let name = "word/comments.xml".to_string();
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
                 <w:comments xmlns:w=\"{namespace}\">{comments}</w:comments>"
            );
            if names.contains(&name) {
                replaced.insert(name.clone(), xml.into_bytes());
            } else {
                added.push((name.clone(), xml.into_bytes()));
            }
            let target = name.trim_start_matches("word/");
            let rels = match &relationships {
                Some(xml) => add_relationship(xml, target)?,
                None => format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
                     <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                     <Relationship Id=\"rId1\" Type=\"{COMMENTS_TYPE}\" Target=\"{target}\"/></Relationships>"
                ),
            };
            if relationships.is_some() {
                replaced.insert(RELATIONSHIPS.to_string(), rels.into_bytes());
            } else {
                added.push((RELATIONSHIPS.to_string(), rels.into_bytes()));
            }
            let types = archive
                .part(CONTENT_TYPES)?
                .ok_or_else(|| Damage(format!("the archive has no {CONTENT_TYPES}")))?;
            replaced.insert(
                CONTENT_TYPES.to_string(),
                add_content_type(&types, &format!("/{name}"))?.into_bytes(),
            );
        }
    }
    let bytes = rezip(bytes, &replaced, &added)?;
    Ok(Annotated {
        bytes,
        comments: notes.len(),
    })
}

/// A comment to add: where, and its paragraphs of text.
struct Note {
    anchor: Anchor,
    paragraphs: Vec<String>,
}

/// A stretch of one XML part, from a (run, character) to another (exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchor {
    part: Arc<str>,
    start: (usize, usize),
    end: (usize, usize),
}

/// One comment per figure of each finding (a finding's figures may be paragraphs apart: one
/// range over all of them would cover the text between). Each says the finding's message, the
/// figure's part in it when there are several, the help and the rule.
fn notes(checked: &Checked) -> Vec<Note> {
    let mut notes = Vec::new();
    for finding in checked.findings {
        let mut figures: Vec<(Span, &str)> = finding
            .labels
            .iter()
            .map(|l| (l.span, l.message.as_str()))
            .collect();
        if !figures.iter().any(|(span, _)| *span == finding.span) {
            figures.insert(0, (finding.span, ""));
        }
        figures.dedup_by_key(|(span, _)| *span);
        let several = figures.len() > 1;
        for (span, label) in figures {
            let Some((anchor, moved)) = anchor(checked, span) else {
                continue;
            };
            let mut paragraphs = Vec::new();
            if let Some(place) = moved {
                let figure = checked.text.get(span.range()).unwrap_or_default();
                paragraphs.push(format!(
                    "（此数字在{place}中：“{figure}”。Word 不能在{place}中加批注，批注放在正文开头。）"
                ));
            }
            paragraphs.push(finding.message.clone());
            if several && !label.is_empty() {
                let figure = checked.text.get(span.range()).unwrap_or_default();
                paragraphs.push(format!("本处“{figure}”：{label}"));
            }
            if let Some(help) = &finding.help {
                paragraphs.push(format!("建议：{help}"));
            }
            paragraphs.push(format!("（statlint 规则 {}）", finding.rule));
            notes.push(Note { anchor, paragraphs });
        }
    }
    notes
}

/// Where the comment on `span` goes, and, when it cannot go on the figure itself, the name of
/// the place the figure is in (`页眉`, `页脚`). `None` when the document has no text with an
/// origin at all (nothing to anchor on).
fn anchor(checked: &Checked, span: Span) -> Option<(Anchor, Option<&'static str>)> {
    let place = checked
        .regions
        .iter()
        .filter(|r| r.span.start <= span.start && span.end <= r.span.end)
        .find_map(|r| match r.kind {
            RegionKind::Header => Some("页眉"),
            RegionKind::Footer => Some("页脚"),
            _ => None,
        });
    let text = checked.text;
    let chars = |from: usize, to: usize| text.get(from..to).map_or(0, |s| s.chars().count());
    if place.is_none() {
        let overlapping: Vec<&(Span, Origin)> = checked
            .origins
            .iter()
            .filter(|(s, _)| s.start < span.end && span.start < s.end)
            .collect();
        if let (Some((first, from)), Some((last, to))) = (overlapping.first(), overlapping.last())
            && from.part == to.part
        {
            let start_at = span.start.max(first.start);
            let end_at = span.end.min(last.end);
            let start = (from.run, from.char + chars(first.start, start_at));
            let end = (to.run, to.char + chars(last.start, end_at));
            let part = from.part.clone();
            return Some((Anchor { part, start, end }, None));
        }
    }
    // Not on the figure: at the start of the body's first text.
    let (_, first) = checked.origins.iter().find(|(_, o)| &*o.part == BODY)?;
    let at = (first.run, first.char);
    let anchor = Anchor {
        part: first.part.clone(),
        start: at,
        end: at,
    };
    Some((anchor, Some(place.unwrap_or("文档其他部分"))))
}

/// Something to write at a (run, character) of a part.
#[derive(Debug, Clone, Copy)]
struct Action {
    char: usize,
    /// At the same place: ends of comments first, then starts, then the ends of empty
    /// comments (which must follow their starts).
    order: u8,
    kind: Marker,
}

#[derive(Debug, Clone, Copy)]
enum Marker {
    Start(u64),
    /// The end of the range and the run holding the reference.
    End(u64),
}

impl Marker {
    /// The markup, with `w` bound by `declare` (empty when the part binds it already).
    fn xml(self, declare: &str) -> String {
        match self {
            Marker::Start(id) => format!("<w:commentRangeStart{declare} w:id=\"{id}\"/>"),
            Marker::End(id) => format!(
                "<w:commentRangeEnd{declare} w:id=\"{id}\"/>\
                 <w:r{declare}><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr>\
                 <w:commentReference w:id=\"{id}\"/></w:r>"
            ),
        }
    }
}

/// An open run of the part being marked.
struct OpenRun {
    /// The element depth of the run itself.
    depth: usize,
    /// Its start tag and its properties (`w:rPr`), as written: what the second half of a
    /// split run opens with.
    start_tag: String,
    end_tag: String,
    properties: String,
    /// Where its `w:rPr` starts, while it is being read.
    properties_from: Option<usize>,
    /// The end tag of the `w:t` being read, and its start tag for the second half.
    text_tags: Option<(String, String)>,
    /// What is still to write in this run, in order.
    actions: Vec<Action>,
}

impl OpenRun {
    /// Write every action at or before character `upto` (`None`: all of them).
    fn take(&mut self, upto: Option<usize>) -> Vec<Action> {
        let n = match upto {
            Some(upto) => self.actions.iter().take_while(|a| a.char <= upto).count(),
            None => self.actions.len(),
        };
        self.actions.drain(..n).collect()
    }
}

/// The XML of part `name` with the markers of `runs` written in its runs.
fn mark(
    xml: &str,
    name: &str,
    mut runs: BTreeMap<usize, Vec<Action>>,
    namespace: &str,
) -> Result<String, Damage> {
    let mut reader = NsReader::from_str(xml);
    let mut out = String::with_capacity(xml.len() + runs.len() * 200);
    let mut cursor = RunCursor::default();
    let mut open: Vec<Option<OpenRun>> = Vec::new();
    let mut depth = 0usize;
    let mut declare = String::new();
    let write = |out: &mut String, actions: &[Action], declare: &str| {
        for action in actions {
            out.push_str(&action.kind.xml(declare));
        }
    };
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| office::not_well_formed(name, &e, before as u64))?;
        let word = matches!(ns, ResolveResult::Bound(n) if WORD_NS.contains(&n.0));
        let after = reader.buffer_position() as usize;
        let raw = &xml[before..after];
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth == 1 {
                    declare = declaration(&e, namespace);
                }
                let local = e.local_name();
                let local = local.as_ref();
                boundary(&mut out, &mut open, depth, local, word, &declare, &cursor);
                if word {
                    cursor.open(local);
                }
                if word && local == "r" {
                    let (index, _) = cursor.run().expect("a run was just opened");
                    let mut actions = runs.remove(&index).unwrap_or_default();
                    let n = actions.iter().take_while(|a| a.char == 0).count();
                    write(&mut out, &actions[..n], &declare);
                    actions.drain(..n);
                    out.push_str(raw);
                    let qualified = e.name().as_ref().to_string();
                    open.push((!actions.is_empty()).then(|| OpenRun {
                        depth,
                        start_tag: raw.to_string(),
                        end_tag: format!("</{qualified}>"),
                        properties: String::new(),
                        properties_from: None,
                        text_tags: None,
                        actions,
                    }));
                    continue;
                }
                let top = open.last_mut().and_then(Option::as_mut);
                match top {
                    Some(run) if word && depth == run.depth + 1 && local == "rPr" => {
                        run.properties_from = Some(out.len());
                        out.push_str(raw);
                    }
                    Some(run) if word && depth == run.depth + 1 && local == "t" => {
                        let qualified = e.name().as_ref().to_string();
                        let start = format!("<{qualified} xml:space=\"preserve\">");
                        out.push_str(&start);
                        run.text_tags = Some((format!("</{qualified}>"), start));
                    }
                    _ => out.push_str(raw),
                }
            }
            Event::Empty(e) => {
                let local = e.local_name();
                let local = local.as_ref();
                boundary(
                    &mut out,
                    &mut open,
                    depth + 1,
                    local,
                    word,
                    &declare,
                    &cursor,
                );
                if word {
                    cursor.empty(local);
                }
                if word && local == "r" {
                    // An empty run holds no text: whatever is anchored in it goes before it.
                    if let Some(actions) = runs.remove(&cursor.counted().saturating_sub(1)) {
                        write(&mut out, &actions, &declare);
                    }
                    out.push_str(raw);
                    continue;
                }
                if let Some(run) = open.last_mut().and_then(Option::as_mut)
                    && word
                    && depth == run.depth
                    && local == "rPr"
                {
                    run.properties = raw.to_string();
                }
                out.push_str(raw);
            }
            Event::End(e) => {
                let local = e.local_name();
                let local = local.as_ref();
                if word {
                    cursor.close(local);
                }
                if word && local == "r" {
                    let run = open.pop().flatten();
                    out.push_str(raw);
                    if let Some(mut run) = run {
                        let rest = run.take(None);
                        write(&mut out, &rest, &declare);
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                out.push_str(raw);
                if let Some(run) = open.last_mut().and_then(Option::as_mut)
                    && word
                    && depth == run.depth + 1
                {
                    match local {
                        "rPr" => {
                            if let Some(from) = run.properties_from.take() {
                                run.properties = out[from..].to_string();
                            }
                        }
                        "t" => run.text_tags = None,
                        _ => {}
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if cursor.in_text() => {
                let content = t.xml10_content().into_owned();
                text(&mut out, &mut open, &mut cursor, &content, raw, &declare);
            }
            Event::CData(t) if cursor.in_text() => {
                let content = t.xml10_content().into_owned();
                text(&mut out, &mut open, &mut cursor, &content, raw, &declare);
            }
            Event::GeneralRef(_) if cursor.in_text() => {
                // One character, never split.
                cursor.text("&");
                out.push_str(raw);
            }
            Event::DocType(_) => return Err(Damage(office::declares_dtd(name).0)),
            Event::Eof => break,
            _ => out.push_str(raw),
        }
    }
    Ok(out)
}

/// An element opens at `depth`: if it is a child of the innermost open run (other than its
/// properties) and markers are due at the characters read so far, the run is split before
/// it, the markers between the halves.
fn boundary(
    out: &mut String,
    open: &mut [Option<OpenRun>],
    depth: usize,
    local: &str,
    word: bool,
    declare: &str,
    cursor: &RunCursor,
) {
    let (Some(Some(run)), Some((_, chars))) = (open.last_mut(), cursor.run()) else {
        return;
    };
    if depth != run.depth + 1 || (word && local == "rPr") {
        return;
    }
    let due = run.take(Some(chars));
    if due.is_empty() {
        return;
    }
    out.push_str(&run.end_tag);
    for action in &due {
        out.push_str(&action.kind.xml(declare));
    }
    out.push_str(&run.start_tag);
    out.push_str(&run.properties);
}

/// Text of a `w:t`: split where markers fall strictly inside it.
fn text(
    out: &mut String,
    open: &mut [Option<OpenRun>],
    cursor: &mut RunCursor,
    content: &str,
    raw: &str,
    declare: &str,
) {
    let start = cursor.text(content).map(|(_, chars)| chars);
    let (Some(Some(run)), Some(start)) = (open.last_mut(), start) else {
        out.push_str(raw);
        return;
    };
    let end = start + content.chars().count();
    let inside = run
        .actions
        .iter()
        .take_while(|a| a.char < end)
        .filter(|a| a.char > start)
        .count();
    let Some((text_end, text_start)) = run.text_tags.clone().filter(|_| inside > 0) else {
        out.push_str(raw);
        return;
    };
    let mut from = 0;
    let chars: Vec<char> = content.chars().collect();
    while let Some(first) = run.actions.first().copied() {
        if first.char >= end || first.char <= start {
            break;
        }
        let at = first.char - start;
        let due = run.take(Some(first.char));
        out.push_str(&escape(&chars[from..at].iter().collect::<String>()));
        out.push_str(&text_end);
        out.push_str(&run.end_tag);
        for action in &due {
            out.push_str(&action.kind.xml(declare));
        }
        out.push_str(&run.start_tag);
        out.push_str(&run.properties);
        out.push_str(&text_start);
        from = at;
    }
    out.push_str(&escape(&chars[from..].iter().collect::<String>()));
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// ` xmlns:w="…"` when the part's root does not bind the prefix `w` to `namespace`, else
/// nothing: the markup statlint writes uses `w`.
fn declaration(root: &BytesStart, namespace: &str) -> String {
    let bound = root
        .attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "xmlns:w" && a.value.as_ref() == namespace);
    if bound {
        String::new()
    } else {
        format!(" xmlns:w=\"{namespace}\"")
    }
}

/// The WordprocessingML namespace the body uses (transitional or strict).
fn word_namespace(xml: &str, name: &str) -> Result<&'static str, Damage> {
    let mut reader = NsReader::from_str(xml);
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| office::not_well_formed(name, &e, at))?;
        match event {
            Event::Start(_) | Event::Empty(_) => {
                let found = match ns {
                    ResolveResult::Bound(n) => WORD_NS.iter().find(|w| **w == n.0),
                    _ => None,
                };
                return Ok(found.copied().unwrap_or(WORD_NS[0]));
            }
            Event::Eof => return Ok(WORD_NS[0]),
            _ => {}
        }
    }
}

fn is_word_xml(name: &str) -> bool {
    name.starts_with("word/") && name.ends_with(".xml") && !name[5..].contains('/')
}

/// The largest `w:id` of part `xml`: comments, bookmarks and tracked changes share ids in
/// Word's eyes, and the new comments take ids above all of them.
fn max_id(xml: &str, name: &str) -> Result<Option<u64>, Damage> {
    let mut reader = NsReader::from_str(xml);
    let mut max = None;
    loop {
        let at = reader.buffer_position();
        let (_, event) = reader
            .read_resolved_event()
            .map_err(|e| office::not_well_formed(name, &e, at))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                for a in e.attributes().flatten() {
                    if a.key.local_name().as_ref() == "id"
                        && a.key.prefix().is_some()
                        && let Ok(id) = a.value.trim().parse::<u64>()
                    {
                        max = max.max(Some(id));
                    }
                }
            }
            Event::Eof => return Ok(max),
            _ => {}
        }
    }
}

/// The part the relationships name as the comments, if any.
fn comments_target(xml: &str) -> Result<Option<String>, Damage> {
    let mut reader = NsReader::from_str(xml);
    loop {
        let at = reader.buffer_position();
        let (_, event) = reader
            .read_resolved_event()
            .map_err(|e| office::not_well_formed(RELATIONSHIPS, &e, at))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if office::attribute(&e, "Type").as_deref() == Some(COMMENTS_TYPE)
                    && let Some(target) = office::attribute(&e, "Target")
                {
                    return Ok(Some(resolve_target(&target)));
                }
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// `xml` with `inserted` written just before the end tag of its root element.
fn before_root_end(xml: &str, name: &str, inserted: &str) -> Result<String, Damage> {
    let mut reader = NsReader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let (_, event) = reader
            .read_resolved_event()
            .map_err(|e| office::not_well_formed(name, &e, before as u64))?;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(format!("{}{inserted}{}", &xml[..before], &xml[before..]));
                }
            }
            Event::Empty(e) if depth == 0 => {
                // `<w:comments/>`: opened, the new children inside.
                let after = reader.buffer_position() as usize;
                let tag = &xml[before..after];
                let name = e.name().as_ref().to_string();
                let open = format!("{}>", tag.trim_end_matches("/>").trim_end());
                return Ok(format!(
                    "{}{open}{inserted}</{name}>{}",
                    &xml[..before],
                    &xml[after..]
                ));
            }
            Event::Eof => return Err(Damage(format!("{name} has no root element"))),
            _ => {}
        }
    }
}

fn append_comments(xml: &str, name: &str, comments: &str) -> Result<String, Damage> {
    let namespace = word_namespace(xml, name)?;
    let mut reader = NsReader::from_str(xml);
    let mut declare = String::new();
    loop {
        let at = reader.buffer_position();
        let (_, event) = reader
            .read_resolved_event()
            .map_err(|e| office::not_well_formed(name, &e, at))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                declare = declaration(&e, namespace);
                break;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let comments = comments.replace("<w:comment ", &format!("<w:comment{declare} "));
    before_root_end(xml, name, &comments)
}

/// The relationships with one more: the comments part `target`, under an id not taken.
fn add_relationship(xml: &str, target: &str) -> Result<String, Damage> {
    let mut n = 1;
    while xml.contains(&format!("Id=\"rId{n}\"")) || xml.contains(&format!("Id='rId{n}'")) {
        n += 1;
    }
    let relationship = format!(
        "<Relationship xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\" \
         Id=\"rId{n}\" Type=\"{COMMENTS_TYPE}\" Target=\"{target}\"/>"
    );
    before_root_end(xml, RELATIONSHIPS, &relationship)
}

/// The content types with the comments part `part` named, unless it is already.
fn add_content_type(xml: &str, part: &str) -> Result<String, Damage> {
    if xml.contains(&format!("PartName=\"{part}\"")) {
        return Ok(xml.to_string());
    }
    let override_ = format!(
        "<Override xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\" \
         PartName=\"{part}\" ContentType=\"{COMMENTS_CONTENT_TYPE}\"/>"
    );
    before_root_end(xml, CONTENT_TYPES, &override_)
}

/// One `w:comment`: its paragraphs, the first with the mark Word shows before the text.
fn comment_xml(id: u64, paragraphs: &[String]) -> String {
    let mut xml =
        format!("<w:comment w:id=\"{id}\" w:author=\"{AUTHOR}\" w:initials=\"{INITIALS}\">");
    for (i, paragraph) in paragraphs.iter().enumerate() {
        xml.push_str("<w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr>");
        if i == 0 {
            xml.push_str(
                "<w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:annotationRef/></w:r>",
            );
        }
        xml.push_str("<w:r><w:t xml:space=\"preserve\">");
        xml.push_str(&escape(paragraph));
        xml.push_str("</w:t></w:r></w:p>");
    }
    xml.push_str("</w:comment>");
    xml
}

/// The archive `bytes` with the parts of `replaced` rewritten and those of `added` appended;
/// every other entry is copied as it is stored.
fn rezip(
    bytes: &[u8],
    replaced: &HashMap<String, Vec<u8>>,
    added: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, Damage> {
    let zip_error = |e: zip::result::ZipError| Damage(format!("cannot rewrite the archive ({e})"));
    let io_error = |e: std::io::Error| Damage(format!("cannot rewrite the archive ({e})"));
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(zip_error)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..source.len() {
        let entry = source.by_index_raw(i).map_err(zip_error)?;
        let name = entry.name().map_err(zip_error)?.into_owned();
        match replaced.get(&name) {
            Some(data) => {
                drop(entry);
                out.start_file(name, options).map_err(zip_error)?;
                out.write_all(data).map_err(io_error)?;
            }
            None => out.raw_copy_file(entry).map_err(zip_error)?,
        }
    }
    for (name, data) in added {
        out.start_file(name.as_str(), options).map_err(zip_error)?;
        out.write_all(data).map_err(io_error)?;
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
}
