//! What `.docx` and `.odt` have in common: a zip archive of XML parts, read within limits, and
//! a document model (paragraphs, and the parts of the document that are not body text) laid out
//! as the text statlint checks.
//!
//! The layout (see `docs/limits.md`, "Word and OpenDocument"):
//! - each paragraph is one line of the text, paragraphs joined by `\n`; a manual line break
//!   (Shift+Enter) and a tab inside a paragraph are `\n` too, so the segmenter reads them as it
//!   reads the line breaks of a `.txt` file (a break inside a sentence is removed from the view:
//!   `8亿余<w:br/>万元` is the malformed `8亿余万元` it shows as);
//! - the body comes first, in order; a table cell's paragraphs stand where the table stands, a
//!   text box's after the paragraph it is anchored in; footnotes, endnotes, headers and footers
//!   follow the body, in that order;
//! - every part that is not body text is a [`Region`]. Its first line, and the first line after
//!   it, open with a tab: a line that opens with a tab starts a paragraph of its own for the
//!   segmenter, so a figure never runs from one part into another (a text box holding `3万万元`
//!   anchored after `破获刑事案件12` does not make `123万万元`).

use super::{Region, RegionKind};
use crate::span::Span;
use std::io::Read;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage(pub String);

/// Archives with more entries than this are refused before any is read: a Word document has a
/// few dozen (one per image at most), and a zip bomb's central directory of millions of entries
/// should cost nothing.
pub const MAX_ENTRIES: u64 = 1000;

/// XML elements nested deeper than this are refused: Word's deepest documents (tables inside
/// text boxes inside tables) nest a few dozen levels, and a document nested 10⁶ deep is an
/// attack on whatever reads it.
pub const MAX_DEPTH: usize = 256;

/// A zip archive whose parts are read within a budget of inflated bytes shared by all of them.
pub struct Archive<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    /// `--max-file-size`: the inflated bytes all parts read may add up to.
    limit: u64,
    /// Inflated bytes that may still be read.
    budget: u64,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8], limit: u64) -> Result<Archive<'a>, Damage> {
        if let Some(entries) = declared_entries(bytes)
            && entries > MAX_ENTRIES
        {
            return Err(Damage(format!(
                "the archive has {entries} entries; a document has at most {MAX_ENTRIES}"
            )));
        }
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| Damage(format!("not a zip archive ({e})")))?;
        Ok(Archive {
            zip,
            limit,
            budget: limit,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|name| name.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// The part `name` as UTF-8 text, `None` when the archive has no such part. Inflating it
    /// counts against the budget: past it the document is refused, whatever the sizes the
    /// archive declares (a zip bomb declares small ones).
    pub fn part(&mut self, name: &str) -> Result<Option<String>, Damage> {
        let mut entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(Damage(format!("{name} cannot be read ({e})"))),
        };
        let mut bytes = Vec::new();
        (&mut entry)
            .take(self.budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Damage(format!("{name} cannot be inflated ({e})")))?;
        let size = bytes.len() as u64;
        if size > self.budget {
            return Err(Damage(format!(
                "its parts inflate to more than {} bytes, the limit (--max-file-size)",
                self.limit
            )));
        }
        self.budget -= size;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| Damage(format!("{name} is not UTF-8 ({e})")))
    }
}

/// The number of entries the end of central directory record of a zip declares, read without
/// parsing the directory itself; `None` when there is no such record (the zip reader then says
/// what is wrong). A zip64 archive declares `0xFFFF` here, which is over the limit as it should
/// be: no document needs zip64.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const SIGNATURE: &[u8] = b"PK\x05\x06";
    const RECORD: usize = 22;
    // The record ends the archive, after a comment of at most 65535 bytes.
    let from = bytes.len().saturating_sub(RECORD + 65535);
    let at = memchr::memmem::rfind(&bytes[from..], SIGNATURE)? + from;
    let record = bytes.get(at..at + RECORD)?;
    Some(u64::from(u16::from_le_bytes([record[10], record[11]])))
}

/// A paragraph: its text (with `\n` for its line breaks) and the parts anchored in it (text
/// boxes), laid out after it.
#[derive(Debug, Default)]
pub struct Paragraph {
    pub text: String,
    pub anchored: Vec<Block>,
    /// Where stretches of `text` come from in the file (byte offset in `text`, byte length,
    /// origin): what a writer that annotates the file needs. Text without an origin (a tab, a
    /// line break) has none.
    pub origins: Vec<(usize, usize, Origin)>,
}

/// Where a stretch of a document's text is in its file: the XML part, the run of the part
/// (the `run`-th `w:r` element of the part, counting every one in document order, 0-based),
/// and the character of the run's text (`w:t` content, entity references one character
/// each) it starts at. Only `.docx` text has origins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub part: std::sync::Arc<str>,
    pub run: usize,
    pub char: usize,
}

