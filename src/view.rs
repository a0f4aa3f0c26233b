//! View: the normalized text that patterns match, with a map back to the source.
//!
//! Editors type full-width digits (`８８９`), `％` and `．`; web copies break lines inside
//! words. Matching runs on a *view* where those are folded to ASCII and the breaks inside a
//! sentence are removed, so one pattern serves every spelling. Every span found in the view is
//! mapped back with [`View::to_source`] before it is reported, so reports underline what the
//! author wrote. Chinese punctuation (`，、；`) is kept: it separates list items and clauses.

use crate::span::Span;

/// The normalized text and the piecewise map from its byte offsets to the source's.
#[derive(Debug, Clone)]
pub struct View {
    pub text: String,
    /// Pieces in view order. A *copy* piece has equal lengths on both sides; a *fold* piece is
    /// one source character that became one ASCII byte.
    pieces: Vec<Piece>,
    source_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    view: usize,
    source: usize,
    view_len: usize,
    source_len: usize,
}

impl Piece {
    fn is_copy(&self) -> bool {
        self.view_len == self.source_len
    }
}

/// What the view makes of one source character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// One ASCII byte instead of the character.
    To(char),
    /// Nothing: the character is not in the view.
    Delete,
}

/// The ASCII character a full-width character folds to, if it is one statlint folds.
fn fold_full_width(c: char) -> Option<char> {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        '％' => Some('%'),
        '．' => Some('.'),
        _ => None,
    }
}

/// Characters Word and web pages put into text that nobody sees: a soft hyphen (shown only
/// where a line wraps), zero-width spaces and joiners, the word joiner and a BOM inside the
/// text. They are not in the view, so `9\u{AD}01人` reads as the `901人` an editor sees, not
/// as `01人` (issue 18).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// No-break spaces (`&nbsp;` of a web copy, Word's Ctrl+Shift+Space, the narrow and the figure
/// space). Next to a digit they only keep a figure and its unit on one line (`抓获\u{A0}12\u{A0}人`
/// shows as `抓获 12 人`, read as `抓获12人`), so there they are deleted; elsewhere they are a space.
fn is_no_break_space(c: char) -> bool {
    matches!(c, '\u{A0}' | '\u{202F}' | '\u{2007}')
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit() || fold_full_width(c).is_some_and(|a| a.is_ascii_digit()))
}

/// What the view makes of `c` at `source[at..]`, if it changes it; the neighbours matter only
/// for a no-break space.
fn fold(source: &str, at: usize, c: char) -> Option<Fold> {
    if let Some(ascii) = fold_full_width(c) {
        return Some(Fold::To(ascii));
    }
    if is_invisible(c) {
        return Some(Fold::Delete);
    }
    if is_no_break_space(c) {
        let before = source[..at]
            .chars()
            .rev()
            .find(|&c| !is_invisible(c) && !is_no_break_space(c));
        let after = source[at + c.len_utf8()..]
            .chars()
            .find(|&c| !is_invisible(c) && !is_no_break_space(c));
        return Some(if is_digit(before) || is_digit(after) {
            Fold::Delete
        } else {
            Fold::To(' ')
        });
    }
    None
}

/// The first character of `source[from..end]` that [`fold`] changes: its offset, itself and
/// what becomes of it. Full-width characters are encoded `EF BC xx`/`EF BD xx`, the invisible
/// ones and no-break spaces start with `C2`, `E2` or `EF`, and most text has few of those bytes
/// (full-width and curly punctuation), so `memchr3` finds the candidates instead of decoding
/// every character.
fn next_foldable(source: &str, from: usize, end: usize) -> Option<(usize, char, Fold)> {
    let bytes = source.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr3(0xEF, 0xC2, 0xE2, &bytes[at..end]) {
        let p = at + i;
        // These bytes always lead a character, so `p` is a character boundary.
        let c = source[p..end].chars().next()?;
        if let Some(fold) = fold(source, p, c) {
            return Some((p, c, fold));
        }
        at = p + c.len_utf8();
    }
    None
}

impl View {
    /// The view of `source` with the byte ranges `removed` (sorted, non-overlapping) taken out.
    pub fn new(source: &str, removed: &[Span]) -> View {
        let mut view = View {
            text: String::with_capacity(source.len()),
            pieces: Vec::new(),
            source_len: source.len(),
        };
        let mut cursor = 0;
        for gap in removed {
            view.push_folded(source, cursor, gap.start);
            cursor = gap.end;
        }
        view.push_folded(source, cursor, source.len());
        view
    }

