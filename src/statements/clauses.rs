//! Clauses: the units a statement is read in.
//!
//! A paragraph is cut into sentences at `。！？` (a `；` does not end a sentence here: a semicolon
//! breakdown `盗窃40起；诈骗30起` belongs to the total before it), and a sentence into clauses at
//! `，；：` and their ASCII forms. A parenthesis is a *note* of the clause it stands in:
//! `刑事警情85起（环比下降3%），其中…` has the clauses `刑事警情85起` (with the note
//! `环比下降3%`) and `其中…`; the note's own clauses point back to it, so a part stated in a
//! parenthesis (`38人死亡（其中四川32人）`) finds its whole. `、` separates the items of a clause,
//! not clauses.
//!
//! Each paragraph also knows which part of the document it is: the title, lead lines after it
//! (a subtitle, a dateline), a heading (`一、…`, `（二）…`, `■…`), a caption (`▲…`) or body.

use crate::span::Span;

/// Which part of a document a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Title,
    /// Short lines between the title and the body: subtitle, dateline, byline.
    Lead,
    /// A numbered or bulleted heading line: `一、破获刑事案件3106起`, `■紧盯重点犯罪`.
    Heading,
    /// A photo caption: `▲通城公安赴中缅边境将…5名男子押解回国`.
    Caption,
    Body,
}

impl PartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartKind::Title => "title",
            PartKind::Lead => "lead",
            PartKind::Heading => "heading",
            PartKind::Caption => "caption",
            PartKind::Body => "body",
        }
    }

    /// Parts that sum up what the body says: their figures are restated in the body.
    pub fn is_headline(self) -> bool {
        !matches!(self, PartKind::Body)
    }
}

/// What ends a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    Comma,
    Semicolon,
    Colon,
    /// The end of the sentence (or of a note's parenthesis).
    End,
}

#[derive(Debug, Clone)]
pub struct Paragraph {
    pub span: Span,
    pub part: PartKind,
    /// The heading whose section the paragraph is in (the heading itself for a heading).
    pub section: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
    /// The sentence's clauses, `clauses[range]`.
    pub clauses: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Clause {
    /// From the clause's first character to its separator (not included). A note inside the
    /// clause lies within this span; its own clauses are listed separately.
    pub span: Span,
    pub sentence: usize,
    pub separator: Separator,
    /// For a clause inside a parenthesis: the clause the parenthesis stands in.
    pub note_of: Option<usize>,
    /// The parentheses inside this clause (with their brackets): not part of its phrases.
    pub notes: Vec<Span>,
}

/// The sentences and clauses of a document, in reading order.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub clauses: Vec<Clause>,
}

/// The longest line, in characters, that may be a lead line or a heading.
const MAX_HEADLINE_CHARS: usize = 60;

impl Layout {
    /// Cut `paragraphs` (spans into `text`, the title first if `title` is set) into sentences
    /// and clauses.
    pub fn new(text: &str, paragraphs: &[Span], title: Option<Span>) -> Layout {
        let mut layout = Layout::default();
        let mut in_lead = title.is_some();
        let mut section = None;
        for (i, &span) in paragraphs.iter().enumerate() {
            let part = if Some(span) == title {
                PartKind::Title
            } else {
                let kind = classify(&text[span.range()]);
                in_lead &= kind == PartKind::Lead;
                match kind {
                    PartKind::Lead if in_lead => PartKind::Lead,
                    PartKind::Lead => PartKind::Body,
                    other => other,
                }
            };
            if part == PartKind::Heading {
                section = Some(i);
            }
            layout.paragraphs.push(Paragraph {
                span,
                part,
                section,
            });
            layout.sentences_of(text, i, span);
        }
        layout
    }

