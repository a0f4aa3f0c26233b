//! `.odt`: an OpenDocument text (LibreOffice, WPS, and Word's "Save as ODF"), read as a `.docx`
//! is.
//!
//! An `.odt` is a zip archive too. `content.xml` holds the body: `text:p` and `text:h` are
//! paragraphs, their text is in them and in the `text:span`s, links and fields inside; `text:s`
//! is one or more spaces, `text:tab` and `text:line-break` are line breaks as in a `.docx`.
//! Table cells (`table:table-cell`, with their grid column), text boxes (`draw:text-box`) and
//! notes (`text:note`, footnotes and endnotes) are [`Region`](super::Region)s, laid out as
//! [`office`](super::office) says; the headers and footers of the page styles are read from
//! `styles.xml`. Not read: deleted text of tracked changes (`text:tracked-changes`), comments
//! (`office:annotation`), a note's number (`text:note-citation`), hidden text
//! (`text:hidden-text`, `text:hidden-paragraph`) and the title and description of a drawing.

use super::RegionKind;
use super::office::{
    self, Archive, Block, Builder, Damage, MAX_DEPTH, attribute, declares_dtd, not_well_formed,
    too_deep,
};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

const TEXT_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const DRAW_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const OFFICE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const STYLE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const SVG_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
const CONTENT: &str = "content.xml";
const STYLES: &str = "styles.xml";

/// The layout of an `.odt` file's text: its body, then its notes, headers and footers.
pub fn read(bytes: &[u8], limit: u64) -> Result<office::Layout, Damage> {
    let mut archive = Archive::open(bytes, limit)?;
    let content = archive
        .part(CONTENT)?
        .ok_or_else(|| Damage(format!("the archive has no {CONTENT}")))?;
    let mut tables = 0;
    let (mut blocks, notes) = parse(&content, CONTENT, &mut tables)?;
    blocks.extend(notes);
    if let Some(styles) = archive.part(STYLES)? {
        // Only the page styles' headers and footers hold text of the document.
        let (pages, _) = parse(&styles, STYLES, &mut tables)?;
        blocks.extend(
            pages
                .into_iter()
                .filter(|b| matches!(b, Block::Region(RegionKind::Header | RegionKind::Footer, _))),
        );
    }
    Ok(office::lay_out(&blocks))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Text,
    Table,
    Draw,
    Office,
    Style,
    Svg,
    Other,
}

