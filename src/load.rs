//! Load: turn the bytes of a file into text, choosing the encoding the way an editor's file
//! would have been saved.
//!
//! Chinese offices still save drafts in GBK; Windows tools write UTF-16 with a BOM. A file is
//! never guessed into mojibake: bytes that are neither clean UTF-8 nor clean GB18030, or a file
//! that is mostly UTF-8 with a few broken bytes, are refused with the offset of the first bad
//! byte, so the user can fix the file instead of reading findings about garbage.

use crate::span::Span;
use miette::Diagnostic;
use std::path::Path;
use thiserror::Error;

pub mod docx;
pub mod markdown;
pub mod odt;
pub mod office;

/// A decoded source document. Every span statlint reports is a byte range into `text`.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The name to show for the document: the path as given, or `-`/`--stdin-filename`.
    pub name: String,
    pub text: String,
    /// The encoding the bytes were decoded from (WHATWG label, e.g. `utf-8`, `gb18030`).
    pub encoding: &'static str,
    /// The parts of a word-processor document that are not body text, in text order (an outer
    /// region before the regions inside it). Body text is everything no region covers. Each
    /// region is a paragraph or more of its own in `text`, so no figure runs across its
    /// boundary. Empty for plain text; for Markdown, the cells of its tables.
    pub regions: Vec<Region>,
    /// The paragraphs of a `.docx` or `.odt` file as its application counts them, in text order,
    /// each a byte range of `text` (a manual line break stays inside its paragraph). Reports
    /// locate a finding by them (`第12段`). Empty for plain text and Markdown, whose lines are
    /// what an editor sees.
    pub paragraphs: Vec<Span>,
    /// Where stretches of `text` come from in a `.docx` file, in text order: the XML part, run
    /// and character each starts at (see [`office::Origin`]). What `statlint annotate` needs to
    /// anchor a comment on a figure; empty for every other format.
    pub origins: Vec<(Span, office::Origin)>,
}

/// A part of a document that is not body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Its text: a byte range of [`Document::text`].
    pub span: Span,
    pub kind: RegionKind,
}

/// What a [`Region`] is. Numbers are 1-based, as an editor says them (表1第2行第3列).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionKind {
    TextBox,
    Footnote,
    Endnote,
    Header,
    Footer,
    /// A cell of the `table`-th table of the document, at `row` and (grid) `column`.
    TableCell {
        table: usize,
        row: usize,
        column: usize,
    },
}

#[derive(Debug, Error, Diagnostic)]
pub enum LoadError {
    // The OS error is part of the message, not its cause: a cause would print it twice.
    #[error("{path}: cannot read: {error}")]
    #[diagnostic(code(statlint::io))]
    Io { path: String, error: std::io::Error },
    #[error("{path}: too large to check ({size} bytes; the limit is {limit} bytes)")]
    #[diagnostic(
        code(statlint::too_large),
        help("a bulletin is far smaller; raise the limit with `--max-file-size` if this is one")
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: is a directory, not a file")]
    #[diagnostic(
        code(statlint::io),
        help("give the files inside it, e.g. `statlint check {path}/*.txt`")
    )]
    IsDirectory { path: String },
    /// A FIFO or a socket: opened by name, one blocks until a writer comes, and one without a
    /// writer reads as an empty file (issue 19). Devices are read as streams, within the cap.
    #[error("{path}: cannot read {kind} by name")]
    #[diagnostic(
        code(statlint::io),
        help("pipe it to stdin instead: `… | statlint check -`")
    )]
    NotAFile { path: String, kind: &'static str },
    #[error("{name}: looks like a binary file (NUL byte at offset {offset})")]
    #[diagnostic(
        code(statlint::binary),
        help(
            "statlint reads plain text (UTF-8, UTF-16, GB18030/GBK, Big5), Markdown, .docx and .odt"
        )
    )]
    Binary { name: String, offset: usize },
    #[error("{name}: invalid {encoding} at byte offset {offset}")]
    #[diagnostic(
        code(statlint::encoding),
        help(
            "the file is mostly {encoding} but this byte sequence is not; re-save the file as UTF-8"
        )
    )]
    InvalidEncoding {
        name: String,
        encoding: &'static str,
        offset: usize,
    },
    #[error("{name}: cannot read this {format} file: {reason}")]
    #[diagnostic(
        code(statlint::docx),
        help(
            "the file is damaged or not a {format} document; open it in Word or WPS and save it again as .docx"
        )
    )]
    Office {
        name: String,
        format: &'static str,
        reason: String,
    },
    #[error("{name}: {format} files cannot be checked")]
    #[diagnostic(
        code(statlint::unsupported_format),
        help(
            "open it in Word or WPS and save it as .docx (请在 Word/WPS 中另存为 .docx 后再检查)"
        )
    )]
    Unsupported { name: String, format: &'static str },
}