    fn sentences_of(&mut self, text: &str, paragraph: usize, span: Span) {
        let mut start = span.start;
        let mut depth = 0usize;
        let body = &text[span.range()];
        for (i, c) in body.char_indices() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth = depth.saturating_sub(1),
                '。' | '！' | '？' | '!' | '?' if depth == 0 => {
                    let end = span.start + i;
                    self.sentence(text, paragraph, Span::new(start, end));
                    start = end + c.len_utf8();
                }
                _ => {}
            }
        }
        self.sentence(text, paragraph, Span::new(start, span.end));
    }

    fn sentence(&mut self, text: &str, paragraph: usize, span: Span) {
        let span = trim(text, span);
        if span.is_empty() {
            return;
        }
        let index = self.sentences.len();
        let first = self.clauses.len();
        self.clauses_of(text, index, span, None);
        self.sentences.push(Sentence {
            span,
            paragraph,
            clauses: first..self.clauses.len(),
        });
    }

    /// Cut `span` into clauses at depth 0; each parenthesis becomes a note of the clause it
    /// stands in and is cut into clauses of its own (after that clause, in reading order of
    /// their hosts: a note's clauses follow the clause that holds it).
    fn clauses_of(&mut self, text: &str, sentence: usize, span: Span, note_of: Option<usize>) {
        let body = &text[span.range()];
        let mut start = span.start;
        let mut depth = 0usize;
        let mut open_at = 0;
        let mut notes: Vec<Span> = Vec::new();
        for (i, c) in body.char_indices() {
            let at = span.start + i;
            match c {
                '（' | '(' => {
                    if depth == 0 {
                        open_at = at;
                    }
                    depth += 1;
                }
                '）' | ')' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        notes.push(Span::new(open_at, at + c.len_utf8()));
                    }
                }
                '，' | ',' | '；' | ';' | '：' | ':' if depth == 0 => {
                    let separator = match c {
                        '，' | ',' => Separator::Comma,
                        '；' | ';' => Separator::Semicolon,
                        _ => Separator::Colon,
                    };
                    let clause = Span::new(start, at);
                    self.clause(text, sentence, clause, separator, note_of, &mut notes);
                    start = at + c.len_utf8();
                }
                _ => {}
            }
        }
        if depth > 0 {
            // An unclosed parenthesis: its text is the clause's own.
            notes.retain(|n| n.end <= open_at);
        }
        self.clause(
            text,
            sentence,
            Span::new(start, span.end),
            Separator::End,
            note_of,
            &mut notes,
        );
    }

    fn clause(
        &mut self,
        text: &str,
        sentence: usize,
        span: Span,
        separator: Separator,
        note_of: Option<usize>,
        notes: &mut Vec<Span>,
    ) {
        let span = trim(text, span);
        let own: Vec<Span> = notes.drain(..).filter(|n| span.contains(*n)).collect();
        if span.is_empty() {
            return;
        }
        let index = self.clauses.len();
        self.clauses.push(Clause {
            span,
            sentence,
            separator,
            note_of,
            notes: own.clone(),
        });
        for note in own {
            let inner = Span::new(
                note.start + first_len(&text[note.range()]),
                note.end - last_len(&text[note.range()]),
            );
            self.clauses_of(text, sentence, inner, Some(index));
        }
    }

    /// The text of a clause without its notes: the words a statement of it is read from.
    pub fn clause_pieces(&self, clause: usize, within: Span) -> Vec<Span> {
        let c = &self.clauses[clause];
        let mut pieces = Vec::new();
        let mut start = within.start.max(c.span.start);
        let end = within.end.min(c.span.end);
        for note in &c.notes {
            if note.end <= start || note.start >= end {
                continue;
            }
            if note.start > start {
                pieces.push(Span::new(start, note.start));
            }
            start = note.end;
        }
        if start < end {
            pieces.push(Span::new(start, end));
        }
        pieces
    }

    pub fn part_of_clause(&self, clause: usize) -> PartKind {
        let sentence = &self.sentences[self.clauses[clause].sentence];
        self.paragraphs[sentence.paragraph].part
    }

    pub fn paragraph_of_clause(&self, clause: usize) -> usize {
        self.sentences[self.clauses[clause].sentence].paragraph
    }
}

fn first_len(s: &str) -> usize {
    s.chars().next().map_or(0, char::len_utf8)
}

fn last_len(s: &str) -> usize {
    s.chars().next_back().map_or(0, char::len_utf8)
}

/// A span without the white space at its ends.
fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    Span::new(span.start + lead, span.start + lead + trimmed.len())
}

/// What a paragraph that is not the title looks like: a short line without a full stop after
/// the title is a lead line; a numbered or bulleted one a heading; `▲` opens a caption.
fn classify(paragraph: &str) -> PartKind {
    let line = paragraph.trim();
    let short = line.chars().count() <= MAX_HEADLINE_CHARS && !line.contains('。');
    if line.starts_with('▲') && short {
        return PartKind::Caption;
    }
    if short && (starts_numbered(line) || line.starts_with(['■', '●', '◆', '★', '□', '◇']))
    {
        return PartKind::Heading;
    }
    if short && !line.ends_with(['，', ',', '；', ';', '：', ':']) {
        return PartKind::Lead;
    }
    PartKind::Body
}

