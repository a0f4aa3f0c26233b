//! End-to-end tests of `statlint serve` (issue 16) over real sockets: the page, the page's
//! check endpoint (the same view as `check --format html`), LanguageTool's endpoints, and every
//! malformed request answered with a 4xx in Chinese and English. The LanguageTool API is also
//! tested with a real client (`scripts/test-languagetool`), the page in a browser
//! (`tests/browser`).

mod common;

use common::{fixture, seed_text};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A running server, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_statlint"))
        .args(["serve", "--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, port }
}

/// Status, headers (lowercased names) and body of one request.
fn request(server: &Server, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "{head}\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let headers = String::from_utf8(response[..split].to_vec()).unwrap();
    let status = headers[9..12].parse().unwrap();
    (
        status,
        headers.to_lowercase(),
        response[split + 4..].to_vec(),
    )
}

fn text(body: Vec<u8>) -> String {
    String::from_utf8(body).unwrap()
}

/// The texts of the `<mark>` elements of a fragment.
fn marked(html: &str) -> Vec<String> {
    html.split("<mark ")
        .skip(1)
        .map(|m| {
            let inner = &m[m.find("\"><a href=").unwrap()..];
            let inner = &inner[inner.find("\">").unwrap() + 2..];
            let inner = &inner[inner.find('>').unwrap() + 1..];
            inner[..inner.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_page_and_its_check_show_the_view() {
    let server = start(&[]);
    let (status, headers, body) = request(&server, "GET / HTTP/1.1", b"");
    assert_eq!(status, 200);
    assert!(headers.contains("content-type: text/html; charset=utf-8"));
    let page = text(body);
    assert!(page.contains("statlint 数字一致性检查"));
    assert!(page.contains("fetch(\"/api/check?name=\""));

    // The seed, as the page posts pasted text.
    let (status, _, body) = request(
        &server,
        "POST /api/check?name=%E7%B2%98%E8%B4%B4.txt HTTP/1.1",
        seed_text().as_bytes(),
    );
    assert_eq!(status, 200);
    let fragment = text(body);
    assert_eq!(marked(&fragment), ["8亿余万元", "2亿余万元"]);
    assert!(fragment.contains("<h2>粘贴.txt</h2>"));
    assert!(fragment.contains("发现2处问题"));

    // A .docx, as the page posts a dropped file: read from the bytes, never from the name.
    let docx = std::fs::read(fixture("office/table.docx")).unwrap();
    let (status, _, body) = request(
        &server,
        "POST /api/check?name=..%2F..%2Fetc%2Ftable.docx HTTP/1.1",
        &docx,
    );
    assert_eq!(status, 200);
    let fragment = text(body);
    assert_eq!(marked(&fragment), ["8亿余万元"]);
    assert!(
        fragment.contains("<h2>table.docx</h2>"),
        "only the last component is shown"
    );
    assert!(fragment.contains("位置：表1第3行第2列"));

    let (status, _, body) = request(
        &server,
        "POST /api/check HTTP/1.1",
        "全市共有12个派出所。".as_bytes(),
    );
    assert_eq!(status, 200);
    assert!(text(body).contains("未发现数字矛盾"));
}

#[test]
fn the_page_and_the_command_line_agree() {
    // One renderer, one engine call: the fragment is the section of `check --format html`.
    let server = start(&[]);
    let seed = fixture("xianning-725-campaign.txt");
    let (_, _, body) = request(
        &server,
        "POST /api/check?name=xianning-725-campaign.txt HTTP/1.1",
        &std::fs::read(&seed).unwrap(),
    );
    let output = common::statlint()
        .current_dir(seed.parent().unwrap())
        .args(["check", "--format", "html", "xianning-725-campaign.txt"])
        .output()
        .unwrap();
    let page = String::from_utf8(output.stdout).unwrap();
    let fragment = text(body);
    assert!(
        page.contains(&fragment),
        "the page holds the fragment as it is"
    );
}

#[test]
fn languagetool_endpoints_answer_in_utf16_units() {
    let server = start(&[]);
    let (status, headers, body) = request(&server, "GET /v2/languages HTTP/1.1", b"");
    assert_eq!(status, 200);
    assert!(headers.contains("application/json"));
    let languages: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(languages[0]["longCode"], "zh-CN");

    // `😀` takes two UTF-16 units: `8亿余万元` starts at 2 + 6 = 8, not 7.
    let form = "language=zh-CN&text=%F0%9F%98%80%E6%AD%A2%E4%BB%98%E6%B6%89%E8%AF%88%E8%B5%84%E9%87%918%E4%BA%BF%E4%BD%99%E4%B8%87%E5%85%83%E3%80%82";
    let (status, _, body) = request(
        &server,
        "POST /v2/check HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let matches = answer["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 1, "{answer}");
    assert_eq!(matches[0]["offset"], 8);
    assert_eq!(matches[0]["length"], 5);
    assert_eq!(matches[0]["rule"]["id"], "malformed-amount");
    assert_eq!(matches[0]["sentence"], "😀止付涉诈资金8亿余万元。");

    // The same fields in the query string of a GET.
    let (status, _, body) = request(&server, &format!("GET /v2/check?{form} HTTP/1.1"), b"");
    assert_eq!(status, 200);
    let again: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(again["matches"], answer["matches"]);
}

#[test]
fn malformed_requests_get_a_4xx_in_chinese_and_english() {
    let server = start(&["--max-file-size", "2K"]);
    let form = "POST /v2/check HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
    let cases: Vec<(String, Vec<u8>, u16, &str, &str)> = vec![
        (
            "GET /nothing HTTP/1.1".into(),
            vec![],
            404,
            "没有这个页面",
            "not found",
        ),
        (
            "DELETE / HTTP/1.1".into(),
            vec![],
            405,
            "不支持此请求方法",
            "method not allowed",
        ),
        (
            "GET /api/check HTTP/1.1".into(),
            vec![],
            405,
            "不支持此请求方法",
            "method not allowed",
        ),
        (
            form.into(),
            b"text=abc".to_vec(),
            400,
            "缺少 language 参数",
            "missing parameter: language",
        ),
        (
            form.into(),
            b"language=zh-CN".to_vec(),
            400,
            "缺少 text 或 data 参数",
            "missing parameter",
        ),
        (
            form.into(),
            b"language=zh&text=%CF%CC".to_vec(),
            400,
            "不是 UTF-8",
            "not UTF-8",
        ),
        (
            form.into(),
            b"language=zh&data=%7B%22annotation%22%3A1%7D".to_vec(),
            400,
            "标注文本",
            "annotated text",
        ),
        (
            "POST /v2/check HTTP/1.1\r\nContent-Type: application/json".into(),
            b"{}".to_vec(),
            415,
            "x-www-form-urlencoded",
            "x-www-form-urlencoded",
        ),
        (form.into(), vec![b'a'; 3000], 413, "内容过大", "too large"),
        (
            "POST /api/check?name=a.txt HTTP/1.1".into(),
            vec![b'a'; 3000],
            413,
            "内容过大",
            "too large",
        ),
        (
            "POST /api/check?name=draft.docx HTTP/1.1".into(),
            b"PK\x03\x04 not a zip at all".to_vec(),
            422,
            "无法读取此.docx文件",
            "cannot read this .docx file",
        ),
        (
            "POST /api/check?name=a.txt HTTP/1.1".into(),
            b"\x00\x01binary\x00".to_vec(),
            422,
            "二进制文件",
            "binary",
        ),
        (
            "POST /api/check?name=old.doc HTTP/1.1".into(),
            b"hello".to_vec(),
            422,
            "另存为 .docx",
            ".doc (Word 97–2003) files cannot be checked",
        ),
    ];
    for (head, body, status, zh, en) in cases {
        let (got, headers, answer) = request(&server, &head, &body);
        let answer = text(answer);
        assert_eq!(got, status, "{head}: {answer}");
        assert!(headers.contains("text/plain; charset=utf-8"), "{head}");
        assert!(
            answer.contains(zh) && answer.contains(en),
            "{head}: {answer}"
        );
    }
    // Still serving after all of them.
    let (status, _, _) = request(&server, "GET / HTTP/1.1", b"");
    assert_eq!(status, 200);
}

#[test]
fn another_host_is_served_only_with_a_warning() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_statlint"))
        .args(["serve", "--port", "0", "--host", "0.0.0.0"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("warning: listening on 0.0.0.0"), "{line}");
    assert!(line.contains("其他计算机也可以访问"), "{line}");
}

#[test]
fn statlint_alone_without_a_terminal_serves_and_opens_the_page() {
    // As a file manager starts it: no arguments, no terminal. PATH is empty so that no browser
    // opens here; the note that none could be opened shows that `--open` was asked.
    let mut child = Command::new(env!("CARGO_BIN_EXE_statlint"))
        .env("PATH", "")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    if first.contains("cannot listen on 127.0.0.1:8081") {
        // Something else has the default port here: `serve` was still what ran.
        let _ = child.wait();
        return;
    }
    let mut rest = String::new();
    for _ in 0..2 {
        reader.read_line(&mut rest).unwrap();
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains("serving on http://127.0.0.1:8081/"),
        "{first}"
    );
    assert!(rest.contains("cannot open a browser"), "{rest}");
}

#[test]
fn the_help_lists_serve() {
    let output = common::statlint().arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("serve"), "{help}");
}