impl LoadError {
    /// The name of the file that could not be read.
    pub fn path(&self) -> &str {
        match self {
            LoadError::Io { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::IsDirectory { path }
            | LoadError::NotAFile { path, .. } => path,
            LoadError::Binary { name, .. }
            | LoadError::InvalidEncoding { name, .. }
            | LoadError::Office { name, .. }
            | LoadError::Unsupported { name, .. } => name,
        }
    }
}

/// The kind of document a file name says it is: its text is read, and checked, accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// `.md`, `.markdown`: markup, code and HTML are not checked (see [`markdown`]).
    Markdown,
    /// `.docx`: a Word document (see [`docx`]).
    Docx,
    /// `.odt`: an OpenDocument text, what LibreOffice and WPS save (see [`odt`]).
    Odt,
    /// A format statlint does not read (`.doc`, `.wps`, `.rtf`, `.pdf`): refused with advice.
    Unsupported(&'static str),
}

impl Kind {
    pub fn of(name: &str) -> Kind {
        let extension = Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("md" | "markdown") => Kind::Markdown,
            Some("docx") => Kind::Docx,
            Some("odt") => Kind::Odt,
            Some("doc") => Kind::Unsupported(".doc (Word 97–2003)"),
            Some("wps") => Kind::Unsupported(".wps (WPS)"),
            Some("rtf") => Kind::Unsupported(".rtf"),
            Some("pdf") => Kind::Unsupported(".pdf"),
            _ => Kind::Text,
        }
    }

    /// The kind the bytes themselves show, whatever the name says: the formats that are
    /// refused, and zip archives (a `.docx` piped in without `--stdin-filename`).
    fn sniffed(bytes: &[u8]) -> Option<Kind> {
        const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
        if bytes.starts_with(OLE) {
            // Word 97–2003 and WPS both write compound files.
            return Some(Kind::Unsupported(".doc or .wps (Word 97–2003, WPS)"));
        }
        if bytes.starts_with(b"{\\rtf") {
            return Some(Kind::Unsupported(".rtf"));
        }
        if bytes.starts_with(b"%PDF-") {
            return Some(Kind::Unsupported(".pdf"));
        }
        if bytes.starts_with(b"PK\x03\x04") {
            // OpenDocument stores its media type first, uncompressed.
            let odt = bytes.get(30..).is_some_and(|rest| {
                rest.starts_with(b"mimetypeapplication/vnd.oasis.opendocument.text")
            });
            return Some(if odt { Kind::Odt } else { Kind::Docx });
        }
        None
    }
}

/// A word-processor format's reader: the bytes, and the budget of inflated bytes.
type Reader = fn(&[u8], u64) -> Result<office::Layout, office::Damage>;

/// Turn a file's bytes into a document, as its name's [`Kind`] says, reading at most
/// [`DEFAULT_MAX_FILE_SIZE`] inflated bytes from a `.docx` or `.odt`.
pub fn load_bytes(name: String, bytes: &[u8]) -> Result<Document, LoadError> {
    load_bytes_limited(name, bytes, DEFAULT_MAX_FILE_SIZE)
}

