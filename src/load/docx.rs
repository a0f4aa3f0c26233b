//! `.docx`: the paragraphs of a Word (or WPS) document, as text.
//!
//! Most bulletins are drafted in Word. A `.docx` is a zip archive whose `word/document.xml` holds
//! the body: each `w:p` is a paragraph, its text is in `w:t` runs, `w:tab` is a tab, and `w:br`/
//! `w:cr` (a manual line break, Shift+Enter) is read as a space. Paragraphs are joined with `\n`,
//! so in every report a `.docx` finding's line is its paragraph (empty paragraphs count, as in
//! Word) and its column the character within that paragraph. Deleted text of tracked changes
//! (`w:delText`), field codes (`w:instrText`) and the fallback copy of a text box
//! (`mc:Fallback`) are not text of the document and are skipped.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use std::io::Read;

/// The WordprocessingML namespaces: transitional (what Word and WPS write) and strict.
const WORD_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MARKUP_COMPATIBILITY_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The largest `word/document.xml` statlint inflates: a bulletin's is well under a megabyte, and
/// a zip bomb should not exhaust memory.
const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// Why a `.docx` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage(pub String);

/// The text of a `.docx` file's body: paragraphs joined by `\n`.
pub fn text(bytes: &[u8]) -> Result<String, Damage> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Damage(format!("not a zip archive ({e})")))?;
    let mut entry = archive
        .by_name("word/document.xml")
        .map_err(|_| Damage("the archive has no word/document.xml".into()))?;
    let mut xml = Vec::new();
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| Damage(format!("word/document.xml cannot be inflated ({e})")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(Damage("word/document.xml is larger than 256 MiB".into()));
    }
    let xml = String::from_utf8(xml)
        .map_err(|e| Damage(format!("word/document.xml is not UTF-8 ({e})")))?;
    paragraphs(&xml)
}

/// The paragraphs of a `word/document.xml`.
fn paragraphs(xml: &str) -> Result<String, Damage> {
    let mut reader = NsReader::from_str(xml);
    let mut out = String::new();
    let mut paragraphs = 0usize;
    // Depth of `w:p` (text boxes nest paragraphs inside a run of the outer one), of `w:r`, of
    // `w:t`, and of skipped subtrees.
    let (mut in_p, mut in_r, mut in_t, mut skip) = (0usize, 0usize, 0usize, 0usize);
    let damaged = |e: &dyn std::fmt::Display, at: u64| {
        Damage(format!(
            "word/document.xml is not well-formed XML at byte {at} ({e})"
        ))
    };
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader.read_resolved_event().map_err(|e| damaged(&e, at))?;
        let word = matches!(ns, ResolveResult::Bound(n) if WORD_NS.contains(&n.0));
        let fallback = matches!(ns, ResolveResult::Bound(n) if n.0 == MARKUP_COMPATIBILITY_NS);
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                if skip > 0 || (fallback && name.as_ref() == "Fallback") {
                    skip += 1;
                } else if word && name.as_ref() == "p" {
                    if in_p == 0 && paragraphs > 0 {
                        out.push('\n');
                    }
                    if in_p == 0 {
                        paragraphs += 1;
                    }
                    in_p += 1;
                } else if word && name.as_ref() == "r" {
                    in_r += 1;
                } else if word && name.as_ref() == "t" {
                    in_t += 1;
                }
            }
            Event::Empty(e) if skip == 0 && word => match e.local_name().as_ref() {
                "p" if in_p == 0 => {
                    // A self-closed paragraph (`<w:p/>`) is an empty one, and counts.
                    if paragraphs > 0 {
                        out.push('\n');
                    }
                    paragraphs += 1;
                }
                // Only inside a run: `w:tab` also defines tab stops in paragraph properties.
                "tab" if in_r > 0 => out.push('\t'),
                "br" | "cr" if in_r > 0 => out.push(' '),
                _ => {}
            },
            Event::End(e) => {
                let name = e.local_name();
                if skip > 0 {
                    skip -= 1;
                } else if word && name.as_ref() == "p" {
                    in_p = in_p.saturating_sub(1);
                } else if word && name.as_ref() == "r" {
                    in_r = in_r.saturating_sub(1);
                } else if word && name.as_ref() == "t" {
                    in_t = in_t.saturating_sub(1);
                }
            }
            Event::Text(t) if skip == 0 && in_t > 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if skip == 0 && in_t > 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if skip == 0 && in_t > 0 => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r)
                        .and_then(|s| s.chars().next()),
                    Err(e) => return Err(damaged(&e, at)),
                };
                match c {
                    Some(c) => out.push(c),
                    None => {
                        return Err(Damage(format!(
                            "word/document.xml uses an undefined entity `&{};`",
                            &*r
                        )));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if paragraphs == 0 {
        return Err(Damage("word/document.xml has no paragraphs (w:p)".into()));
    }
    Ok(out)
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

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let xml = body(concat!(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr><w:r><w:t>破获刑案</w:t></w:r><w:r><w:t xml:space=\"preserve\">147起 </w:t></w:r></w:p>",
            "<w:p/>",
            "<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙&amp;&#20004;</w:t></w:r></w:p>",
            "<w:p><w:r><w:delText>删去</w:delText><w:instrText>PAGE</w:instrText><w:t>留下</w:t></w:r></w:p>",
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:p><w:r><w:t>框</w:t></w:r></w:p></mc:Choice>",
            "<mc:Fallback><w:p><w:r><w:t>框</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        ));
        assert_eq!(
            paragraphs(&xml).unwrap(),
            "破获刑案147起 \n\n甲\t乙 丙&两\n留下\n框"
        );
    }

    #[test]
    fn damage_is_named() {
        let cases = [
            (body("<w:p><w:t>甲</w:p>"), "not well-formed"),
            (body(""), "no paragraphs"),
            (body("<w:p><w:t>&nbsp;</w:t></w:p>"), "undefined entity"),
        ];
        for (xml, expected) in cases {
            let Damage(message) = paragraphs(&xml).unwrap_err();
            assert!(message.contains(expected), "{message}");
        }
        let Damage(message) = text(b"PK\x03\x04 not really").unwrap_err();
        assert!(message.contains("not a zip archive"), "{message}");
    }
}
