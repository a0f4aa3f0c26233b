//! `.docx`: a Word (or WPS) document as Word shows and prints it.
//!
//! A `.docx` is a zip archive of XML parts. `word/document.xml` holds the body: each `w:p` is a
//! paragraph, its text is in the `w:t` of its runs (`w:r`). Besides the body, the footnotes
//! (`word/footnotes.xml`), endnotes, headers and footers that the document's relationships name
//! are read too, each as a [`Region`](super::Region), and so are table cells and text boxes
//! (`w:txbxContent`, also inside `mc:AlternateContent`); [`office`](super::office) lays them out
//! as text.
//!
//! What Word does not show is not read: hidden text (`w:vanish` on a run), deleted text of
//! tracked changes (`w:delText`, `w:moveFrom`), field codes (`w:instrText`), the fallback copy of
//! a text box (`mc:Fallback`) and the separators of the notes. A manual line break (`w:br`,
//! `w:cr`) and a tab inside a paragraph are line breaks; a soft hyphen (`w:softHyphen`) is
//! nothing, a non-breaking hyphen (`w:noBreakHyphen`) a `-`.

use super::RegionKind;
use super::office::{
    self, Archive, Block, Builder, Damage, MAX_DEPTH, attribute, declares_dtd, not_well_formed,
    too_deep,
};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// The WordprocessingML namespaces: transitional (what Word and WPS write) and strict.
pub(crate) const WORD_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MARKUP_COMPATIBILITY_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const BODY: &str = "word/document.xml";
const RELATIONSHIPS: &str = "word/_rels/document.xml.rels";

/// The layout of a `.docx` file's text: its body, then its notes, headers and footers.
/// Inflating its parts may cost at most `limit` bytes.
pub fn read(bytes: &[u8], limit: u64) -> Result<office::Layout, Damage> {
    let mut archive = Archive::open(bytes, limit)?;
    let body = archive
        .part(BODY)?
        .ok_or_else(|| Damage(format!("the archive has no {BODY}")))?;
    let mut tables = 0;
    let (mut blocks, paragraphs) = parse(&body, BODY, Part::Body, &mut tables)?;
    if paragraphs == 0 {
        return Err(Damage(format!("{BODY} has no paragraphs (w:p)")));
    }
    for (part, name) in other_parts(&mut archive)? {
        if let Some(xml) = archive.part(&name)? {
            blocks.extend(parse(&xml, &name, part, &mut tables)?.0);
        }
    }
    Ok(office::lay_out(&blocks))
}

/// Which part of a document an XML part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Body,
    /// `footnotes.xml` or `endnotes.xml`: each `w:footnote`/`w:endnote` a region.
    Notes,
    Header,
    Footer,
}

/// The notes, headers and footers of the document, in the order they are laid out: the parts
/// its relationships name (or, without relationships, the parts named as Word names them).
fn other_parts(archive: &mut Archive) -> Result<Vec<(Part, String)>, Damage> {
    let mut found: Vec<(Part, String)> = match archive.part(RELATIONSHIPS)? {
        Some(xml) => relationships(&xml)?,
        None => archive
            .names()
            .into_iter()
            .filter_map(|name| {
                let file = name.strip_prefix("word/")?;
                let part = match file {
                    "footnotes.xml" | "endnotes.xml" => Part::Notes,
                    f if f.starts_with("header") && f.ends_with(".xml") => Part::Header,
                    f if f.starts_with("footer") && f.ends_with(".xml") => Part::Footer,
                    _ => return None,
                };
                Some((part, name))
            })
            .collect(),
    };
    let order = |part: &Part, name: &str| {
        let rank = match part {
            Part::Notes if name.ends_with("footnotes.xml") => 0,
            Part::Notes => 1,
            Part::Header => 2,
            Part::Footer => 3,
            Part::Body => 4,
        };
        // `header10.xml` after `header9.xml`.
        (rank, name.len(), name.to_string())
    };
    found.sort_by_key(|(part, name)| order(part, name));
    found.dedup();
    Ok(found)
}