#[derive(Debug)]
pub enum Block {
    Paragraph(Paragraph),
    Region(RegionKind, Vec<Block>),
}

/// Builds the model while an XML part is read: containers (the part itself, table cells, text
/// boxes, notes) nest, and each holds its blocks and the paragraph being read.
#[derive(Debug)]
pub struct Builder {
    stack: Vec<Container>,
}

#[derive(Debug)]
struct Container {
    kind: Option<RegionKind>,
    blocks: Vec<Block>,
    paragraph: Option<Paragraph>,
}

impl Builder {
    /// A builder for a part of kind `kind` (`None` for the body).
    pub fn new(kind: Option<RegionKind>) -> Builder {
        Builder {
            stack: vec![Container {
                kind,
                blocks: Vec::new(),
                paragraph: None,
            }],
        }
    }

    fn top(&mut self) -> &mut Container {
        self.stack
            .last_mut()
            .expect("the part's own container is never closed")
    }

    pub fn open_paragraph(&mut self) {
        // A paragraph opened inside an open one of the same container (damaged markup) closes
        // it first, so no text is lost.
        if self.top().paragraph.is_some() {
            self.close_paragraph();
        }
        self.top().paragraph = Some(Paragraph::default());
    }

    pub fn close_paragraph(&mut self) {
        let top = self.top();
        if let Some(paragraph) = top.paragraph.take() {
            top.blocks.push(Block::Paragraph(paragraph));
        }
    }

    pub fn in_paragraph(&self) -> bool {
        self.stack.last().is_some_and(|c| c.paragraph.is_some())
    }

    /// Text of the open paragraph; outside a paragraph there is none to add to.
    pub fn text(&mut self, text: &str) {
        if let Some(paragraph) = &mut self.top().paragraph {
            paragraph.text.push_str(text);
        }
    }

    /// Text of the open paragraph that comes from `origin` in the file.
    pub fn text_from(&mut self, text: &str, origin: Origin) {
        if let Some(paragraph) = &mut self.top().paragraph {
            let at = paragraph.text.len();
            paragraph.text.push_str(text);
            paragraph.origins.push((at, text.len(), origin));
        }
    }

    /// A tab: an indent at the start of a paragraph (kept, the segmenter reads a line that
    /// opens with one as a new block), a line break inside it.
    pub fn tab(&mut self) {
        if let Some(paragraph) = &mut self.top().paragraph {
            if paragraph.text.trim().is_empty() {
                paragraph.text.push('\t');
            } else {
                paragraph.text.push('\n');
            }
        }
    }

    pub fn line_break(&mut self) {
        self.text("\n");
    }

    pub fn open_region(&mut self, kind: RegionKind) {
        self.stack.push(Container {
            kind: Some(kind),
            blocks: Vec::new(),
            paragraph: None,
        });
    }

    /// Close the innermost region. A region opened inside a paragraph (a text box, a note) is
    /// anchored in it; any other takes its place among the blocks.
    pub fn close_region(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        self.close_paragraph();
        let Some(Container {
            kind: Some(kind),
            blocks,
            ..
        }) = self.stack.pop()
        else {
            return;
        };
        let block = Block::Region(kind, blocks);
        let top = self.top();
        match &mut top.paragraph {
            Some(paragraph) => paragraph.anchored.push(block),
            None => top.blocks.push(block),
        }
    }

    /// The blocks of the part, every region still open closed.
    pub fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.close_region();
        }
        self.close_paragraph();
        let part = self.stack.pop().expect("the part's container");
        match part.kind {
            Some(kind) => vec![Block::Region(kind, part.blocks)],
            None => part.blocks,
        }
    }
}

/// A document's text, its regions and its paragraphs, laid out from the model.
#[derive(Debug, Default, PartialEq)]
pub struct Layout {
    pub text: String,
    pub regions: Vec<Region>,
    pub paragraphs: Vec<Span>,
    /// Where stretches of `text` come from in the file, in text order (see [`Origin`]).
    pub origins: Vec<(Span, Origin)>,
}

/// Lay out `blocks` as text (see the module documentation).
pub fn lay_out(blocks: &[Block]) -> Layout {
    let mut out = Emitter {
        layout: Layout::default(),
        indent_next: false,
    };
    out.blocks(blocks);
    out.layout
        .regions
        .sort_by_key(|r| (r.span.start, std::cmp::Reverse(r.span.end)));
    out.layout
}

struct Emitter {
    layout: Layout,
    /// The next paragraph opens a region or follows one: it opens with a tab.
    indent_next: bool,
}