/// Turn a file's bytes into a document, as its name's [`Kind`] says (or its bytes, for formats
/// that are refused and for a zip archive named as text). The parts of a `.docx` or `.odt`
/// may inflate to at most `limit` bytes.
pub fn load_bytes_limited(name: String, bytes: &[u8], limit: u64) -> Result<Document, LoadError> {
    let named = Kind::of(&name);
    let kind = match (named, Kind::sniffed(bytes)) {
        (_, Some(Kind::Unsupported(format))) | (Kind::Unsupported(format), _) => {
            return Err(LoadError::Unsupported { name, format });
        }
        // A `.docx` that is an `.odt` inside (or the reverse) is read as what it is.
        (Kind::Text | Kind::Docx | Kind::Odt, Some(sniffed)) => sniffed,
        (named, _) => named,
    };
    let (format, read): (&str, Reader) = match kind {
        Kind::Docx => (".docx", docx::read),
        Kind::Odt => (".odt", odt::read),
        _ => return decode(name, bytes),
    };
    // A new, empty document saved by nothing (`touch 稿件.docx`, Windows' New → Word document)
    // has no bytes at all: an empty document, not a damaged one.
    if bytes.is_empty() {
        return Ok(Document {
            name,
            encoding: "utf-8",
            ..Document::default()
        });
    }
    match read(bytes, limit) {
        Ok(layout) => Ok(Document {
            name,
            text: layout.text,
            encoding: "utf-8",
            regions: layout.regions,
            paragraphs: layout.paragraphs,
            origins: layout.origins,
        }),
        Err(office::Damage(reason)) => Err(LoadError::Office {
            name,
            format,
            reason,
        }),
    }
}

/// The largest file statlint reads unless told otherwise (`--max-file-size`): 50 MiB, a
/// thousand times a long bulletin.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 << 20;

/// Read and decode a file from disk, refusing one larger than [`DEFAULT_MAX_FILE_SIZE`].
pub fn load_path(path: &Path) -> Result<Document, LoadError> {
    load_path_limited(path, DEFAULT_MAX_FILE_SIZE)
}

/// Read and decode a file from disk, refusing one larger than `limit` bytes, a FIFO and a
/// socket (see [`read_file`]).
pub fn load_path_limited(path: &Path, limit: u64) -> Result<Document, LoadError> {
    let bytes = read_file(path, limit)?;
    load_bytes_limited(path.display().to_string(), &bytes, limit)
}

/// The bytes of the file at `path` (symlinks followed), at most `limit` of them.
///
/// Every file statlint reads by name goes through here: documents, `statlint.toml`, rule files
/// and baselines (issue 19: the last three were read whole, so a link to `/dev/zero` grew to
/// out-of-memory and a FIFO hung). The file is opened without blocking, so that a FIFO without
/// a writer cannot hang the run in `open()`, and then refused, as a socket is
/// ([`LoadError::NotAFile`]); a directory is [`LoadError::IsDirectory`]. A regular file larger
/// than `limit` is [`LoadError::TooLarge`] before anything is read; a device (`/dev/null`,
/// `/dev/zero`) and a file that grows while it is read are cut at `limit + 1` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    let name = path.display().to_string();
    let is_directory = || LoadError::IsDirectory { path: name.clone() };
    let io_error = |error| LoadError::Io {
        path: name.clone(),
        error,
    };
    // The open file tells what it is: no second look-up of the path per file, and no window
    // between a look-up and the open in which the file could be replaced by a FIFO.
    // (Where a directory cannot be opened, the failure is told as what it is.)
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        Err(_) if path.is_dir() => return Err(is_directory()),
        Err(source) => return Err(io_error(source)),
    };
    let metadata = file.metadata().map_err(io_error)?;
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return Err(is_directory());
    }
    if let Some(kind) = blocking_kind(&file_type) {
        return Err(LoadError::NotAFile { path: name, kind });
    }
    let size = metadata.len();
    if size > limit {
        return Err(LoadError::TooLarge {
            path: name,
            size,
            limit,
        });
    }
    read_limited(&name, file, limit, size)
}

/// What a file is when reading it by name could block: a FIFO or a socket.
fn blocking_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    let _ = file_type;
    None
}

/// The UTF-8 text of the file at `path`, read as [`read_file`] reads: what statlint's own files
/// (`statlint.toml`, rule files, baselines) are. A BOM is not expected and not dropped; bytes
/// that are not UTF-8 are [`LoadError::InvalidEncoding`] at the first of them.
pub fn read_text_file(path: &Path, limit: u64) -> Result<String, LoadError> {
    let bytes = read_file(path, limit)?;
    String::from_utf8(bytes).map_err(|e| LoadError::InvalidEncoding {
        name: path.display().to_string(),
        encoding: "utf-8",
        offset: e.utf8_error().valid_up_to(),
    })
}

