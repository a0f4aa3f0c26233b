//! `statlint serve`: a local HTTP server with the editors' page and LanguageTool's API.
//!
//! A small synchronous server (`tiny_http`) with a fixed pool of worker threads, not an async
//! stack (tokio, hyper, axum): checking a bulletin is CPU work of a few milliseconds, the
//! clients are one editor's browser or word processor on the same machine, and the async stack
//! would add about a hundred crates to compile on a two-core machine for nothing a thread pool
//! does not do. At most `workers` requests are read and checked at once; each body is read
//! only up to `max_body` bytes, so memory is bounded by `workers × max_body` plus the texts.
//!
//! The server knows nothing of rules or files: every document goes through the engine it is
//! given (`check_document`, the call `check` makes), and it never opens a path named by a
//! request: a file's name only says how to read the bytes sent with it.

pub mod form;
pub mod languagetool;

use crate::load::{self, Document, LoadError};
use crate::report::{FileReport, html};
use std::io::Read;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// How the server runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub addr: SocketAddr,
    /// Requests handled at once.
    pub workers: usize,
    /// The largest request body accepted (bytes), and the largest file.
    pub max_body: u64,
}

/// What the server checks with.
pub struct Engine<'a> {
    /// Check one document: the same call as `check`.
    pub check: &'a (dyn Fn(Document) -> FileReport + Sync),
    /// A document that cannot be read, in Chinese, for the page.
    pub explain: &'a (dyn Fn(&LoadError) -> String + Sync),
    /// A rule's summary by id (LanguageTool's `rule.description`).
    pub summary: languagetool::Summaries<'a>,
}

/// The server could not start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot listen on {addr}: {message}")]
#[diagnostic(
    code(statlint::serve),
    help(
        "another program may use this port: choose another with `--port` (端口被占用时请用 --port 换一个)"
    )
)]
pub struct ServeError {
    pub addr: SocketAddr,
    pub message: String,
}

/// Serve until the process ends. `ready` is called once the socket listens, with its address
/// (the port chosen when `--port 0` asked for any).
pub fn run(
    options: Options,
    engine: &Engine,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let server = tiny_http::Server::http(options.addr).map_err(|e| ServeError {
        addr: options.addr,
        message: e.to_string(),
    })?;
    let addr = server.server_addr().to_ip().unwrap_or(options.addr);
    ready(addr);
    std::thread::scope(|scope| {
        for _ in 0..options.workers.max(1) {
            scope.spawn(|| {
                for mut request in server.incoming_requests() {
                    // A bug in the engine answers 500 and leaves the worker serving.
                    let reply = catch_unwind(AssertUnwindSafe(|| {
                        route(&mut request, engine, options.max_body)
                    }))
                    .unwrap_or_else(|_| {
                        Reply::error(500, "statlint 内部错误", "internal error in statlint")
                    });
                    let head_only = *request.method() == tiny_http::Method::Head;
                    // A client that went away is no concern of the others.
                    let _ = reply.write(head_only, request.into_writer());
                }
            });
        }
    });
    Ok(())
}

