//! `statlint annotate` (issue 16, part 3): the Word comments it writes, what it keeps of the
//! draft, and what it refuses. The drafts are fixtures/annotate/ (scripts/make-annotate-fixtures,
//! python-docx) and the loader's fixtures/office/. The anchored text is read here with a
//! reader of its own (the `w:t` between a comment's range start and end), not with the
//! writer's code; scripts/verify-annotate reads the same files with python-docx.

mod common;

use common::{fixture, outcome, statlint};
use regex::Regex;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The parts of the archive at `path` that are text.
fn parts(path: &Path) -> BTreeMap<String, String> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if let Ok(text) = String::from_utf8(data) {
            parts.insert(name, text);
        }
    }
    parts
}

/// A comment as comments.xml has it: id, author, initials, and its paragraphs' text.
#[derive(Debug)]
struct Comment {
    id: String,
    author: String,
    initials: String,
    text: String,
}

fn comments(xml: &str) -> Vec<Comment> {
    let comment = Regex::new(r#"(?s)<w:comment( [^>]*)>(.*?)</w:comment>"#).unwrap();
    let attribute = |attributes: &str, name: &str| {
        Regex::new(&format!(r#"w:{name}="([^"]*)""#))
            .unwrap()
            .captures(attributes)
            .map(|c| c[1].to_string())
            .unwrap_or_default()
    };
    let paragraph = Regex::new(r"(?s)<w:p[ >].*?</w:p>").unwrap();
    comment
        .captures_iter(xml)
        .map(|c| Comment {
            id: attribute(&c[1], "id"),
            author: attribute(&c[1], "author"),
            initials: attribute(&c[1], "initials"),
            text: paragraph
                .find_iter(&c[2])
                .map(|p| texts(p.as_str()))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect()
}

/// The text of the `w:t` elements of `xml`, entities resolved.
fn texts(xml: &str) -> String {
    let t = Regex::new(r"(?s)<w:t(?: [^>]*)?>(.*?)</w:t>").unwrap();
    t.captures_iter(xml)
        .map(|c| {
            c[1].replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The text comment `id` is anchored on in part `xml`, `None` when its range is not there.
fn anchored(xml: &str, id: &str) -> Option<String> {
    let start = xml.find(&format!(r#"<w:commentRangeStart w:id="{id}"/>"#))?;
    let end = xml.find(&format!(r#"<w:commentRangeEnd w:id="{id}"/>"#))?;
    assert!(start < end, "comment {id} ends before it starts");
    let reference = format!(r#"<w:commentReference w:id="{id}"/>"#);
    assert!(
        xml[end..].contains(&reference),
        "comment {id} has no reference after its range"
    );
    Some(texts(&xml[start..end]))
}

/// Annotate `input` into `dir`, returning the output path, stderr and exit code.
fn annotate(input: &Path, dir: &Path, extra: &[&str]) -> (std::path::PathBuf, String, i32) {
    let output = dir.join("out.docx");
    let run = statlint()
        .args(["--lang", "en", "annotate"])
        .arg(input)
        .arg("-o")
        .arg(&output)
        .args(extra)
        .output()
        .unwrap();
    let (_, stderr, code) = outcome(run);
    (output, stderr, code)
}

/// The statlint comments of an annotated copy, each with the text it is anchored on (in the
/// body or the notes).
fn statlint_notes(parts: &BTreeMap<String, String>) -> Vec<(String, Comment)> {
    let mut notes = Vec::new();
    for comment in comments(&parts["word/comments.xml"]) {
        if comment.author != "statlint" {
            continue;
        }
        assert_eq!(comment.initials, "SL");
        let text = [
            "word/document.xml",
            "word/footnotes.xml",
            "word/endnotes.xml",
        ]
        .iter()
        .filter_map(|p| parts.get(*p))
        .find_map(|xml| anchored(xml, &comment.id))
        .unwrap_or_else(|| panic!("comment {} is anchored nowhere", comment.id));
        notes.push((text, comment));
    }
    notes
}

#[test]
fn the_seed_gets_a_comment_on_each_malformed_amount() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("annotate/seed.docx");
    let before = std::fs::read(&input).unwrap();
    let (output, stderr, code) = annotate(&input, dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("2 finding(s)") && stderr.contains("2 comment(s)"));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the draft was modified"
    );

    let draft = parts(&input);
    let parts = parts(&output);
    let notes = statlint_notes(&parts);
    let anchors: Vec<&str> = notes.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(anchors, ["8亿余万元", "2亿余万元"]);
    // The message, the help and the rule, as `statlint check` words them (tests/fixtures.rs
    // pins the findings of the seed).
    assert_eq!(
        notes[0].1.text,
        "金额“8亿余万元”写法有误，无法确定数值\n\
         建议：金额只用一个数量级：如“8亿余万元”应写作“8亿余元”，或写出精确金额“8.2亿元”\n\
         （statlint 规则 malformed-amount）"
    );
    assert!(
        notes[1]
            .1
            .text
            .starts_with("金额“2亿余万元”写法有误，无法确定数值\n")
    );
    // The seed had no comments: the part is added, with its relationship and content type.
    assert!(!draft.contains_key("word/comments.xml"));
    assert!(parts["word/_rels/document.xml.rels"].contains(
        r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml""#
    ));
    assert!(parts["[Content_Types].xml"].contains(
        r#"PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml""#
    ));
}

#[test]
fn formatting_tracked_changes_and_earlier_comments_survive() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("annotate/features.docx");
    let (output, stderr, code) = annotate(&input, dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let before = parts(&input);
    let after = parts(&output);
    let body = &after["word/document.xml"];

    let notes = statlint_notes(&after);
    let anchors: Vec<&str> = notes.iter().map(|(t, _)| t.as_str()).collect();
    // 5亿余万元 is in the header, where Word takes no comment: at the start of the body.
    assert_eq!(
        anchors,
        ["8亿余万元", "2亿余万元", "889个", "901人", "3亿余万元", ""]
    );
    assert!(
        notes[5]
            .1
            .text
            .starts_with("（此数字在页眉中：“5亿余万元”。Word 不能在页眉中加批注"),
        "{}",
        notes[5].1.text
    );
    // A finding with two figures: a comment on each, saying which figure it is.
    assert!(notes[2].1.text.contains("本处“889个”：行政村数"));
    assert!(notes[3].1.text.contains("本处“901人”：驻村辅警人数"));

    // 2亿余万元 starts inside `冻结涉案资金2亿` and ends inside `余万元，用实际…`, both
    // underlined: each is split, every piece underlined still.
    let underlined = |text: &str| {
        format!(
            r#"<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#
        )
    };
    for piece in [
        "冻结涉案资金",
        "2亿",
        "余万元",
        "，用实际行动守牢了百姓的“钱袋子”。",
    ] {
        assert!(
            body.contains(&underlined(piece)),
            "{piece} lost its run properties"
        );
    }
    // 8亿余 (bold, red) and 万元 (italic) are whole runs: not split, kept as they were.
    assert!(
        body.contains(
            r#"<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t>8亿余</w:t></w:r>"#
        )
    );

    // The tracked change and the editor's comment are as they were.
    let ins = Regex::new(r"(?s)<w:ins [^>]*>.*?</w:ins>").unwrap();
    let del = Regex::new(r"(?s)<w:del [^>]*>.*?</w:del>").unwrap();
    let body_before = &before["word/document.xml"];
    assert_eq!(
        del.find(body).unwrap().as_str(),
        del.find(body_before).unwrap().as_str()
    );
    assert_eq!(texts(ins.find(body).unwrap().as_str()), "901");
    let earlier = comments(&after["word/comments.xml"]);
    let editor = earlier.iter().find(|c| c.author == "张编辑").unwrap();
    assert_eq!(editor.text, "标题请与正文核对");
    assert_eq!(anchored(body, &editor.id).as_deref(), Some("破获刑案147起"));
    // New ids are above every id of the draft (the editor's comment, the changes 901 and 902).
    for (_, comment) in &notes {
        assert!(comment.id.parse::<u64>().unwrap() > 902, "{}", comment.id);
    }
    // The header is not touched.
    assert_eq!(after["word/header1.xml"], before["word/header1.xml"]);
}

#[test]
fn the_annotated_copy_checks_as_the_draft_does() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "annotate/seed.docx",
        "annotate/features.docx",
        "office/notes-headers-footers.docx",
        "office/text-box.docx",
        "office/table.docx",
        "office/breaks-and-invisible-characters.docx",
    ] {
        let input = fixture(name);
        let output = dir.path().join(name.replace('/', "-"));
        let run = statlint()
            .arg("annotate")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{name}");
        let json = |path: &Path| {
            let run = statlint()
                .args(["check", "--format", "json"])
                .arg(path)
                .output()
                .unwrap();
            let mut value: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            value["files"][0]["findings"].take()
        };
        assert_eq!(json(&output), json(&input), "{name}");
    }
}

#[test]
fn figures_in_notes_text_boxes_and_tables_are_anchored_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let (output, stderr, _) = annotate(
        &fixture("office/notes-headers-footers.docx"),
        dir.path(),
        &[],
    );
    let after = parts(&output);
    let in_part = |part: &str| -> Vec<String> {
        comments(&after["word/comments.xml"])
            .iter()
            .filter_map(|c| anchored(after.get(part)?, &c.id))
            .collect()
    };
    assert_eq!(in_part("word/footnotes.xml"), ["8亿余万元"], "{stderr}");
    assert_eq!(in_part("word/endnotes.xml"), ["2亿余万元"]);
    // 801人 in the body; the header's 901人 and 889个 and the footer's 5亿余万元 at the
    // start of the body, anchored on nothing.
    assert_eq!(in_part("word/document.xml"), ["801人", "", "", "", ""]);

    let (output, _, _) = annotate(&fixture("office/text-box.docx"), dir.path(), &["--force"]);
    let after = parts(&output);
    let body = &after["word/document.xml"];
    let id = &comments(&after["word/comments.xml"])[0].id;
    assert_eq!(anchored(body, id).as_deref(), Some("3万万元"));
    // Inside the text box Word shows (mc:Choice), not in its fallback copy.
    let start = body
        .find(&format!(r#"<w:commentRangeStart w:id="{id}"/>"#))
        .unwrap();
    let choice = body.find("<mc:Choice").unwrap();
    let fallback = body.find("<mc:Fallback").unwrap();
    assert!(choice < start && start < fallback);

    let (output, _, _) = annotate(&fixture("office/table.docx"), dir.path(), &["--force"]);
    let after = parts(&output);
    let id = &comments(&after["word/comments.xml"])[0].id;
    let body = &after["word/document.xml"];
    let cell = Regex::new(r"(?s)<w:tc>.*?</w:tc>").unwrap();
    let holding = cell
        .find_iter(body)
        .find(|c| c.as_str().contains("commentRangeStart"))
        .unwrap();
    assert_eq!(anchored(holding.as_str(), id).as_deref(), Some("8亿余万元"));
}

#[test]
fn a_draft_without_findings_is_copied_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("office/hidden-text.docx");
    let (output, stderr, code) = annotate(&input, dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 finding(s)"), "{stderr}");
    assert_eq!(
        std::fs::read(output).unwrap(),
        std::fs::read(input).unwrap()
    );
}

#[test]
fn the_output_is_never_the_draft_nor_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("稿件.docx");
    std::fs::copy(fixture("annotate/seed.docx"), &draft).unwrap();
    let original = std::fs::read(&draft).unwrap();

    // The draft itself, named as it is, through `..`, or with --force: refused.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    for (output, force) in [
        (draft.clone(), false),
        (sub.join("..").join("稿件.docx"), false),
        (draft.clone(), true),
    ] {
        let mut cmd = statlint();
        cmd.args(["--lang", "en", "annotate"])
            .arg(&draft)
            .arg("-o")
            .arg(&output);
        if force {
            cmd.arg("--force");
        }
        let (_, stderr, code) = outcome(cmd.output().unwrap());
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("is the draft itself"), "{stderr}");
    }
    assert_eq!(std::fs::read(&draft).unwrap(), original);

    // An existing file: refused, untouched; replaced with --force.
    let existing = dir.path().join("out.docx");
    std::fs::write(&existing, "keep me").unwrap();
    let (_, stderr, code) = annotate(&draft, dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
    let (_, stderr, code) = annotate(&draft, dir.path(), &["--force"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(parts(&existing).contains_key("word/comments.xml"));

    // In Chinese, for an editor.
    std::fs::write(&existing, "keep me").unwrap();
    let (_, stderr, code) = outcome(
        statlint()
            .args(["--lang", "zh", "annotate"])
            .arg(&draft)
            .arg("-o")
            .arg(&existing)
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("文件已存在，statlint 不会覆盖它"),
        "{stderr}"
    );
    assert!(stderr.contains("加 --force 覆盖"), "{stderr}");
}

#[test]
fn what_cannot_be_annotated_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("office/report.odt", "请另存为 .docx 后再加批注"),
        ("office/word-97.doc", "statlint::unsupported_format"),
        ("office/nested-a-million-deep.docx", "statlint::docx"),
    ];
    for (name, expected) in cases {
        let (output, stderr, code) = annotate(&fixture(name), dir.path(), &[]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!output.exists(), "{name}: an output was written");
    }
}

#[test]
fn a_text_draft_gets_the_html_view() {
    let dir = tempfile::tempdir().unwrap();
    let (output, stderr, code) = annotate(&fixture("xianning-725-campaign.txt"), dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let page = std::fs::read_to_string(&output).unwrap();
    assert!(page.contains("发现2处问题"), "{page}");
    assert!(page.contains(">8亿余万元<"), "the figure is marked");
    assert!(page.contains(">2亿余万元<"), "the figure is marked");
}