impl LoadError {
    /// What went wrong, without the path the message starts with: for errors that name the
    /// file in their own words (`statlint.toml: cannot read the configuration: …`).
    pub fn reason(&self) -> String {
        match self {
            LoadError::Io { error, .. } => error.to_string(),
            LoadError::TooLarge { size, limit, .. } => {
                format!("too large ({size} bytes; the limit is {limit} bytes)")
            }
            LoadError::IsDirectory { .. } => "is a directory, not a file".to_string(),
            LoadError::NotAFile { kind, .. } => format!("cannot read {kind} by name"),
            LoadError::Binary { offset, .. } => format!("binary (NUL byte at offset {offset})"),
            LoadError::InvalidEncoding {
                encoding, offset, ..
            } => format!("invalid {encoding} at byte offset {offset}"),
            LoadError::Office { reason, .. } => reason.clone(),
            LoadError::Unsupported { format, .. } => {
                format!("{format} files cannot be checked; save it as .docx")
            }
        }
    }
}

/// Opens `path` for reading without waiting for a FIFO's writer. `O_NONBLOCK` changes nothing
/// for the regular files and devices that are then read.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a file that is neither regular nor a directory is, for messages.
pub fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    let _ = file_type;
    "a special file"
}

/// Reads at most `limit` bytes of `reader`; more is [`LoadError::TooLarge`].
pub fn read_limited(
    name: &str,
    reader: impl std::io::Read,
    limit: u64,
    size_hint: u64,
) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(size_hint.min(limit)).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| LoadError::Io {
            path: name.to_string(),
            error,
        })?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(LoadError::TooLarge {
            path: name.to_string(),
            size,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a size as `--max-file-size` takes it: bytes, or a number with `K`, `M` or `G`
/// (binary multiples, an optional `B`/`iB` after them): `50M`, `512KiB`, `1G`, `1048576`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: expected e.g. 50M, 512K or 1048576"))?;
    let shift = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "`{text}`: unknown size unit `{suffix}` (use K, M or G)"
            ));
        }
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Decode bytes, detecting the encoding: BOM first, then UTF-8, then GB18030 (or Big5).
/// The regions of a Markdown document are its table cells.
pub fn decode(name: String, bytes: &[u8]) -> Result<Document, LoadError> {
    let (text, encoding) = decode_bytes(&name, bytes)?;
    let regions = if Kind::of(&name) == Kind::Markdown {
        markdown::table_cells(&text)
    } else {
        Vec::new()
    };
    Ok(Document {
        name,
        text,
        encoding,
        regions,
        paragraphs: Vec::new(),
        origins: Vec::new(),
    })
}

fn decode_bytes(name: &str, bytes: &[u8]) -> Result<(String, &'static str), LoadError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == encoding_rs::UTF_8 {
            return decode_utf8(name, body);
        }
        // UTF-16: NUL bytes are normal here, so the binary check comes after.
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err(LoadError::InvalidEncoding {
                name: name.to_string(),
                encoding: encoding.name(),
                offset: bom_len + first_utf16_error(body, encoding == encoding_rs::UTF_16LE),
            });
        }
        let label = if encoding == encoding_rs::UTF_16LE {
            "utf-16le"
        } else {
            "utf-16be"
        };
        return reject_nul(name, text.into_owned(), label);
    }
    if let Some(offset) = memchr_nul(bytes) {
        if let Some(little_endian) = utf16_without_bom(bytes) {
            let (encoding, label) = if little_endian {
                (encoding_rs::UTF_16LE, "utf-16le")
            } else {
                (encoding_rs::UTF_16BE, "utf-16be")
            };
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if !had_errors {
                return reject_nul(name, text.into_owned(), label);
            }
        }
        return Err(LoadError::Binary {
            name: name.to_string(),
            offset,
        });
    }
    decode_utf8(name, bytes)
}

/// Is this UTF-16 without a byte order mark (what some Windows tools save), and in which byte
/// order? Text in UTF-16 has a NUL in every ASCII character (digits, line ends, spaces), always
/// on the same side of the pair; a binary file has NULs anywhere. So: an even length, and NULs
/// almost only at odd offsets (little-endian) or only at even ones (big-endian).
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let units = bytes.len() / 2;
    // Every NUL on one side, and on a fair share of the characters: a few stray NULs in an
    // otherwise binary file are not a pattern.
    let pattern = |on: usize, off: usize| off == 0 && on * 10 >= units;
    if pattern(odd, even) {
        Some(true)
    } else if pattern(even, odd) {
        Some(false)
    } else {
        None
    }
}

