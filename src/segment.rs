//! Segment: find the title, paragraphs and sentences of a document, and the line breaks that
//! fall inside a sentence.
//!
//! Bulletins are copied out of web pages and Word files, so lines break in odd places: the
//! seed breaks `对重\n\n点场所` and `车巡\n\n与步巡` in the middle of a word. Such a break is a
//! *join*: the normalized view removes it, and the paragraph goes on across it.

use crate::span::Span;

/// The layout of a document, in byte spans of its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// The headline: the first non-empty line when it reads as one (see [`is_title_line`]), or a
    /// Markdown `#` heading.
    pub title: Option<Span>,
    /// Paragraphs in order, the title first when there is one.
    pub paragraphs: Vec<Span>,
    /// Line breaks (with any blank lines between) that lie inside a sentence.
    pub joins: Vec<Span>,
}

/// Characters after which a line is complete: a break after them is a real paragraph break.
const LINE_FINAL: &[char] = &[
    '。', '！', '？', '!', '?', '；', ';', '：', ':', '…', '”', '’', '」', '』', '）', ')', '】',
    '》', '"',
];

/// Characters that open a new block when a line starts with them (bullets, headings, quotes).
const BLOCK_OPENERS: &[char] = &[
    '●', '▲', '■', '◆', '★', '□', '○', '◇', '△', '▼', '►', '•', '#', '>', '-', '*', '　', ' ',
    '\t', '【', '（', '(',
];

/// Sentence-final punctuation: a sentence ends after one of these (and any closing quotes).
const SENTENCE_FINAL: &[char] = &['。', '！', '？', '!', '?', '；', ';'];
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '】', '》', '"'];

/// The longest line, in characters, that may be a headline.
const MAX_TITLE_CHARS: usize = 48;

pub fn layout(text: &str) -> Layout {
    let lines: Vec<Span> = lines(text)
        .into_iter()
        .filter(|l| !text[l.range()].trim().is_empty())
        .collect();
    let mut layout = Layout::default();
    let Some(first) = lines.first() else {
        return layout;
    };
    let title = is_title_line(&text[first.range()], lines.len() > 1).then_some(*first);
    layout.title = title;

    let mut current: Option<Span> = None;
    for (i, line) in lines.iter().enumerate() {
        let Some(open) = current else {
            current = Some(*line);
            continue;
        };
        let previous = &text[lines[i - 1].range()];
        let is_title = i == 1 && title.is_some();
        // `破获电诈案件1286起，抓获犯罪嫌疑人1643人` under the title: a subtitle, a line of its own
        // even though it has a comma and no full stop.
        let next = &text[line.range()];
        let is_subtitle = i == 2
            && title.is_some()
            && current == Some(lines[1])
            && is_title_line(previous, true)
            && !breaks_inside_figure(previous, next);
        if !is_title && !is_subtitle && breaks_inside_sentence(previous, next) {
            layout.joins.push(Span::new(lines[i - 1].end, line.start));
            current = Some(open.cover(*line));
        } else {
            layout.paragraphs.push(open);
            current = Some(*line);
        }
    }
    layout.paragraphs.extend(current);
    layout
}

/// The headline of a bulletin is short, stands alone, and has no full stop (it may end in ！).
fn is_title_line(line: &str, more_follows: bool) -> bool {
    let line = line.trim();
    if line.starts_with('#') {
        return true;
    }
    more_follows
        && line.chars().count() <= MAX_TITLE_CHARS
        && !line.contains('。')
        && !line.ends_with(['，', ',', '、', '：', ':'])
}

/// A break lies inside a sentence when the line before is prose (it has a comma or a full stop)
/// that stops mid-sentence, and the next line does not open a block of its own.
fn breaks_inside_sentence(previous: &str, next: &str) -> bool {
    let previous = previous.trim_end();
    // A comma or full stop makes a line prose; `三、各派出所警情情况` (a heading) has neither.
    let is_prose = previous.contains(['，', '。', ',']) && !starts_numbered_heading(previous);
    let stops_mid_sentence = previous
        .chars()
        .last()
        .is_some_and(|c| !LINE_FINAL.contains(&c));
    let next_continues = next
        .chars()
        .next()
        .is_some_and(|c| !BLOCK_OPENERS.contains(&c) && !starts_numbered_heading(next));
    is_prose && stops_mid_sentence && next_continues
}

/// `8亿余` | `万元`: a line wrapped inside a figure (Word breaks lines anywhere) ends in a numeral
/// and goes on with its magnitude, unit or further digits. Such a line is never a subtitle.
fn breaks_inside_figure(previous: &str, next: &str) -> bool {
    const NUMERAL: &str = "0123456789０１２３４５６７８９.一二三四五六七八九十两零〇百千万亿余多几";
    const GOES_ON: &str = "0123456789０１２３４５６７８９.十百千万亿余多元人起名件个%％";
    let ends_in_numeral = previous
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| NUMERAL.contains(c));
    let goes_on = next
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| GOES_ON.contains(c));
    ends_in_numeral && goes_on
}