/// `一、`, `（二）`, `(3)`, `1.`, `4、`, `第一，`: the start of a numbered section.
fn starts_numbered(line: &str) -> bool {
    let is_numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let mut chars = line.chars().peekable();
    let bracketed = matches!(chars.peek(), Some('（' | '('));
    if bracketed {
        chars.next();
    }
    let mut digits = 0;
    while chars.peek().is_some_and(|c| is_numeral(*c)) {
        chars.next();
        digits += 1;
    }
    if digits == 0 || digits > 3 {
        return false;
    }
    match chars.next() {
        Some('）' | ')') => bracketed,
        Some('、' | '.' | '．') => !bracketed,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> Layout {
        let paragraphs: Vec<Span> = crate::segment::lines(text)
            .into_iter()
            .filter(|l| !text[l.range()].trim().is_empty())
            .collect();
        let title = paragraphs.first().copied().filter(|_| paragraphs.len() > 1);
        Layout::new(text, &paragraphs, title)
    }

    fn clause_texts(text: &str) -> Vec<(String, Option<usize>)> {
        let layout = layout(text);
        layout
            .clauses
            .iter()
            .map(|c| {
                let mut s = String::new();
                for piece in layout.clause_pieces(
                    layout
                        .clauses
                        .iter()
                        .position(|x| x.span == c.span)
                        .unwrap(),
                    c.span,
                ) {
                    s.push_str(&text[piece.range()]);
                }
                (s, c.note_of)
            })
            .collect()
    }

    #[test]
    fn a_parenthesis_is_a_note_of_its_clause() {
        let got = clause_texts("刑事警情85起（环比下降3%），其中盗窃40起、诈骗50起。");
        assert_eq!(
            got,
            [
                ("刑事警情85起".to_string(), None),
                ("环比下降3%".to_string(), Some(0)),
                ("其中盗窃40起、诈骗50起".to_string(), None),
            ]
        );
        let got = clause_texts("地震已造成38人死亡（其中四川32人，云南6人），1人失踪。");
        assert_eq!(
            got,
            [
                ("地震已造成38人死亡".to_string(), None),
                ("其中四川32人".to_string(), Some(0)),
                ("云南6人".to_string(), Some(0)),
                ("1人失踪".to_string(), None),
            ]
        );
    }

    #[test]
    fn semicolons_cut_clauses_not_sentences() {
        let text = "全年共发生案件100起：盗窃40起；诈骗30起。抓获10人。";
        let layout = layout(text);
        assert_eq!(layout.sentences.len(), 2);
        let seps: Vec<Separator> = layout.clauses.iter().map(|c| c.separator).collect();
        assert_eq!(
            seps,
            [
                Separator::Colon,
                Separator::Semicolon,
                Separator::End,
                Separator::End
            ]
        );
    }

    #[test]
    fn parts_of_a_document() {
        let text = "破获刑案147起\n咸宁公安专项行动掀起凌厉攻势\n一、破获刑事案件3106起\n今年以来，破获刑事案件3106起。\n▲民警押解5名男子回国\n（二）抓获犯罪嫌疑人160名\n正文。";
        let layout = layout(text);
        let parts: Vec<PartKind> = layout.paragraphs.iter().map(|p| p.part).collect();
        assert_eq!(
            parts,
            [
                PartKind::Title,
                PartKind::Lead,
                PartKind::Heading,
                PartKind::Body,
                PartKind::Caption,
                PartKind::Heading,
                PartKind::Body,
            ]
        );
        let sections: Vec<Option<usize>> = layout.paragraphs.iter().map(|p| p.section).collect();
        assert_eq!(
            sections,
            [None, None, Some(2), Some(2), Some(2), Some(5), Some(5)]
        );
    }

    #[test]
    fn numbered_headings() {
        for yes in ["一、概况", "（二）成效", "(3)做法", "1.总体", "12、其他"] {
            assert!(starts_numbered(yes), "{yes}");
        }
        for no in ["一批案件", "（含积案）", "2024年", "一）", "(一、"] {
            assert!(!starts_numbered(no), "{no}");
        }
    }
}
