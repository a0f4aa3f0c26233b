//! Word, OpenDocument and legacy inputs read as Word shows them (issue 18): each fixture of
//! `fixtures/office/` (made by `scripts/make-office-fixtures`, described in its README) with the
//! findings an editor sees in it, counted by hand from the XML the script writes.

mod common;

use common::{fixture, outcome, statlint};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

fn office(name: &str) -> String {
    fixture(&format!("office/{name}"))
        .to_string_lossy()
        .into_owned()
}

/// `(rule, text)` of every finding of a JSON report's first file.
fn findings(json: &Value) -> Vec<(String, String)> {
    json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check_json(args: &[&str]) -> (Value, String, i32) {
    let (stdout, stderr, code) = outcome(
        statlint()
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .unwrap(),
    );
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (json, stderr, code)
}

/// The `位置：` (or `where: `) lines of the human output, in order.
fn positions(path: &str, lang: &str) -> Vec<String> {
    let (stdout, _, _) = outcome(
        statlint()
            .args(["check", "--lang", lang, path])
            .output()
            .unwrap(),
    );
    stdout
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("位置：")
                .or_else(|| l.strip_prefix("where: "))
                .map(str::to_string)
        })
        .collect()
}

fn pair(rule: &str, text: &str) -> (String, String) {
    (rule.to_string(), text.to_string())
}

#[test]
fn a_text_box_is_a_part_of_its_own_and_invents_no_figure() {
    let path = office("text-box.docx");
    let (json, _, code) = check_json(&[&path]);
    assert_eq!(code, 1);
    assert_eq!(findings(&json), [pair("malformed-amount", "3万万元")]);
    assert_eq!(positions(&path, "zh"), ["文本框1第1段第5字"]);
    assert_eq!(
        positions(&path, "en"),
        ["text box 1, paragraph 1, character 5"]
    );
}

#[test]
fn footnotes_endnotes_headers_and_footers_are_read() {
    let path = office("notes-headers-footers.docx");
    let (json, _, code) = check_json(&[&path]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        [
            // The body's 801 against the header's 901 of the same sentence.
            pair("measure-restatement-mismatch", "801人"),
            pair("malformed-amount", "8亿余万元"),
            pair("malformed-amount", "2亿余万元"),
            pair("staff-exceeds-villages", "901人"),
            pair("malformed-amount", "5亿余万元"),
        ]
    );
    assert_eq!(
        positions(&path, "zh"),
        [
            "第2段第17字",
            "脚注1第1段第7字",
            "尾注1第1段第5字",
            "页眉1第1段第17字",
            "页脚1第1段第7字"
        ]
    );
}

#[test]
fn hidden_and_deleted_text_are_not_read() {
    let (json, _, code) = check_json(&[&office("hidden-text.docx")]);
    assert_eq!(findings(&json), []);
    assert_eq!(code, 0);
}

#[test]
fn line_breaks_tabs_and_soft_hyphens_inside_figures() {
    let path = office("breaks-and-invisible-characters.docx");
    let (json, _, code) = check_json(&[&path]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        [
            pair("malformed-amount", "8亿余\n万元"),
            pair("malformed-amount", "2亿余\n万元"),
            pair("staff-exceeds-villages", "9\u{AD}01人"),
        ]
    );
    // Body paragraphs as Word counts them (the title is the first).
    assert_eq!(
        positions(&path, "zh"),
        ["第2段第10字", "第3段第8字", "第4段第17字"]
    );
}

#[test]
fn table_cells_are_located_by_table_row_and_column() {
    let path = office("table.docx");
    let (json, _, code) = check_json(&[&path]);
    assert_eq!(code, 1);
    assert_eq!(findings(&json), [pair("malformed-amount", "8亿余万元")]);
    assert_eq!(positions(&path, "zh"), ["表1第3行第2列第1段第1字"]);
}

#[test]
fn odt_is_read_like_docx() {
    let path = office("report.odt");
    let (json, _, code) = check_json(&[&path]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        [
            pair("malformed-amount", "8亿余\n万元"),
            pair("measure-restatement-mismatch", "801人"),
            pair("malformed-amount", "5亿余万元"),
            pair("malformed-amount", "2亿余万元"),
            pair("staff-exceeds-villages", "901人"),
        ]
    );
    assert_eq!(
        positions(&path, "zh"),
        [
            "第2段第10字",
            "第3段第17字",
            "表1第2行第2列第1段第1字",
            "脚注1第1段第5字",
            "页眉1第1段第17字"
        ]
    );
}