/// `一、`, `二、`, `1.`, `3、`: the start of a numbered section, never a continuation.
fn starts_numbered_heading(line: &str) -> bool {
    let head: String = line.chars().take(4).collect();
    let digits_end = head
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
        .map(|(i, _)| i);
    match digits_end {
        Some(i) if i > 0 => head[i..].starts_with(['、', '.', '．']),
        _ => false,
    }
}

/// Lines of `text` without their terminators (`\n`, `\r\n`, lone `\r`).
pub fn lines(text: &str) -> Vec<Span> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (at, next) in crate::span::line_breaks(text) {
        lines.push(Span::new(start, at));
        start = next;
    }
    if start < text.len() {
        lines.push(Span::new(start, text.len()));
    }
    lines
}

/// The sentences of the paragraph `span` of `text`: each ends after sentence-final punctuation
/// and the closing quotes that follow it, or at a line end.
pub fn sentences(text: &str, span: Span) -> Vec<Span> {
    let mut sentences = Vec::new();
    let mut start = span.start;
    let mut at = span.start;
    while let Some((i, c)) = next_sentence_end(text, at, span.end) {
        let (end, next) = if c == '\n' || c == '\r' {
            (i, i + 1)
        } else {
            let e = after_closers(text, i + c.len_utf8(), span.end);
            (e, e)
        };
        push_trimmed(text, &mut sentences, Span::new(start, end));
        start = next;
        at = next;
    }
    push_trimmed(text, &mut sentences, Span::new(start, span.end));
    sentences
}

/// Whether a byte can start a character of [`SENTENCE_FINAL`] or a line end: the ASCII ones
/// themselves, and the lead bytes of `。` (`E3`) and of the full-width `！？；` (`EF`).
const SENTENCE_END_LEAD: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < SENTENCE_FINAL.len() {
        let mut utf8 = [0; 4];
        table[SENTENCE_FINAL[i].encode_utf8(&mut utf8).as_bytes()[0] as usize] = true;
        i += 1;
    }
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

/// The first sentence-final character or line end in `text[from..end]`, and where it is. Only
/// characters whose first byte can start one are decoded; Chinese text has few of them.
fn next_sentence_end(text: &str, from: usize, end: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = bytes[at..end]
        .iter()
        .position(|&b| SENTENCE_END_LEAD[b as usize])
    {
        // A lead byte or an ASCII byte: `at + i` is a character boundary.
        let p = at + i;
        let c = text[p..end].chars().next()?;
        if SENTENCE_FINAL.contains(&c) || c == '\n' || c == '\r' {
            return Some((p, c));
        }
        at = p + c.len_utf8();
    }
    None
}

/// Past the closing quotes and brackets that start at `from` (before `end`).
fn after_closers(text: &str, from: usize, end: usize) -> usize {
    let closers = text[from..end]
        .char_indices()
        .find(|(_, c)| !CLOSERS.contains(c))
        .map_or(end - from, |(i, _)| i);
    from + closers
}