    /// Append `source[start..end]`, folding full-width characters and deleting invisible ones
    /// (a deleted character is a gap between pieces, as a join is). The text between two of them
    /// is copied in one piece.
    fn push_folded(&mut self, source: &str, start: usize, end: usize) {
        let mut run_start = start;
        while let Some((at, c, fold)) = next_foldable(source, run_start, end) {
            self.push_copy(source, run_start, at);
            if let Fold::To(ascii) = fold {
                self.push_fold(at, c, ascii);
            }
            run_start = at + c.len_utf8();
        }
        self.push_copy(source, run_start, end);
    }

    /// Append `ascii` for the full-width `c` at `source[at..]`.
    fn push_fold(&mut self, at: usize, c: char, ascii: char) {
        self.pieces.push(Piece {
            view: self.text.len(),
            source: at,
            view_len: 1,
            source_len: c.len_utf8(),
        });
        self.text.push(ascii);
    }

    fn push_copy(&mut self, source: &str, start: usize, end: usize) {
        if start == end {
            return;
        }
        let len = end - start;
        match self.pieces.last_mut() {
            Some(last)
                if last.is_copy()
                    && last.source + last.source_len == start
                    && last.view + last.view_len == self.text.len() =>
            {
                last.view_len += len;
                last.source_len += len;
            }
            _ => self.pieces.push(Piece {
                view: self.text.len(),
                source: start,
                view_len: len,
                source_len: len,
            }),
        }
        self.text.push_str(&source[start..end]);
    }

    /// The source span of a view span.
    pub fn to_source(&self, span: Span) -> Span {
        let start = self.source_start(span.start);
        let end = self.source_end(span.end).max(start);
        Span::new(start, end)
    }

    /// The view span of a source span (used to find paragraphs and the title in the view).
    /// A source offset inside a removed range maps to where the removed text was.
    pub fn from_source(&self, span: Span) -> Span {
        let start = self.view_offset(span.start);
        let end = self.view_offset(span.end).max(start);
        Span::new(start, end)
    }

    fn source_start(&self, view: usize) -> usize {
        // The start of the view is the start of the source, whatever was deleted before the
        // first piece (a leading BOM or zero-width space).
        if view == 0 {
            return 0;
        }
        let i = self.pieces.partition_point(|p| p.view <= view);
        if i == 0 {
            return view.min(self.source_len);
        }
        let p = self.pieces[i - 1];
        if view < p.view + p.view_len && p.is_copy() {
            p.source + (view - p.view)
        } else if view < p.view + p.view_len {
            p.source
        } else {
            p.source + p.source_len
        }
    }

    fn source_end(&self, view: usize) -> usize {
        // The end of the view is the end of the source, whatever was deleted after the last
        // piece (a trailing BOM or zero-width space).
        if view >= self.text.len() {
            return self.source_len;
        }
        let i = self.pieces.partition_point(|p| p.view < view);
        if i == 0 {
            return self.pieces.first().map_or(view, |p| p.source);
        }
        let p = self.pieces[i - 1];
        if p.is_copy() {
            p.source + (view - p.view).min(p.source_len)
        } else {
            p.source + p.source_len
        }
    }