#[test]
fn formats_statlint_does_not_read_are_refused_with_advice() {
    for name in [
        "word-97.doc",
        "wps-draft.wps",
        "renamed-doc.docx",
        "draft.rtf",
        "scan.pdf",
    ] {
        let (stdout, stderr, code) =
            outcome(statlint().args(["check", &office(name)]).output().unwrap());
        assert_eq!(code, 2, "{name}: {stdout}");
        assert!(
            stderr.contains("files cannot be checked"),
            "{name}: {stderr}"
        );
        assert!(
            stderr
                .replace(char::is_whitespace, "")
                .contains("请在Word/WPS中另存为.docx后再检查"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn an_empty_docx_is_an_empty_document() {
    let (json, stderr, code) = check_json(&[&office("new-empty.docx")]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(findings(&json), []);
}

#[test]
fn a_docx_on_stdin_is_recognized_by_its_signature() {
    let bytes = std::fs::read(office("notes-headers-footers.docx")).unwrap();
    let output = statlint()
        .args(["check", "--format", "json", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    let (stdout, stderr, code) = outcome(output);
    assert_eq!(code, 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    // As from the file: the four of the notes, header and footer, and the body's restated 801.
    assert_eq!(findings(&json).len(), 5);
}

#[test]
fn big5_and_utf16_without_bom_are_decoded() {
    let (json, _, code) = check_json(&[&office("traditional-big5.text")]);
    assert_eq!(code, 0);
    assert_eq!(json["files"][0]["encoding"], "big5");
    let output = statlint()
        .args([
            "extract",
            "--format",
            "json",
            &office("traditional-big5.text"),
        ])
        .output()
        .unwrap();
    let extracted: Value = serde_json::from_slice(&output.stdout).unwrap();
    let texts: Vec<&str> = extracted["quantities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"801人"), "{texts:?}");

    let (json, _, code) = check_json(&[&office("utf16le-without-bom.text")]);
    assert_eq!(code, 1);
    assert_eq!(json["files"][0]["encoding"], "utf-16le");
    assert_eq!(findings(&json), [pair("staff-exceeds-villages", "901人")]);
}

#[test]
fn hostile_archives_are_refused() {
    let cases = [
        (
            "inflates-past-the-limit.docx",
            "1M",
            "inflate to more than 1048576 bytes",
        ),
        (
            "thousands-of-entries.docx",
            "50M",
            "the archive has 1501 entries",
        ),
        (
            "nested-a-million-deep.docx",
            "50M",
            "nests elements more than 256 deep",
        ),
        ("entity-declarations.docx", "50M", "declares a DTD"),
    ];
    for (name, limit, message) in cases {
        let started = std::time::Instant::now();
        let (json, stderr, code) = check_json(&["--max-file-size", limit, &office(name)]);
        assert_eq!(code, 2, "{name}");
        assert!(stderr.contains(message), "{name}: {stderr}");
        let errors = &json["files"][0]["errors"];
        assert_eq!(errors[0]["reason"], "docx", "{name}: {json}");
        // Bounded time is measured in scripts/stress; this only says it did not hang.
        assert!(started.elapsed().as_secs() < 60, "{name}");
    }
    // The archive within the default limit is read.
    let (_, _, code) = check_json(&[&office("inflates-past-the-limit.docx")]);
    assert_eq!(code, 0);
}

/// The names and inflated contents of every entry of a zip.
fn entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// The checked-in fixtures are what the script makes: compared entry by entry (a different
/// zlib may compress the same XML into other bytes).
#[test]
fn the_fixtures_are_what_the_script_makes() {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/make-office-fixtures");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .status()
        .expect("python3 runs scripts/make-office-fixtures");
    assert!(status.success());
    let checked_in = fixture("office");
    let mut made: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    assert!(made.len() >= 18, "{made:?}");
    for name in made {
        let (fresh, kept) = (dir.path().join(&name), checked_in.join(&name));
        let bytes = std::fs::read(&fresh).unwrap();
        if bytes.starts_with(b"PK") {
            assert_eq!(
                entries(&fresh),
                entries(&kept),
                "{name} is stale: run the script"
            );
        } else {
            assert_eq!(bytes, std::fs::read(&kept).unwrap(), "{name} is stale");
        }
    }
}