impl Emitter {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(p) => self.paragraph(p),
                Block::Region(kind, blocks) => self.region(*kind, blocks),
            }
        }
    }

    fn paragraph(&mut self, paragraph: &Paragraph) {
        let text = &mut self.layout.text;
        if !self.layout.paragraphs.is_empty() {
            text.push('\n');
        }
        if std::mem::take(&mut self.indent_next) && !paragraph.text.starts_with('\t') {
            text.push('\t');
        }
        let start = text.len();
        text.push_str(&paragraph.text);
        self.layout.paragraphs.push(Span::new(start, text.len()));
        for (at, len, origin) in &paragraph.origins {
            let span = Span::new(start + at, start + at + len);
            self.layout.origins.push((span, origin.clone()));
        }
        self.blocks(&paragraph.anchored);
    }

    fn region(&mut self, kind: RegionKind, blocks: &[Block]) {
        // A part with no text (an empty cell, a note holding only its number) is left out: it
        // would only add empty lines.
        if !has_text(blocks) {
            return;
        }
        self.indent_next = true;
        let first = self.layout.paragraphs.len();
        self.blocks(blocks);
        let start = self.layout.paragraphs[first].start;
        let span = Span::new(start, self.layout.text.len());
        self.layout.regions.push(Region { span, kind });
        self.indent_next = true;
    }
}

fn has_text(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Paragraph(p) => !p.text.trim().is_empty() || has_text(&p.anchored),
        Block::Region(_, blocks) => has_text(blocks),
    })
}

/// The value of the attribute of `e` with local name `name`.
pub fn attribute(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The character an entity or character reference of part `part` stands for: `&#20004;`,
/// `&amp;`. Any other entity is undefined (no document declares one: a DTD is refused).
pub fn reference(r: &quick_xml::events::BytesRef, part: &str, at: u64) -> Result<char, Damage> {
    let c = match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(r).and_then(|s| s.chars().next()),
        Err(e) => return Err(not_well_formed(part, &e, at)),
    };
    c.ok_or_else(|| Damage(format!("{part} uses an undefined entity `&{};`", &**r)))
}

pub fn not_well_formed(part: &str, e: &dyn std::fmt::Display, at: u64) -> Damage {
    Damage(format!("{part} is not well-formed XML at byte {at} ({e})"))
}

pub fn too_deep(part: &str) -> Damage {
    Damage(format!(
        "{part} nests elements more than {MAX_DEPTH} deep; a document never does"
    ))
}

pub fn declares_dtd(part: &str) -> Damage {
    Damage(format!(
        "{part} declares a DTD (<!DOCTYPE>, entities); a document never does"
    ))
}

/// Is an on/off property on? `<w:vanish/>` and `w:val="true"` are; `w:val="false"`, `"0"`,
/// `"off"` are not.
pub fn is_on(value: Option<&str>) -> bool {
    !matches!(value, Some("false" | "0" | "off"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> Block {
        Block::Paragraph(Paragraph {
            text: text.into(),
            ..Paragraph::default()
        })
    }

    #[test]
    fn regions_are_paragraphs_of_their_own_opening_with_a_tab() {
        let cell = |column, text| {
            Block::Region(
                RegionKind::TableCell {
                    table: 1,
                    row: 1,
                    column,
                },
                vec![paragraph(text)],
            )
        };
        let blocks = vec![
            Block::Paragraph(Paragraph {
                text: "破获刑事案件12".into(),
                origins: Vec::new(),
                anchored: vec![Block::Region(
                    RegionKind::TextBox,
                    vec![paragraph("3万万元")],
                )],
            }),
            paragraph("起。"),
            cell(1, "项目"),
            cell(2, ""),
            cell(3, "147起"),
            paragraph("正文"),
            Block::Region(
                RegionKind::Footer,
                vec![paragraph("第1页"), paragraph("二")],
            ),
        ];
        let layout = lay_out(&blocks);
        assert_eq!(
            layout.text,
            "破获刑事案件12\n\t3万万元\n\t起。\n\t项目\n\t147起\n\t正文\n\t第1页\n二"
        );
        let texts: Vec<&str> = layout
            .paragraphs
            .iter()
            .map(|p| &layout.text[p.range()])
            .collect();
        assert_eq!(
            texts,
            [
                "破获刑事案件12",
                "3万万元",
                "起。",
                "项目",
                "147起",
                "正文",
                "第1页",
                "二"
            ]
        );
        let regions: Vec<(&str, RegionKind)> = layout
            .regions
            .iter()
            .map(|r| (&layout.text[r.span.range()], r.kind))
            .collect();
        assert_eq!(
            regions,
            [
                ("3万万元", RegionKind::TextBox),
                (
                    "项目",
                    RegionKind::TableCell {
                        table: 1,
                        row: 1,
                        column: 1
                    }
                ),
                (
                    "147起",
                    RegionKind::TableCell {
                        table: 1,
                        row: 1,
                        column: 3
                    }
                ),
                ("第1页\n二", RegionKind::Footer),
            ]
        );
    }

    #[test]
    fn the_entry_count_is_read_from_the_end_record() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..3 {
            zip.start_file(format!("{i}.xml"), zip::write::SimpleFileOptions::default())
                .unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(declared_entries(&bytes), Some(3));
        assert_eq!(declared_entries(b"not a zip"), None);
    }
}
