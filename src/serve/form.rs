//! `application/x-www-form-urlencoded` fields (the body LanguageTool's clients post, and every
//! query string), decoded as the WHATWG URL standard says: `+` is a space, `%XX` a byte, and the
//! bytes UTF-8. A field that is not UTF-8 is an error, not a replacement character that would
//! shift every offset after it.

use percent_encoding::percent_decode;

/// A form that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("form field `{field}` is not UTF-8 once decoded")]
pub struct FormError {
    /// The field's name as far as it could be read.
    pub field: String,
}

/// The fields of `input` in order; a name without `=` has an empty value. Empty pieces
/// (`a=1&&b=2`) are skipped.
pub fn parse(input: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let mut fields = Vec::new();
    for piece in input.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(at) => (&piece[..at], &piece[at + 1..]),
            None => (piece, &[][..]),
        };
        let name = decode(name).map_err(|_| FormError {
            field: String::from_utf8_lossy(name).into_owned(),
        })?;
        let value = decode(value).map_err(|_| FormError {
            field: name.clone(),
        })?;
        fields.push((name, value));
    }
    Ok(fields)
}

fn decode(raw: &[u8]) -> Result<String, std::string::FromUtf8Error> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    String::from_utf8(percent_decode(&spaced).collect())
}

/// The first value of field `name`.
pub fn get<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded() {
        // `咸宁` is E5 92 B8 E5 AE 81 in UTF-8; `%2B` a literal plus, `+` a space.
        let fields = parse(b"text=%E5%92%B8%E5%AE%81+1%2B1&language=zh-CN&&flag&e=").unwrap();
        assert_eq!(
            fields,
            [
                ("text".to_string(), "咸宁 1+1".to_string()),
                ("language".to_string(), "zh-CN".to_string()),
                ("flag".to_string(), String::new()),
                ("e".to_string(), String::new()),
            ]
        );
        assert_eq!(get(&fields, "language"), Some("zh-CN"));
        assert_eq!(get(&fields, "data"), None);
    }

    #[test]
    fn a_value_that_is_not_utf8_is_an_error() {
        // GBK bytes of `咸` (CF CC), as an old client might send.
        assert_eq!(parse(b"language=zh&text=%CF%CC").unwrap_err().field, "text");
        // A stray `%` that starts no escape is kept as it is.
        assert_eq!(parse(b"t=100%").unwrap()[0].1, "100%");
    }
}
