//! Phrases: the words around one figure, read with the lexicon.
//!
//! The *near* phrase of a figure runs back from it to the previous figure, the previous `、`
//! or the start of its clause; the *right* phrase runs on to the next figure, `、` or the end
//! of the clause. `目前已破获刑事案件147起` has the near phrase `目前已破获刑事案件`;
//! `破获1452起刑事案件` has `破获` and the right phrase `刑事案件`; `造成14人受伤` has `造成`
//! and `受伤`. Notes (parentheses) are left out of both.

use super::lexicon::{Change, Found, Lexicon, Marker, Word};

/// One piece of a phrase: a word of the lexicon, or text it does not know.
#[derive(Debug, Clone, Copy)]
pub enum Token<'l> {
    Word(&'l Word),
    /// Unknown text, as a byte range of [`Phrase::text`] (punctuation and quotes left out).
    Other(usize, usize),
}

/// A phrase read into tokens.
#[derive(Debug, Clone)]
pub struct Phrase<'l> {
    pub text: String,
    pub tokens: Vec<Token<'l>>,
}

/// Characters that only separate words inside a phrase: quotes, brackets, dashes, spaces.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
            | '《'
            | '》'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '—'
            | '-'
            | '·'
            | '…'
            | '/'
            | '、'
    ) || c.is_whitespace()
}

impl<'l> Phrase<'l> {
    pub fn read(lexicon: &'l Lexicon, text: String) -> Phrase<'l> {
        let mut tokens = Vec::new();
        let mut at = 0;
        let found: Vec<Found<'l>> = lexicon.find(&text).collect();
        for f in found {
            push_other(&text, at, f.start, &mut tokens);
            tokens.push(Token::Word(f.word));
            at = f.end;
        }
        push_other(&text, at, text.len(), &mut tokens);
        Phrase { text, tokens }
    }

    pub fn other(&self, start: usize, end: usize) -> &str {
        &self.text[start..end]
    }

    /// Whether a token only fills space between the words that matter: a filler, `了`, or a
    /// marker that does not change what a figure is (`分别`, `同比`, `为`).
    pub fn is_skippable(token: &Token<'l>) -> bool {
        match token {
            Token::Word(w) => {
                (w.filler
                    && w.verb.is_none()
                    && w.object.is_none()
                    && w.change.is_none()
                    && w.qualifier.is_none())
                    || (w.verb.is_none()
                        && w.object.is_none()
                        && w.change.is_none()
                        && (w.markers.contains(Marker::Respectively)
                            || w.markers.contains(Marker::Comparison)
                            || w.markers.contains(Marker::To)))
            }
            Token::Other(..) => false,
        }
    }

    /// The last token that is not skippable, and its index.
    pub fn head(&self) -> Option<(usize, Token<'l>)> {
        self.tokens
            .iter()
            .enumerate()
            .rev()
            .find(|(_, t)| !Self::is_skippable(t))
            .map(|(i, t)| (i, *t))
    }

    /// The first token that is not a filler, and its index.
    pub fn first_meaningful(&self) -> Option<(usize, Token<'l>)> {
        self.tokens
            .iter()
            .enumerate()
            .find(|(_, t)| !Self::is_skippable(t))
            .map(|(i, t)| (i, *t))
    }

    pub fn words(&self) -> impl DoubleEndedIterator<Item = (usize, &'l Word)> + '_ {
        self.tokens.iter().enumerate().filter_map(|(i, t)| match t {
            Token::Word(w) => Some((i, *w)),
            Token::Other(..) => None,
        })
    }

    /// The last occurrence of a marker, by token index.
    pub fn last_marker(&self, marker: Marker) -> Option<usize> {
        self.words()
            .rev()
            .find(|(_, w)| w.markers.contains(marker))
            .map(|(i, _)| i)
    }

    pub fn has_marker(&self, marker: Marker) -> bool {
        self.last_marker(marker).is_some()
    }

    /// The last change word, its index, and whether a `to` marker (`至`, `到`) follows it
    /// before the end of the phrase: `下降至180起` states the new value, not the difference.
    pub fn last_change(&self) -> Option<(usize, Change, bool)> {
        let (i, change) = self
            .words()
            .rev()
            .find_map(|(i, w)| w.change.map(|c| (i, c)))?;
        let to = self.tokens[i + 1..]
            .iter()
            .any(|t| matches!(t, Token::Word(w) if w.markers.contains(Marker::To)));
        Some((i, change, to))
    }

    /// Whether the phrase ends with the name of a rate (`结案率`, `破案率为`): the name.
    pub fn rate_name(&self, suffix: char) -> Option<String> {
        let (i, token) = self.head()?;
        let text = match token {
            Token::Other(s, e) => &self.text[s..e],
            Token::Word(_) => return None,
        };
        if !text.ends_with(suffix) {
            return None;
        }
        // The name runs back over the words before it that make it up (`破案` + `率`).
        let mut name = text.to_string();
        for t in self.tokens[..i].iter().rev() {
            match t {
                Token::Word(w)
                    if w.verb.is_some() || w.object.is_some() || w.qualifier.is_some() =>
                {
                    name.insert_str(0, &w.text)
                }
                _ => break,
            }
        }
        Some(name)
    }
}

fn push_other<'l>(text: &str, from: usize, to: usize, tokens: &mut Vec<Token<'l>>) {
    let mut start = None;
    for (i, c) in text[from..to].char_indices() {
        let at = from + i;
        if is_punctuation(c) {
            if let Some(s) = start.take() {
                tokens.push(Token::Other(s, at));
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        tokens.push(Token::Other(s, to));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        let phrase = Phrase::read(Lexicon::standard(), text.to_string());
        phrase
            .tokens
            .iter()
            .map(|t| match t {
                Token::Word(w) => format!("[{}]", w.text),
                Token::Other(s, e) => phrase.text[*s..*e].to_string(),
            })
            .collect()
    }

    #[test]
    fn words_and_unknown_text() {
        assert_eq!(
            read("目前已破获刑事案件"),
            ["[目前已]", "[破获]", "[刑事案件]"]
        );
        assert_eq!(read("止付“涉诈”资金"), ["[止付]", "[涉诈]", "[资金]"]);
        assert_eq!(
            read("四川省凉山州会理县死亡"),
            ["四川省凉山州会理县", "[死亡]"]
        );
    }

    #[test]
    fn the_head_skips_fillers_and_markers() {
        let phrase = Phrase::read(Lexicon::standard(), "同比分别下降了".to_string());
        let (_, head) = phrase.head().unwrap();
        assert!(matches!(head, Token::Word(w) if &*w.text == "下降"));
        let (_, change, to) = phrase.last_change().unwrap();
        assert_eq!(change.direction, super::super::lexicon::Direction::Down);
        assert!(!to);
        let phrase = Phrase::read(Lexicon::standard(), "下降至".to_string());
        assert!(phrase.last_change().unwrap().2);
    }

    #[test]
    fn rate_names() {
        let lexicon = Lexicon::standard();
        let name = |t: &str| Phrase::read(lexicon, t.to_string()).rate_name('率');
        assert_eq!(name("结案率为").as_deref(), Some("结案率"));
        assert_eq!(name("全年破案率达").as_deref(), Some("破案率"));
        assert_eq!(name("破获刑事案件"), None);
    }
}