fn decode_utf8(name: &str, bytes: &[u8]) -> Result<(String, &'static str), LoadError> {
    // Almost every file is valid UTF-8: simdutf8 checks that several times faster than std,
    // which then runs only on a file that fails, to tell where its first error is.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return reject_nul(name, text.to_string(), "utf-8");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => reject_nul(name, text.to_string(), "utf-8"),
        Err(first_error) => {
            if is_mostly_utf8(bytes) {
                return Err(LoadError::InvalidEncoding {
                    name: name.to_string(),
                    encoding: "utf-8",
                    offset: first_error.valid_up_to(),
                });
            }
            if is_big5(bytes) {
                return decode_big5(name, bytes);
            }
            decode_gb18030(name, bytes)
        }
    }
}

fn decode_gb18030(name: &str, bytes: &[u8]) -> Result<(String, &'static str), LoadError> {
    let encoding = encoding_rs::GB18030;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let mut read = 0;
    loop {
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += consumed;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => text.reserve(bytes.len() - read + 16),
            encoding_rs::DecoderResult::Malformed(bad, _) => {
                return Err(LoadError::InvalidEncoding {
                    name: name.to_string(),
                    encoding: "gb18030",
                    offset: read - bad as usize,
                });
            }
        }
    }
    Ok((text, "gb18030"))
}

/// Does a legacy-encoded file read as Big5 (Taiwan, Hong Kong) rather than GBK? Nearly every
/// byte sequence is valid GB18030, so a Big5 file decoded as GB18030 is mojibake that passes as
/// clean. Two signs tell them apart: chardetng (Firefox's detector), which scores the
/// characters each decoding gives, and the private-use characters (U+E000–U+F8FF) that Big5's
/// byte pairs become in GB18030 and that no Chinese text has, when the Big5 reading is clean.
fn is_big5(bytes: &[u8]) -> bool {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    if detector.guess(None, chardetng::Utf8Detection::Deny) == encoding_rs::BIG5 {
        return true;
    }
    let private_use = |text: &str| text.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c));
    let (gb, _, _) = encoding_rs::GB18030.decode(bytes);
    if !private_use(&gb) {
        return false;
    }
    let (big5, _, had_errors) = encoding_rs::BIG5.decode(bytes);
    !had_errors && !private_use(&big5)
}

fn decode_big5(name: &str, bytes: &[u8]) -> Result<(String, &'static str), LoadError> {
    let (text, _, had_errors) = encoding_rs::BIG5.decode(bytes);
    if had_errors {
        let mut decoder = encoding_rs::BIG5.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(bytes.len() * 2);
        let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
        let offset = match result {
            encoding_rs::DecoderResult::Malformed(bad, _) => read - bad as usize,
            _ => read,
        };
        return Err(LoadError::InvalidEncoding {
            name: name.to_string(),
            encoding: "big5",
            offset,
        });
    }
    Ok((text.into_owned(), "big5"))
}

fn reject_nul(
    name: &str,
    text: String,
    encoding: &'static str,
) -> Result<(String, &'static str), LoadError> {
    match text.find('\0') {
        Some(offset) => Err(LoadError::Binary {
            name: name.to_string(),
            offset,
        }),
        None => Ok((text, encoding)),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// True when valid multi-byte UTF-8 sequences outnumber the invalid ones: such a file is UTF-8
/// with damage, and decoding it as GB18030 would silently turn its Chinese into mojibake.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // SAFETY-free: `from_utf8` said these bytes are valid.
                valid_multibyte += std::str::from_utf8(&rest[..good])
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                invalid += 1;
                let skip = e.error_len().unwrap_or(rest.len() - good);
                rest = &rest[good + skip.max(1).min(rest.len() - good)..];
            }
        }
    }
    valid_multibyte > invalid
}