fn push_trimmed(text: &str, out: &mut Vec<Span>, span: Span) {
    let s = &text[span.range()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(Span::new(span.start + lead, span.end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn title_paragraphs_and_mid_word_breaks() {
        let text = "破获刑案147起，刑事打处160人！\n\n咸宁公安专项行动\n\n9月29日，崇阳县公安局在对重\n\n点场所治安清查中破获一起赌博团伙案。\n■紧盯重点犯罪\n末段。";
        let layout = layout(text);
        assert_eq!(
            texts(text, &layout.title.into_iter().collect::<Vec<_>>()),
            ["破获刑案147起，刑事打处160人！"]
        );
        assert_eq!(
            texts(text, &layout.paragraphs),
            [
                "破获刑案147起，刑事打处160人！",
                "咸宁公安专项行动",
                "9月29日，崇阳县公安局在对重\n\n点场所治安清查中破获一起赌博团伙案。",
                "■紧盯重点犯罪",
                "末段。",
            ]
        );
        assert_eq!(texts(text, &layout.joins), ["\n\n"]);
    }

    #[test]
    fn a_line_wrapped_inside_a_figure_under_the_title_is_not_a_subtitle() {
        let text = "咸宁公安通报\n经查，止付涉诈资金8亿余\n万元。\n末段。";
        let layout = layout(text);
        assert_eq!(
            texts(text, &layout.paragraphs),
            ["咸宁公安通报", "经查，止付涉诈资金8亿余\n万元。", "末段。"]
        );
        // A subtitle stays a line of its own.
        let text = "咸宁公安通报\n破获电诈案件1286起，抓获犯罪嫌疑人1643人\n9月29日，崇阳县公安局破获一起案件。";
        assert_eq!(
            texts(text, &layout_of(text)),
            [
                "咸宁公安通报",
                "破获电诈案件1286起，抓获犯罪嫌疑人1643人",
                "9月29日，崇阳县公安局破获一起案件。",
            ]
        );
    }

    fn layout_of(text: &str) -> Vec<Span> {
        layout(text).paragraphs
    }

    #[test]
    fn title_rules() {
        let cases = [
            ("破获刑案147起，刑事打处160人！", true, true),
            ("# 标题", false, true),
            ("全市889个行政村已配备驻村辅警801人。", true, false),
            ("只有一行的标题", false, false),
            ("经查，", true, false),
        ];
        for (line, more, expected) in cases {
            assert_eq!(is_title_line(line, more), expected, "{line}");
        }
    }

    #[test]
    fn breaks_that_continue_and_that_do_not() {
        let cases = [
            ("9月29日，崇阳县公安局在对重", "点场所治安清查", true),
            ("采取车巡", "与步巡相结合", false), // not prose: no comma before
            ("经查，犯罪嫌疑人庞某", "●记者", false),
            ("经查，犯罪嫌疑人庞某", "　　新段落", false),
            ("经查，犯罪嫌疑人庞某。", "下一段", false),
            ("工作如下，重点是", "一、严打", false),
            ("工作如下，重点是", "一批案件", true),
            ("三、各派出所警情情况", "城关、东关派出所", false),
            ("一、总体情况，全年平稳", "下一行", false),
        ];
        for (previous, next, expected) in cases {
            assert_eq!(
                breaks_inside_sentence(previous, next),
                expected,
                "{previous} / {next}"
            );
        }
    }

    #[test]
    fn sentences_end_after_final_punctuation_and_closing_quotes() {
        let text = "他说：“已破获。”随后抓获2人；其余在逃！最后一句";
        let all = Span::new(0, text.len());
        assert_eq!(
            texts(text, &sentences(text, all)),
            [
                "他说：“已破获。”",
                "随后抓获2人；",
                "其余在逃！",
                "最后一句"
            ]
        );
    }

    /// The byte-by-byte reading of line ends that [`lines`] must agree with.
    fn lines_reference(text: &str) -> Vec<Span> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(Span::new(start, i));
                    start = i + 1;
                }
                b'\r' => {
                    lines.push(Span::new(start, i));
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if start < bytes.len() {
            lines.push(Span::new(start, bytes.len()));
        }
        lines
    }

    #[test]
    fn lines_agree_with_the_byte_by_byte_reading() {
        let cases = [
            "",
            "\n",
            "\r",
            "\r\n",
            "\n\r",
            "\r\r\n\n",
            "一行",
            "一行\n",
            "标题\r\n第一段。\r第二段。",
            "\n\n  \n末行",
            "甲\r\n\r\n乙\n\r丙\r",
            "全市８８９个\n\n\r\n，占１２．５％\r",
        ];
        for text in cases {
            assert_eq!(lines(text), lines_reference(text), "{text:?}");
        }
    }

    /// The character-by-character reading of sentences that [`sentences`] must agree with.
    fn sentences_reference(text: &str, span: Span) -> Vec<Span> {
        let mut sentences = Vec::new();
        let mut start = span.start;
        let mut chars = text[span.range()].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let at = span.start + i;
            let mut end = None;
            if SENTENCE_FINAL.contains(&c) {
                let mut e = at + c.len_utf8();
                while let Some(&(j, next)) = chars.peek() {
                    if !CLOSERS.contains(&next) {
                        break;
                    }
                    e = span.start + j + next.len_utf8();
                    chars.next();
                }
                end = Some(e);
            } else if c == '\n' || c == '\r' {
                end = Some(at);
            }
            if let Some(e) = end {
                push_trimmed(text, &mut sentences, Span::new(start, e));
                start = if c == '\n' || c == '\r' { at + 1 } else { e };
            }
        }
        push_trimmed(text, &mut sentences, Span::new(start, span.end));
        sentences
    }

    #[test]
    fn sentences_agree_with_the_character_by_character_reading() {
        let cases = [
            "",
            "。",
            "他说：“已破获。”随后抓获2人；其余在逃！最后一句",
            "问？答!再问?答;完；",
            "句一。”」』）)】》\"句二。 \n 句三\r\n句四\r",
            "。。！！\n\n？？",
            "，、：（）「」不是句末，也不是引号",
            "结尾是引号。”",
            "  前后空白。  \t",
        ];
        for text in cases {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            // Every paragraph span of the text, so that a span's end can cut closers.
            for (k, &start) in bounds.iter().enumerate() {
                for &end in &bounds[k..] {
                    let span = Span::new(start, end);
                    assert_eq!(
                        sentences(text, span),
                        sentences_reference(text, span),
                        "{text:?} {span:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn crlf_and_cr_lines() {
        let text = "标题\r\n第一段。\r第二段。";
        assert_eq!(texts(text, &lines(text)), ["标题", "第一段。", "第二段。"]);
    }

    #[test]
    fn empty_text_has_no_layout() {
        assert_eq!(layout(""), Layout::default());
        assert_eq!(layout("\n\n  \n"), Layout::default());
    }
}
