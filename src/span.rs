//! Byte spans and the one place where byte offsets become line and column.
//!
//! Everything inside statlint speaks in byte ranges of the decoded source text; line and
//! (character) column are computed only at the edge, when a finding is printed (ruff's
//! `LineIndex` habit). miette's own header column counts bytes, so JSON, SARIF and GitHub
//! output use [`LineIndex`] instead.

use serde::Serialize;

/// A half-open byte range `start..end` into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// Line and column of a byte offset: both 1-based, the column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets of one text to 1-based lines and character columns.
///
/// Columns are found in time bounded by [`CHECKPOINT_BYTES`], not by the line's length: a
/// 20 MB single-line file with a million figures must not count characters from the line start
/// for each of them.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts. A line ends at `\n`, `\r\n` or a lone `\r`.
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)` at the first character boundary at or after every
    /// multiple of [`CHECKPOINT_BYTES`], ascending.
    checkpoints: Vec<(usize, usize)>,
}

/// The distance between two character-count checkpoints of a [`LineIndex`].
const CHECKPOINT_BYTES: usize = 256;

/// The characters of `text` that start in `from..offset` (`from` a character boundary): the
/// bytes there that are not continuation bytes, counted without decoding.
fn count_chars_before(text: &str, from: usize, offset: usize) -> usize {
    let bytes = &text.as_bytes()[from..offset.min(text.len())];
    bytes.iter().filter(|&&b| !is_continuation(b)).count()
}

/// The line breaks of `text` (`\n`, `\r\n`, a lone `\r`), in order: where each starts and where
/// the next line starts. Line breaks are rare against the bytes between them, so `memchr2`
/// jumps from one to the next instead of testing every byte.
pub fn line_breaks(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(move |at| match bytes[at] {
        // The `\n` of a `\r\n` was told with its `\r`.
        b'\n' if at > 0 && bytes[at - 1] == b'\r' => None,
        b'\r' if bytes.get(at + 1) == Some(&b'\n') => Some((at, at + 2)),
        _ => Some((at, at + 1)),
    })
}

/// A byte inside a UTF-8 character, not its first.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

impl LineIndex {
    /// Built for every file with findings, over its whole text: line ends by `memchr2`, and
    /// the characters between checkpoints counted by their first bytes, so neither pass
    /// decodes the text.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(line_breaks(text).map(|(_, next)| next))
            .collect();
        // A checkpoint at the first character boundary at or after each multiple of
        // CHECKPOINT_BYTES.
        let mut checkpoints = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        let mut next = CHECKPOINT_BYTES;
        while next < bytes.len() {
            let boundary = next
                + bytes[next..]
                    .iter()
                    .take_while(|&&b| is_continuation(b))
                    .count();
            if boundary >= bytes.len() {
                break;
            }
            chars += count_chars_before(text, at, boundary);
            at = boundary;
            checkpoints.push((at, chars));
            next = (at / CHECKPOINT_BYTES + 1) * CHECKPOINT_BYTES;
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// The number of characters of `text` before byte `offset` (a character boundary or not:
    /// a character that `offset` falls inside counts as before it).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, before) = self.checkpoints[i];
        before + count_chars_before(text, at, offset)
    }

    /// The 0-based line that byte `offset` lies on; a line's terminator belongs to it.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where 0-based line `line` starts, `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The position of byte `offset` of `text` (the text this index was built from).
    /// An offset inside a multi-byte character counts as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let chars = if offset - start <= CHECKPOINT_BYTES {
            count_chars_before(text, start, offset)
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        };
        Position {
            line: line + 1,
            column: chars + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`LineIndex::new`] as written first, decoding every character: the reference.
    fn line_index_reference(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
        }
        let mut checkpoints = vec![(0, 0)];
        let mut next = CHECKPOINT_BYTES;
        for (chars, (i, _)) in text.char_indices().enumerate() {
            if i >= next {
                checkpoints.push((i, chars));
                next = (i / CHECKPOINT_BYTES + 1) * CHECKPOINT_BYTES;
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    #[test]
    fn the_line_index_is_the_one_a_walk_by_characters_builds() {
        // Characters of every width across checkpoints, every kind of line end, a text that
        // ends inside the last block and one that ends on a checkpoint.
        let mut texts = vec![String::new(), "\r".into(), "a\r\nb\rc\n".into()];
        for unit in ["a", "é", "破", "🎉", "破a\r\n", "\r破\n🎉é"] {
            for n in [1, 85, 86, 255, 256, 257, 300, 1000] {
                texts.push(unit.repeat(n));
            }
        }
        texts.push("x".repeat(CHECKPOINT_BYTES * 3));
        for text in &texts {
            let (fast, slow) = (LineIndex::new(text), line_index_reference(text));
            assert_eq!(fast.line_starts, slow.line_starts, "{text:?}");
            assert_eq!(fast.checkpoints, slow.checkpoints, "{text:?}");
            for offset in 0..=text.len() {
                let from = text.floor_char_boundary(offset.saturating_sub(300));
                let expected = text[from..]
                    .char_indices()
                    .take_while(|(i, _)| from + i < offset)
                    .count();
                assert_eq!(count_chars_before(text, from, offset), expected);
            }
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "标题\n全市889个\r\n第三行\r末行";
        let index = LineIndex::new(text);
        let cases = [
            (0, 1, 1),
            ("标题\n".len(), 2, 1),
            ("标题\n全市".len(), 2, 3),
            ("标题\n全市889个\r\n".len(), 3, 1),
            ("标题\n全市889个\r\n第三行\r".len(), 4, 1),
            (text.len(), 4, 3),
        ];
        for (offset, line, column) in cases {
            assert_eq!(
                index.position(text, offset),
                Position { line, column },
                "offset {offset}"
            );
        }
    }

    #[test]
    fn columns_on_long_lines_count_characters_across_checkpoints() {
        // Mixed 1-, 2-, 3- and 4-byte characters so checkpoints land inside characters.
        let line: String = "a£全🎉，".repeat(3000);
        let text = format!("首行\r\n{line}\n{line}");
        let index = LineIndex::new(&text);
        let second = "首行\r\n".len();
        let third = second + line.len() + 1;
        for (k, (i, _)) in text.char_indices().enumerate().step_by(97) {
            let (line_no, start) = if i >= third {
                (3, third)
            } else if i >= second {
                (2, second)
            } else {
                (1, 0)
            };
            let first_char = text[..start].chars().count();
            assert_eq!(
                index.position(&text, i),
                Position {
                    line: line_no,
                    column: k - first_char + 1
                },
                "offset {i}"
            );
        }
    }

    #[test]
    fn cover_and_overlap() {
        let a = Span::new(2, 5);
        let b = Span::new(4, 9);
        assert_eq!(a.cover(b), Span::new(2, 9));
        assert!(a.overlaps(b));
        assert!(!a.overlaps(Span::new(5, 6)));
        assert!(Span::new(0, 10).contains(a));
    }
}