    fn view_offset(&self, source: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.source <= source);
        if i == 0 {
            return 0;
        }
        let p = self.pieces[i - 1];
        if source < p.source + p.source_len && p.is_copy() {
            p.view + (source - p.source)
        } else if source < p.source + p.source_len {
            p.view
        } else {
            p.view + p.view_len
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_maps_back() {
        let source = "全市８８９个，占１２．５％";
        let view = View::new(source, &[]);
        assert_eq!(view.text, "全市889个，占12.5%");
        let at = view.text.find("889").unwrap();
        let span = view.to_source(Span::new(at, at + 3));
        assert_eq!(&source[span.range()], "８８９");
        let at = view.text.find("12.5%").unwrap();
        let span = view.to_source(Span::new(at, at + 5));
        assert_eq!(&source[span.range()], "１２．５％");
    }

    #[test]
    fn removes_joins_and_maps_across_them() {
        let source = "在对重\n\n点场所清查";
        let gap = Span::new("在对重".len(), "在对重\n\n".len());
        let view = View::new(source, &[gap]);
        assert_eq!(view.text, "在对重点场所清查");
        let at = view.text.find("重点").unwrap();
        let span = view.to_source(Span::new(at, at + "重点".len()));
        assert_eq!(&source[span.range()], "重\n\n点");
        let whole = view.from_source(Span::new(0, source.len()));
        assert_eq!(whole, Span::new(0, view.text.len()));
    }

    #[test]
    fn identity_view_maps_every_boundary_to_itself() {
        let source = "破获刑事案件147起";
        let view = View::new(source, &[]);
        for (i, _) in source.char_indices() {
            assert_eq!(view.to_source(Span::new(i, i)), Span::new(i, i));
            assert_eq!(view.from_source(Span::new(i, i)), Span::new(i, i));
        }
    }

    /// The character-by-character folding that [`View::push_folded`] must agree with (what
    /// it tests is where the runs between full-width characters end; pieces are appended the
    /// same way).
    fn push_folded_reference(view: &mut View, source: &str, start: usize, end: usize) {
        let mut run_start = start;
        for (i, c) in source[start..end].char_indices() {
            let at = start + i;
            if let Some(fold) = fold(source, at, c) {
                view.push_copy(source, run_start, at);
                if let Fold::To(ascii) = fold {
                    view.push_fold(at, c, ascii);
                }
                run_start = at + c.len_utf8();
            }
        }
        view.push_copy(source, run_start, end);
    }

    #[test]
    fn folding_agrees_with_the_character_by_character_reading() {
        let cases = [
            "",
            "８",
            "全市８８９个，占１２．５％",
            "１２３４５６７８９０％．",
            "，：（）！？ｆｕｌｌ－ｗｉｄｔｈ but not folded：＃＠～",
            "889个，12.5%",
            "\u{FFFF}０\u{FF0F}\u{FF1A}９\u{FF04}％\u{FF06}．\u{FF0D}",
            "末尾是全角９",
            "在对重\n\n点场所８起",
            "驻村辅警9\u{AD}01人\u{200B}，\u{A0}抓获\u{A0}１２\u{202F}人\u{FEFF}",
            "\u{A0}\u{AD}\u{A0}末\u{2060}",
        ];
        for source in cases {
            // Every cut of the text into two runs, as joins make.
            let cuts = source.char_indices().map(|(i, _)| i).chain([source.len()]);
            for cut in cuts {
                let empty = View {
                    text: String::new(),
                    pieces: Vec::new(),
                    source_len: source.len(),
                };
                let (mut fast, mut slow) = (empty.clone(), empty);
                fast.push_folded(source, 0, cut);
                fast.push_folded(source, cut, source.len());
                push_folded_reference(&mut slow, source, 0, cut);
                push_folded_reference(&mut slow, source, cut, source.len());
                assert_eq!(fast.text, slow.text, "{source:?} cut at {cut}");
                assert_eq!(fast.pieces, slow.pieces, "{source:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn invisible_characters_and_no_break_spaces_around_figures_are_not_in_the_view() {
        let cases = [
            ("驻村辅警9\u{AD}01人", "驻村辅警901人"),
            ("破获\u{200B}12\u{200D}起\u{2060}，\u{FEFF}", "破获12起，"),
            ("抓获\u{A0}12\u{A0}人", "抓获12人"),
            ("９\u{202F}０１人", "901人"),
            ("甲\u{A0}乙 丙", "甲 乙 丙"),
            ("12\u{A0}\u{AD}\u{A0}人", "12人"),
        ];
        for (source, expected) in cases {
            let view = View::new(source, &[]);
            assert_eq!(view.text, expected, "{source:?}");
        }
        let source = "驻村辅警9\u{AD}01人";
        let view = View::new(source, &[]);
        let at = view.text.find("901人").unwrap();
        let span = view.to_source(Span::new(at, at + "901人".len()));
        assert_eq!(&source[span.range()], "9\u{AD}01人");
    }

    #[test]
    fn empty_source() {
        let view = View::new("", &[]);
        assert_eq!(view.to_source(Span::new(0, 0)), Span::new(0, 0));
    }
}
