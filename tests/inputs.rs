//! End-to-end tests of what `check` reads (issue 5): directories walked with `.gitignore` and
//! hidden files, Markdown (code and comments not checked, spans into the source, suppressions)
//! and `.docx` documents built here.

mod common;

use common::statlint;
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::Path;

const SELECT: &str = "malformed-amount,staff-exceeds-villages,unused-suppression";

fn check(dir: &Path, args: &[&str]) -> (Value, String, i32) {
    let output = statlint()
        .current_dir(dir)
        .args(["check", "--format", "json", "--select", SELECT])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&output.stdout)));
    (json, stderr, output.status.code().unwrap())
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// `(rule, line, column, text)` of every finding of file `i`.
fn located(json: &Value, i: usize) -> Vec<(String, u64, u64, String)> {
    json["files"][i]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["span"]["line"].as_u64().unwrap(),
                f["span"]["column"].as_u64().unwrap(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn directories_are_walked_honouring_gitignore_and_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let bad = "止付涉诈资金8亿余万元。\n";
    for name in [
        "bulletins/a.txt",
        "bulletins/b.md",
        "bulletins/2023/c.txt",
        "bulletins/ignored.txt",
        "bulletins/build/d.txt",
        "bulletins/.drafts/e.txt",
        "bulletins/.hidden.txt",
        "bulletins/notes.rs",
        "bulletins/drafts/f.txt",
    ] {
        write(root, name, bad);
    }
    write(root, ".gitignore", "ignored.txt\nbuild/\n");
    let (json, _, code) = check(root, &["bulletins"]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "bulletins/2023/c.txt",
            "bulletins/a.txt",
            "bulletins/b.md",
            "bulletins/drafts/f.txt",
        ]
    );
    // Globs from the command line, relative to the current directory.
    let (json, _, _) = check(
        root,
        &[
            "--exclude",
            "drafts/",
            "--include",
            "*.md",
            "bulletins",
            "bulletins/a.txt",
        ],
    );
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["bulletins/a.txt", "bulletins/b.md"]);
}

const MARKDOWN: &str = "# 咸宁公安通报

经查，止付涉诈资金**8亿余万元**。

```text
止付涉诈资金2亿余万元。
```

<!-- 冻结资金3亿余万元 -->

    缩进的代码：冻结资金4亿余万元。

<!-- statlint-disable-next-line malformed-amount -->
冻结涉案资金5亿余万元。

<!-- statlint-disable-next-line staff-exceeds-villages -->
没有数字的一段。

<!-- statlint-disable malformed -->
冻结涉案资金6亿余万元。

- 全市889个行政村已配备驻村辅警901人。
<!-- statlint-enable -->

止付`7亿余万元`资金，冻结9亿余万元。
";

#[test]
fn markdown_code_and_comments_are_not_checked_and_spans_point_into_the_source() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "通报.md", MARKDOWN);
    let (json, _, code) = check(dir.path(), &["通报.md"]);
    assert_eq!(code, 1);
    assert_eq!(
        located(&json, 0),
        [
            // `经查，止付涉诈资金**` is 11 characters.
            ("malformed-amount".into(), 3, 12, "8亿余万元".into()),
            (
                "unused-suppression".into(),
                16,
                1,
                "<!-- statlint-disable-next-line staff-exceeds-villages -->".into()
            ),
            // `- 全市889个行政村已配备驻村辅警` is 18 characters.
            ("staff-exceeds-villages".into(), 22, 19, "901人".into()),
            // 止付`7亿余万元`资金，冻结 is 14.
            ("malformed-amount".into(), 25, 15, "9亿余万元".into()),
        ]
    );
    // The staff finding is inside `disable malformed` … `enable`: only `malformed-…` is off there.
    let labels: Vec<&str> = json["files"][0]["findings"][2]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let (s, e) = (
                l["span"]["start"].as_u64().unwrap(),
                l["span"]["end"].as_u64().unwrap(),
            );
            &MARKDOWN[s as usize..e as usize]
        })
        .collect();
    assert_eq!(labels, ["889个", "901人"]);
    let message = json["files"][0]["findings"][1]["message"].as_str().unwrap();
    assert!(
        message.contains("没有抑制任何 staff-exceeds-villages"),
        "{message}"
    );
}

#[test]
fn unused_suppression_can_be_ignored_and_unknown_rules_are_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        "<!-- statlint-disable-next-line malformed-amont -->\n止付涉诈资金8亿余万元。\n",
    );
    let (json, _, _) = check(dir.path(), &["a.md"]);
    let found = located(&json, 0);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "unused-suppression");
    let message = json["files"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("规则 malformed-amont 不存在"), "{message}");
    let (json, _, _) = check(dir.path(), &["--ignore", "unused-suppression", "a.md"]);
    assert_eq!(located(&json, 0).len(), 1);
}

/// A minimal Word document: the parts Word itself needs to open it, and the body paragraphs.
fn docx(paragraphs: &[&[&str]]) -> Vec<u8> {
    let mut body = String::new();
    for runs in paragraphs {
        body.push_str("<w:p>");
        for run in *runs {
            body.push_str(&format!(
                "<w:r><w:t xml:space=\"preserve\">{run}</w:t></w:r>"
            ));
        }
        body.push_str("</w:p>");
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, contents) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(contents.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn docx_findings_are_located_by_paragraph_and_character() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = docx(&[
        &["咸宁公安通报"],
        &[],
        // One figure split over two runs, as Word does after an edit.
        &["经查，止付涉诈资金8亿", "余万元。"],
        &["全市889个行政村已配备", "驻村辅警901人。"],
    ]);
    write(dir.path(), "drafts/通报.docx", &bytes);
    let output = statlint()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "--select", SELECT, "drafts"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "drafts/通报.docx:3:10: error[malformed-amount] 金额“8亿余万元”写法有误，无法确定数值\n\
         drafts/通报.docx:4:17: error[staff-exceeds-villages] 驻村辅警901人，多于行政村889个：901 ≤ 889 不成立\n"
    );
    assert_eq!(output.status.code(), Some(1));
    let (json, _, _) = check(dir.path(), &["drafts/通报.docx"]);
    assert_eq!(json["files"][0]["findings"][0]["text"], "8亿余万元");
}

#[test]
fn damaged_docx_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = docx(&[&["止付涉诈资金8亿余万元。"]]);
    write(dir.path(), "truncated.docx", &good[..good.len() / 2]);
    write(dir.path(), "renamed.docx", "全市889个行政村。");
    let mut no_body = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    no_body
        .start_file("word/other.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    write(
        dir.path(),
        "nobody.docx",
        no_body.finish().unwrap().into_inner(),
    );
    write(dir.path(), "ok.docx", &good);
    let output = statlint()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "--select", SELECT, "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in ["truncated.docx", "renamed.docx", "nobody.docx"] {
        assert!(
            stderr.contains(&format!("{name}: cannot read this .docx file")),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("the archive has no word/"), "{stderr}");
    assert!(stderr.contains("save it again as .docx"), "{stderr}");
    // The readable document is still checked and reported.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok.docx:1:7: error[malformed-amount]"),
        "{stdout}"
    );
}

#[test]
fn extract_reads_markdown_as_check_does() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        "破获**147**起。\n\n```\n抓获160人\n```\n",
    );
    let output = statlint()
        .current_dir(dir.path())
        .args(["extract", "--format", "json", "a.md"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let texts: Vec<&str> = json["quantities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["147**起"]);
}