/// An answer: status, content type and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: body.into(),
        }
    }

    fn json(value: &serde_json::Value) -> Reply {
        Reply::ok("application/json; charset=utf-8", value.to_string())
    }

    /// An error in Chinese and English, as plain text (what LanguageTool answers too).
    fn error(status: u16, zh: &str, en: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{zh}\n{en}\n").into_bytes(),
        }
    }

    /// The whole response, written by hand so that it can say `Connection: close`, which
    /// tiny_http leaves out of the responses it writes. Closing after each answer matters:
    /// tiny_http 0.12 gives each open connection a thread of its pool, and a connection that
    /// arrives while the pool's idle threads are all being woken can wait until another
    /// connection closes (a 62 s wait in the load test, docs/performance.md). Connections
    /// that close after each answer hand their thread back at once; on loopback a new
    /// connection per request costs nothing worth measuring.
    fn write(self, head_only: bool, mut out: impl std::io::Write) -> std::io::Result<()> {
        let reason = match self.status {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            413 => "Content Too Large",
            415 => "Unsupported Media Type",
            422 => "Unprocessable Content",
            _ => "Internal Server Error",
        };
        write!(
            out,
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
             Connection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        )?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

const PAGE: &str = include_str!("page.html");

/// The page, with the view's style in it.
fn page() -> String {
    PAGE.replacen("/*STYLE*/", html::STYLE, 1)
}

/// The request's path and query.
fn split_url(url: &str) -> (&str, &str) {
    url.split_once('?').unwrap_or((url, ""))
}

fn route(request: &mut tiny_http::Request, engine: &Engine, max_body: u64) -> Reply {
    use tiny_http::Method::{Get, Head, Post};
    let url = request.url().to_string();
    let (path, query) = split_url(&url);
    let method = request.method().clone();
    match (path, &method) {
        ("/", Get | Head) => Reply::ok("text/html; charset=utf-8", page()),
        ("/api/check", Post) => page_check(request, query, engine, max_body),
        ("/v2/check", Post | Get) => languagetool_check(request, query, engine, max_body),
        ("/v2/languages", Get | Head) => Reply::json(&languagetool::languages()),
        ("/" | "/api/check" | "/v2/check" | "/v2/languages", _) => Reply::error(
            405,
            &format!("不支持此请求方法：{method}"),
            &format!("method not allowed: {method}"),
        ),
        _ => Reply::error(404, "没有这个页面", "not found"),
    }
}

/// The body, at most `limit` bytes.
fn body(request: &mut tiny_http::Request, limit: u64) -> Result<Vec<u8>, Reply> {
    let too_large = || {
        Reply::error(
            413,
            &format!("内容过大（上限为{limit}字节，见 --max-file-size）"),
            &format!("request body too large (the limit is {limit} bytes, see --max-file-size)"),
        )
    };
    if request.body_length().is_some_and(|n| n as u64 > limit) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Reply::error(
                400,
                &format!("无法读取请求内容：{e}"),
                &format!("cannot read the request body: {e}"),
            )
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// `POST /api/check?name=FILE`: the body is the file (or the pasted text as UTF-8); the answer
/// is the view's fragment, as `check --format html` renders it.
fn page_check(
    request: &mut tiny_http::Request,
    query: &str,
    engine: &Engine,
    max_body: u64,
) -> Reply {
    let fields = match form::parse(query.as_bytes()) {
        Ok(fields) => fields,
        Err(e) => return bad_form(&e),
    };
    // Only the last component: a name says how to read the bytes and is shown, never opened.
    let name = form::get(&fields, "name")
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim())
        .filter(|n| !n.is_empty())
        .unwrap_or("粘贴的文本.txt")
        .to_string();
    let bytes = match body(request, max_body) {
        Ok(bytes) => bytes,
        Err(reply) => return reply,
    };
    match load::load_bytes_limited(name, &bytes, max_body) {
        Ok(document) => {
            let report = (engine.check)(document);
            Reply::ok(
                "text/html; charset=utf-8",
                html::render_fragment(&report, "f1"),
            )
        }
        Err(e) => {
            let status = if matches!(e, LoadError::TooLarge { .. }) {
                413
            } else {
                422
            };
            Reply::error(status, &(engine.explain)(&e), &e.to_string())
        }
    }
}

fn bad_form(error: &form::FormError) -> Reply {
    Reply::error(
        400,
        &format!("表单字段“{}”解码后不是 UTF-8", error.field),
        &error.to_string(),
    )
}

/// `/v2/check`: LanguageTool's fields from the query string and, for a POST, the form body.
fn languagetool_check(
    request: &mut tiny_http::Request,
    query: &str,
    engine: &Engine,
    max_body: u64,
) -> Reply {
    let mut fields = match form::parse(query.as_bytes()) {
        Ok(fields) => fields,
        Err(e) => return bad_form(&e),
    };
    if *request.method() == tiny_http::Method::Post {
        let content_type = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Content-Type"))
            .map(|h| h.value.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        if !content_type.is_empty()
            && !content_type.starts_with("application/x-www-form-urlencoded")
        {
            return Reply::error(
                415,
                "请以 application/x-www-form-urlencoded 表单提交",
                &format!(
                    "send the fields as application/x-www-form-urlencoded, not {content_type}"
                ),
            );
        }
        match body(request, max_body).map(|b| form::parse(&b)) {
            Ok(Ok(more)) => fields.extend(more),
            Ok(Err(e)) => return bad_form(&e),
            Err(reply) => return reply,
        }
    }
    let Some(language) = form::get(&fields, "language") else {
        return Reply::error(400, "缺少 language 参数", "missing parameter: language");
    };
    let annotated;
    let (text, positions) = match (form::get(&fields, "text"), form::get(&fields, "data")) {
        (Some(text), _) => (text.to_string(), languagetool::Positions::Text),
        (None, Some(data)) => match languagetool::annotated(data) {
            Ok(a) => {
                annotated = a;
                (
                    annotated.text.clone(),
                    languagetool::Positions::Annotated(&annotated),
                )
            }
            Err(e) => {
                return Reply::error(
                    400,
                    "data 参数不是 LanguageTool 的标注文本格式",
                    &e.to_string(),
                );
            }
        },
        (None, None) => {
            return Reply::error(
                400,
                "缺少 text 或 data 参数",
                "missing parameter: text or data",
            );
        }
    };
    // The text as the client has it: nothing decoded or normalized, so offsets stay its own.
    let document = Document {
        name: "languagetool.txt".to_string(),
        text,
        encoding: "utf-8",
        ..Document::default()
    };
    let report = (engine.check)(document);
    Reply::json(&languagetool::response(
        &report,
        language,
        positions,
        engine.summary,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_whole_and_offline() {
        let page = page();
        assert!(
            page.contains("mark.statlint-figure"),
            "the view's style is in"
        );
        assert!(!page.contains("/*STYLE*/"));
        for outside in ["http://", "https://", "<link", "src="] {
            assert!(!page.contains(outside), "{outside} in the page");
        }
    }

    #[test]
    fn urls_split_at_the_query() {
        assert_eq!(
            split_url("/api/check?name=a.txt"),
            ("/api/check", "name=a.txt")
        );
        assert_eq!(split_url("/"), ("/", ""));
    }
}