/// The notes, header and footer parts named in `word/_rels/document.xml.rels`.
fn relationships(xml: &str) -> Result<Vec<(Part, String)>, Damage> {
    let mut reader = NsReader::from_str(xml);
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| not_well_formed(RELATIONSHIPS, &e, at))?;
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(RELATIONSHIPS));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::DocType(_) => return Err(declares_dtd(RELATIONSHIPS)),
            Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let kind = attribute(&e, "Type").unwrap_or_default();
                let part = match kind.rsplit('/').next() {
                    Some("footnotes" | "endnotes") => Part::Notes,
                    Some("header") => Part::Header,
                    Some("footer") => Part::Footer,
                    _ => continue,
                };
                if attribute(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let Some(target) = attribute(&e, "Target") {
                    out.push((part, resolve_target(&target)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A relationship target as a part name: relative to `word/`, or absolute from the root.
pub(crate) fn resolve_target(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => {
            let mut path: Vec<&str> = vec!["word"];
            for piece in target.split('/') {
                match piece {
                    ".." => {
                        path.pop();
                    }
                    "." | "" => {}
                    p => path.push(p),
                }
            }
            path.join("/")
        }
    }
}

/// Where the text of a WordprocessingML part is: its runs (`w:r`), counted in document order
/// from 0, every one (also those of a text box's fallback copy, of deleted text and of hidden
/// text), and the characters of the `w:t` text of the run read so far (an entity reference one
/// character). The loader gives each stretch of text its [`office::Origin`] from it, and the
/// writer of `statlint annotate` keeps the same count to find those places again: one
/// definition of a position for both.
#[derive(Debug, Default)]
pub struct RunCursor {
    /// Runs opened so far.
    runs: usize,
    /// The open runs, innermost last (a text box's runs are inside the run holding it): index
    /// and characters so far.
    open: Vec<(usize, usize)>,
    /// Depth of `w:t`.
    in_text: usize,
}

impl RunCursor {
    /// A WordprocessingML element with local name `name` opens.
    pub fn open(&mut self, name: &str) {
        match name {
            "r" => {
                self.open.push((self.runs, 0));
                self.runs += 1;
            }
            "t" => self.in_text += 1,
            _ => {}
        }
    }

    /// A WordprocessingML element with local name `name` opens and closes at once.
    pub fn empty(&mut self, name: &str) {
        if name == "r" {
            self.runs += 1;
        }
    }

    /// A WordprocessingML element with local name `name` closes.
    pub fn close(&mut self, name: &str) {
        match name {
            "r" => {
                self.open.pop();
            }
            "t" => self.in_text = self.in_text.saturating_sub(1),
            _ => {}
        }
    }

    /// Is the reader inside a `w:t`?
    pub fn in_text(&self) -> bool {
        self.in_text > 0
    }

    /// How many runs have been opened so far.
    pub fn counted(&self) -> usize {
        self.runs
    }

    /// The innermost open run: its index and the characters of its text so far.
    pub fn run(&self) -> Option<(usize, usize)> {
        self.open.last().copied()
    }

    /// Text read at the cursor: where it starts (run, character), `None` outside a run's
    /// `w:t`; the cursor moves past it.
    pub fn text(&mut self, text: &str) -> Option<(usize, usize)> {
        if self.in_text == 0 {
            return None;
        }
        let (run, chars) = self.open.last_mut()?;
        let at = (*run, *chars);
        *chars += text.chars().count();
        Some(at)
    }
}

/// A table being read: its number in the document, the row, and the grid column of the next
/// cell (a cell spanning columns, `w:gridSpan`, moves it further).
struct Table {
    number: usize,
    row: usize,
    next_column: usize,
    span: usize,
}

/// The state of one run (`w:r`): whether it is hidden.
struct Reading {
    builder: Builder,
    /// Hidden flag of each open run, innermost last.
    runs: Vec<bool>,
    tables: Vec<Table>,
    /// Depth of `w:t`, of `w:pPr` (whose `w:rPr` formats the paragraph mark, not text), and of
    /// a subtree that is skipped.
    in_text: usize,
    in_paragraph_properties: usize,
    skip: usize,
    paragraphs: usize,
}

impl Reading {
    fn hidden(&self) -> bool {
        self.runs.last().copied().unwrap_or(false)
    }

    fn in_run(&self) -> bool {
        !self.runs.is_empty()
    }

    /// An element of the WordprocessingML namespace opens (`empty`: and closes at once).
    fn open(&mut self, e: &BytesStart, empty: bool, part: Part, tables: &mut usize) {
        match e.local_name().as_ref() {
            "p" => {
                self.paragraphs += 1;
                self.builder.open_paragraph();
                if empty {
                    self.builder.close_paragraph();
                }
            }
            "r" if !empty => self.runs.push(false),
            "pPr" if !empty => self.in_paragraph_properties += 1,
            "vanish" if self.in_run() && self.in_paragraph_properties == 0 => {
                let on = office::is_on(attribute(e, "val").as_deref());
                if let Some(hidden) = self.runs.last_mut() {
                    *hidden = on;
                }
            }
            "t" if !empty => self.in_text += 1,
            "tab" | "ptab" if self.in_run() && !self.hidden() => self.builder.tab(),
            "br" | "cr" if self.in_run() && !self.hidden() => self.builder.line_break(),
            "noBreakHyphen" if self.in_run() && !self.hidden() => self.builder.text("-"),
            "txbxContent" if !empty => self.builder.open_region(RegionKind::TextBox),
            "footnote" | "endnote" if part == Part::Notes && !empty => {
                let kind = if e.local_name().as_ref() == "footnote" {
                    RegionKind::Footnote
                } else {
                    RegionKind::Endnote
                };
                self.builder.open_region(kind);
            }
            "tbl" if !empty => {
                *tables += 1;
                self.tables.push(Table {
                    number: *tables,
                    row: 0,
                    next_column: 1,
                    span: 1,
                });
            }
            "tr" if !empty => {
                if let Some(table) = self.tables.last_mut() {
                    table.row += 1;
                    table.next_column = 1;
                }
            }
            "gridBefore" => {
                let skipped = number(attribute(e, "val"));
                if let Some(table) = self.tables.last_mut() {
                    table.next_column += skipped;
                }
            }
            "tc" if !empty => {
                if let Some(table) = self.tables.last_mut() {
                    table.span = 1;
                    let kind = RegionKind::TableCell {
                        table: table.number,
                        row: table.row.max(1),
                        column: table.next_column,
                    };
                    self.builder.open_region(kind);
                }
            }
            "gridSpan" => {
                let span = number(attribute(e, "val")).max(1);
                if let Some(table) = self.tables.last_mut() {
                    table.span = span;
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str, part: Part) {
        match name {
            "p" => self.builder.close_paragraph(),
            "r" => {
                self.runs.pop();
            }
            "pPr" => self.in_paragraph_properties = self.in_paragraph_properties.saturating_sub(1),
            "t" => self.in_text = self.in_text.saturating_sub(1),
            "txbxContent" => self.builder.close_region(),
            "footnote" | "endnote" if part == Part::Notes => self.builder.close_region(),
            "tbl" => {
                self.tables.pop();
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    table.next_column += table.span;
                    self.builder.close_region();
                }
            }
            _ => {}
        }
    }

    fn reads_text(&self) -> bool {
        self.skip == 0 && self.in_text > 0 && !self.hidden()
    }
}

fn number(value: Option<String>) -> usize {
    value.and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

/// Elements whose whole subtree is not text Word shows.
fn skips_subtree(e: &BytesStart, word: bool, compatibility: bool, part: Part) -> bool {
    let name = e.local_name();
    let name = name.as_ref();
    (compatibility && name == "Fallback")
        || (word && matches!(name, "moveFrom" | "delText" | "instrText"))
        || (word
            && part == Part::Notes
            && matches!(name, "footnote" | "endnote")
            && attribute(e, "type").is_some_and(|t| t != "normal"))
}

/// The blocks of one XML part, and the number of paragraphs in it.
fn parse(
    xml: &str,
    name: &str,
    part: Part,
    tables: &mut usize,
) -> Result<(Vec<Block>, usize), Damage> {
    let kind = match part {
        Part::Header => Some(RegionKind::Header),
        Part::Footer => Some(RegionKind::Footer),
        Part::Body | Part::Notes => None,
    };
    let mut reading = Reading {
        builder: Builder::new(kind),
        runs: Vec::new(),
        tables: Vec::new(),
        in_text: 0,
        in_paragraph_properties: 0,
        skip: 0,
        paragraphs: 0,
    };
    let mut reader = NsReader::from_str(xml);
    let mut depth = 0usize;
    let mut cursor = RunCursor::default();
    let part_name: std::sync::Arc<str> = name.into();
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| not_well_formed(name, &e, at))?;
        let word = matches!(ns, ResolveResult::Bound(n) if WORD_NS.contains(&n.0));
        let compatibility = matches!(ns, ResolveResult::Bound(n) if n.0 == MARKUP_COMPATIBILITY_NS);
        let text = match event {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(name));
                }
                if word {
                    cursor.open(e.local_name().as_ref());
                }
                if reading.skip > 0 || skips_subtree(&e, word, compatibility, part) {
                    reading.skip += 1;
                } else if word {
                    reading.open(&e, false, part, tables);
                }
                None
            }
            Event::Empty(e) => {
                if word {
                    cursor.empty(e.local_name().as_ref());
                    if reading.skip == 0 {
                        reading.open(&e, true, part, tables);
                    }
                }
                None
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if word {
                    cursor.close(e.local_name().as_ref());
                }
                if reading.skip > 0 {
                    reading.skip -= 1;
                } else if word {
                    reading.close(e.local_name().as_ref(), part);
                }
                None
            }
            Event::Text(t) if cursor.in_text() => Some(t.xml10_content().into_owned()),
            Event::CData(t) if cursor.in_text() => Some(t.xml10_content().into_owned()),
            Event::GeneralRef(r) if cursor.in_text() => match office::reference(&r, name, at) {
                Ok(c) => Some(c.to_string()),
                Err(damage) if reading.reads_text() => return Err(damage),
                // Text Word does not show: one character, as for the writer.
                Err(_) => Some(char::REPLACEMENT_CHARACTER.to_string()),
            },
            Event::DocType(_) => return Err(declares_dtd(name)),
            Event::Eof => break,
            _ => None,
        };
        // Every character of a run's `w:t` counts for its position, read or not (the writer
        // that annotates the file counts them all); only what Word shows is read.
        if let Some(text) = text {
            let at = cursor.text(&text);
            if reading.reads_text() {
                match at {
                    Some((run, char)) => {
                        let part = part_name.clone();
                        let origin = office::Origin { part, run, char };
                        reading.builder.text_from(&text, origin);
                    }
                    // `w:t` outside a run (damaged markup): read, with no place to anchor.
                    None => reading.builder.text(&text),
                }
            }
        }
    }
    Ok((reading.builder.finish(), reading.paragraphs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{inner}</w:body></w:document>"#
        )
    }

    fn text(xml: &str) -> String {
        let (blocks, _) = parse(xml, BODY, Part::Body, &mut 0).unwrap();
        office::lay_out(&blocks).text
    }

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let xml = body(concat!(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr><w:r><w:t>破获刑案</w:t></w:r><w:r><w:t xml:space=\"preserve\">147起 </w:t></w:r></w:p>",
            "<w:p/>",
            "<w:p><w:r><w:tab/><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙&amp;&#20004;</w:t></w:r></w:p>",
            "<w:p><w:r><w:delText>删去</w:delText><w:instrText>PAGE</w:instrText><w:t>留下</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>共</w:t><w:softHyphen/><w:t>计</w:t><w:noBreakHyphen/></w:r></w:p>",
        ));
        assert_eq!(text(&xml), "破获刑案147起 \n\n\t甲\n乙\n丙&两\n留下\n共计-");
    }

    #[test]
    fn text_boxes_are_parts_of_their_own() {
        let xml = body(concat!(
            "<w:p><w:r><w:t>破获刑事案件12</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>",
            "<w:drawing><w:txbxContent><w:p><w:r><w:t>3万万元</w:t></w:r></w:p></w:txbxContent></w:drawing>",
            "</mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>3万万元</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>",
            "</mc:AlternateContent></w:r><w:r><w:t>起。</w:t></w:r></w:p>",
        ));
        assert_eq!(text(&xml), "破获刑事案件12起。\n\t3万万元");
    }

    #[test]
    fn hidden_text_is_skipped_and_a_hidden_paragraph_mark_is_not_hidden_text() {
        let xml = body(concat!(
            "<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>驻村辅警9</w:t></w:r>",
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>1</w:t></w:r>",
            "<w:r><w:rPr><w:vanish w:val=\"false\"/></w:rPr><w:t>01人</w:t></w:r></w:p>",
        ));
        assert_eq!(text(&xml), "驻村辅警901人");
    }

    #[test]
    fn table_cells_have_their_row_and_grid_column() {
        let xml = body(concat!(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>备注</w:t></w:r></w:p></w:tc></w:tr>",
            "<w:tr><w:tc><w:p><w:r><w:t>刑事案件</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>147起</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p><w:r><w:t>正文</w:t></w:r></w:p>",
        ));
        let (blocks, _) = parse(&xml, BODY, Part::Body, &mut 0).unwrap();
        let layout = office::lay_out(&blocks);
        assert_eq!(
            layout.text,
            "\t项目\n\t数量\n\t备注\n\t刑事案件\n\t147起\n\t正文"
        );
        let cells: Vec<(&str, RegionKind)> = layout
            .regions
            .iter()
            .map(|r| (&layout.text[r.span.range()], r.kind))
            .collect();
        let cell = |row, column| RegionKind::TableCell {
            table: 1,
            row,
            column,
        };
        assert_eq!(
            cells,
            [
                ("项目", cell(1, 1)),
                ("数量", cell(1, 2)),
                ("备注", cell(1, 4)),
                ("刑事案件", cell(2, 1)),
                ("147起", cell(2, 2)),
            ]
        );
    }

    #[test]
    fn damage_is_named() {
        let deep = body(&format!(
            "{}{}",
            "<w:p>".repeat(MAX_DEPTH + 1),
            "</w:p>".repeat(MAX_DEPTH + 1)
        ));
        let cases = [
            (body("<w:p><w:t>甲</w:p>"), "not well-formed"),
            (body("<w:p><w:t>&nbsp;</w:t></w:p>"), "undefined entity"),
            (
                format!(
                    r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaa">]>{}"#,
                    body("<w:p/>")
                ),
                "declares a DTD",
            ),
            (deep, "nests elements more than"),
        ];
        for (xml, expected) in cases {
            let Damage(message) = parse(&xml, BODY, Part::Body, &mut 0).unwrap_err();
            assert!(message.contains(expected), "{message}");
        }
        let Damage(message) = read(b"PK\x03\x04 not really", 1 << 20).unwrap_err();
        assert!(message.contains("not a zip archive"), "{message}");
    }

    #[test]
    fn relationship_targets_resolve_to_part_names() {
        assert_eq!(resolve_target("header1.xml"), "word/header1.xml");
        assert_eq!(resolve_target("/word/footer2.xml"), "word/footer2.xml");
        assert_eq!(resolve_target("../customXml/x.xml"), "customXml/x.xml");
    }
}