fn namespace(ns: &ResolveResult) -> Ns {
    match ns {
        ResolveResult::Bound(n) => match n.0 {
            TEXT_NS => Ns::Text,
            TABLE_NS => Ns::Table,
            DRAW_NS => Ns::Draw,
            OFFICE_NS => Ns::Office,
            STYLE_NS => Ns::Style,
            SVG_NS => Ns::Svg,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

fn count(e: &BytesStart, name: &str) -> usize {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Elements whose whole subtree is not text the document shows.
fn skips_subtree(ns: Ns, name: &str, e: &BytesStart) -> bool {
    match ns {
        Ns::Text => match name {
            "tracked-changes" | "note-citation" | "hidden-paragraph" => true,
            "hidden-text" => office::is_on(attribute(e, "is-hidden").as_deref()),
            _ => false,
        },
        Ns::Office => matches!(name, "annotation" | "annotation-end" | "automatic-styles"),
        Ns::Svg => matches!(name, "title" | "desc"),
        Ns::Table => name == "covered-table-cell",
        _ => false,
    }
}

struct Table {
    number: usize,
    row: usize,
    next_column: usize,
    /// The columns the open cell stands for (`table:number-columns-repeated`).
    repeated: usize,
}

/// The blocks of one part, and its notes (laid out after the body, as a `.docx` has them).
fn parse(xml: &str, name: &str, tables: &mut usize) -> Result<(Vec<Block>, Vec<Block>), Damage> {
    let mut body = Builder::new(None);
    let mut notes = Builder::new(None);
    let mut in_note = false;
    let mut open_tables: Vec<Table> = Vec::new();
    let mut skip = 0usize;
    let mut depth = 0usize;
    let mut reader = NsReader::from_str(xml);
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| not_well_formed(name, &e, at))?;
        let ns = namespace(&ns);
        let builder = if in_note { &mut notes } else { &mut body };
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(name));
                }
                let local = e.local_name();
                let local = local.as_ref();
                if skip > 0 || skips_subtree(ns, local, &e) {
                    skip += 1;
                    if ns == Ns::Table && local == "covered-table-cell" {
                        // A cell covered by a spanning one still takes its grid column.
                        if let Some(table) = open_tables.last_mut() {
                            table.next_column += count(&e, "number-columns-repeated");
                        }
                    }
                    continue;
                }
                match (ns, local) {
                    (Ns::Text, "p" | "h") => builder.open_paragraph(),
                    (Ns::Text, "note") => {
                        let kind = match attribute(&e, "note-class").as_deref() {
                            Some("endnote") => RegionKind::Endnote,
                            _ => RegionKind::Footnote,
                        };
                        in_note = true;
                        notes.open_region(kind);
                    }
                    (Ns::Draw, "text-box") => builder.open_region(RegionKind::TextBox),
                    (Ns::Style, "header" | "header-left" | "header-first") => {
                        builder.open_region(RegionKind::Header)
                    }
                    (Ns::Style, "footer" | "footer-left" | "footer-first") => {
                        builder.open_region(RegionKind::Footer)
                    }
                    (Ns::Table, "table") => {
                        *tables += 1;
                        open_tables.push(Table {
                            number: *tables,
                            row: 0,
                            next_column: 1,
                            repeated: 1,
                        });
                    }
                    (Ns::Table, "table-row") => {
                        if let Some(table) = open_tables.last_mut() {
                            table.row += 1;
                            table.next_column = 1;
                        }
                    }
                    (Ns::Table, "table-cell") => {
                        if let Some(table) = open_tables.last_mut() {
                            table.repeated = count(&e, "number-columns-repeated");
                            builder.open_region(RegionKind::TableCell {
                                table: table.number,
                                row: table.row.max(1),
                                column: table.next_column,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if skip == 0 => {
                let local = e.local_name();
                match (ns, local.as_ref()) {
                    (Ns::Text, "p" | "h") => {
                        builder.open_paragraph();
                        builder.close_paragraph();
                    }
                    (Ns::Text, "s") => builder.text(&" ".repeat(count(&e, "c").min(1000))),
                    (Ns::Text, "tab") => builder.tab(),
                    (Ns::Text, "line-break") => builder.line_break(),
                    (Ns::Table, "table-cell" | "covered-table-cell") => {
                        if let Some(table) = open_tables.last_mut() {
                            table.next_column += count(&e, "number-columns-repeated");
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let local = e.local_name();
                match (ns, local.as_ref()) {
                    (Ns::Text, "p" | "h") => builder.close_paragraph(),
                    (Ns::Text, "note") => {
                        notes.close_region();
                        in_note = false;
                    }
                    (Ns::Draw, "text-box") => builder.close_region(),
                    (
                        Ns::Style,
                        "header" | "header-left" | "header-first" | "footer" | "footer-left"
                        | "footer-first",
                    ) => builder.close_region(),
                    (Ns::Table, "table") => {
                        open_tables.pop();
                    }
                    (Ns::Table, "table-cell") => {
                        if let Some(table) = open_tables.last_mut() {
                            table.next_column += table.repeated;
                            builder.close_region();
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if skip == 0 && builder.in_paragraph() => {
                builder.text(&collapse_whitespace(&t.xml10_content()));
            }
            Event::GeneralRef(r) if skip == 0 && builder.in_paragraph() => {
                let c = office::reference(&r, name, at)?;
                builder.text(c.encode_utf8(&mut [0; 4]));
            }
            Event::DocType(_) => return Err(declares_dtd(name)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((body.finish(), notes.finish()))
}

/// OpenDocument collapses white space in text as HTML does: a space stands for any run of
/// spaces, tabs and line ends in the XML (real spaces and tabs are `text:s` and `text:tab`).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{OFFICE_NS}" xmlns:text="{TEXT_NS}" xmlns:table="{TABLE_NS}" xmlns:draw="{DRAW_NS}" xmlns:svg="{SVG_NS}"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        )
    }

    fn layout(xml: &str) -> office::Layout {
        let (mut blocks, notes) = parse(xml, CONTENT, &mut 0).unwrap();
        blocks.extend(notes);
        office::lay_out(&blocks)
    }

    #[test]
    fn paragraphs_spaces_breaks_notes_boxes_and_cells() {
        let xml = content(concat!(
            "<text:h>咸宁公安通报</text:h>",
            "<text:p>破获<text:span>刑事案件</text:span>147起<text:s text:c=\"2\"/>，",
            "止付8亿余<text:line-break/>万元。<text:note text:note-class=\"footnote\">",
            "<text:note-citation>1</text:note-citation><text:note-body><text:p>据统计共12起。</text:p></text:note-body></text:note></text:p>",
            "<text:p>抓获12<draw:frame><svg:title>图1</svg:title><draw:text-box><text:p>3万万元</text:p></draw:text-box></draw:frame>人。</text:p>",
            "<text:tracked-changes><text:changed-region><text:deletion><text:p>删去9起</text:p></text:deletion></text:changed-region></text:tracked-changes>",
            "<table:table><table:table-row><table:table-cell table:number-columns-spanned=\"2\"><text:p>项目</text:p></table:table-cell>",
            "<table:covered-table-cell/><table:table-cell><text:p>147起</text:p></table:table-cell></table:table-row></table:table>",
            "<text:p>隐藏<text:hidden-text text:is-hidden=\"true\" text:string-value=\"1\">1</text:hidden-text>后</text:p>",
        ));
        let layout = layout(&xml);
        assert_eq!(
            layout.text,
            "咸宁公安通报\n破获刑事案件147起  ，止付8亿余\n万元。\n抓获12人。\n\t3万万元\n\t项目\n\t147起\n\t隐藏后\n\t据统计共12起。"
        );
        let regions: Vec<(&str, RegionKind)> = layout
            .regions
            .iter()
            .map(|r| (&layout.text[r.span.range()], r.kind))
            .collect();
        let cell = |column| RegionKind::TableCell {
            table: 1,
            row: 1,
            column,
        };
        assert_eq!(
            regions,
            [
                ("3万万元", RegionKind::TextBox),
                ("项目", cell(1)),
                ("147起", cell(3)),
                ("据统计共12起。", RegionKind::Footnote),
            ]
        );
    }

    #[test]
    fn whitespace_collapses_as_opendocument_says() {
        assert_eq!(collapse_whitespace("甲 \n\t 乙"), "甲 乙");
    }
}