fn first_utf16_error(body: &[u8], little_endian: bool) -> usize {
    let units = body.chunks(2).map(|pair| match pair {
        [a, b] if little_endian => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xDC00, // a dangling byte reads as an unpaired surrogate
    });
    let mut offset = 0;
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => offset += c.len_utf16() * 2,
            Err(_) => return offset,
        }
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Result<(String, &'static str), LoadError> {
        decode_bytes("t", bytes)
    }

    #[test]
    fn encodings_are_detected() {
        let text = "破获刑事案件147起。\r\n抓获160名";
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend_from_slice(text.as_bytes());
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let cases: [(&[u8], &str); 5] = [
            (text.as_bytes(), "utf-8"),
            (&utf8_bom, "utf-8"),
            (&utf16le, "utf-16le"),
            (&utf16be, "utf-16be"),
            (&gbk, "gb18030"),
        ];
        for (bytes, encoding) in cases {
            let (decoded, chosen) = decoded(bytes).unwrap();
            assert_eq!(decoded, text, "{encoding}");
            assert_eq!(chosen, encoding);
        }
    }

    #[test]
    fn big5_and_utf16_without_bom_are_detected() {
        let text =
            "破獲刑事案件147起，抓獲犯罪嫌疑人160名。\n全市889個行政村已配備駐村輔警801人。\n";
        let (big5, _, _) = encoding_rs::BIG5.encode(text);
        assert_eq!(decoded(&big5).unwrap(), (text.to_string(), "big5"));
        let utf16le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decoded(&utf16le).unwrap(), (text.to_string(), "utf-16le"));
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decoded(&utf16be).unwrap(), (text.to_string(), "utf-16be"));
        // Simplified text in GBK stays GB18030.
        let simplified =
            "破获刑事案件147起，抓获犯罪嫌疑人160名。全市889个行政村已配备驻村辅警801人。";
        let (gbk, _, _) = encoding_rs::GBK.encode(simplified);
        assert_eq!(decoded(&gbk).unwrap().1, "gb18030");
        // NULs on both sides of the pairs are binary, not UTF-16.
        assert!(matches!(
            decoded(b"\0a\0b\0\0cd"),
            Err(LoadError::Binary { .. })
        ));
    }

    #[test]
    fn refused_formats_are_named_by_extension_and_by_signature() {
        let cases: [(&str, &[u8]); 6] = [
            ("a.doc", b"anything"),
            ("a.wps", b""),
            ("a.txt", b"{\\rtf1\\ansi 8\\'d2\\'da}"),
            ("a.pdf", b"%PDF-1.7"),
            ("a.docx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            ("-", b"%PDF-1.4 ..."),
        ];
        for (name, bytes) in cases {
            let err = load_bytes(name.to_string(), bytes).unwrap_err();
            assert!(
                matches!(err, LoadError::Unsupported { .. }),
                "{name}: {err:?}"
            );
        }
        let empty = load_bytes("新建文档.docx".to_string(), b"").unwrap();
        assert_eq!(empty.text, "");
    }

    #[test]
    fn binary_is_refused_with_offset() {
        let err = decoded(b"abc\0def").unwrap_err();
        assert!(
            matches!(err, LoadError::Binary { offset: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn damaged_utf8_is_refused_not_mangled() {
        let mut bytes = "全市889个行政村已配备驻村辅警801人".as_bytes().to_vec();
        bytes.insert(6, 0xFF);
        let err = decoded(&bytes).unwrap_err();
        assert!(
            matches!(
                err,
                LoadError::InvalidEncoding {
                    offset: 6,
                    encoding: "utf-8",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        let cases = [
            ("1048576", Some(1 << 20)),
            ("50M", Some(50 << 20)),
            ("50MB", Some(50 << 20)),
            ("512k", Some(512 << 10)),
            ("2GiB", Some(2 << 30)),
            ("0", Some(0)),
            ("", None),
            ("M", None),
            ("5T", None),
            ("-1", None),
            ("99999999999999999999G", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size(text).ok(), want, "{text}");
        }
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let err = read_limited("t", std::io::repeat(b'a'), 10, 0).unwrap_err();
        assert!(
            matches!(
                err,
                LoadError::TooLarge {
                    size: 11,
                    limit: 10,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            read_limited("t", &b"0123456789"[..], 10, 10).unwrap().len(),
            10
        );
    }

    #[test]
    fn empty_file_is_empty_text() {
        assert_eq!(decoded(b"").unwrap(), (String::new(), "utf-8"));
    }
}
