//! `statlint serve`: resolve the settings as `check` does (rules, `statlint.toml`, select and
//! ignore), then hand [`crate::serve`] the engine call of `check`, so the page and the
//! LanguageTool clients report exactly what the command line reports.

use super::check::check_document;
use super::settings;
use super::{CheckArgs, CiArgs, ColorChoice, ExitStatus, Failure, Io, RuleSource};
use crate::load::LoadError;
use crate::recognize::Recognizer;
use crate::report::{Format, Lang};
use crate::serve;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The port to listen on (`0`: any free port, printed on stderr).
    #[arg(long, default_value_t = 8081)]
    pub port: u16,
    /// The address to listen on. Only this machine can reach the default; another address
    /// lets other machines send texts to check (a warning says so).
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Open the page in the default browser once the server listens.
    #[arg(long)]
    pub open: bool,
    /// Refuse request bodies (files, forms) larger than this (bytes, or with K/M/G).
    #[arg(long, value_name = "SIZE", default_value = "50M", value_parser = crate::load::parse_size)]
    pub max_file_size: u64,
    /// Requests checked at once [default: one per core, at least 2].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub workers: Option<u16>,
    #[command(flatten)]
    pub rules: RuleSource,
    /// Also report relations that approximate figures leave undetermined (as warnings).
    #[arg(long)]
    pub strict: bool,
    /// Read settings from this file instead of the `statlint.toml` found from the current
    /// directory upward.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check only these rules (ids or prefixes, comma-separated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not check these rules (ids or prefixes, comma-separated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

impl ServeArgs {
    /// What `statlint` does when started with no arguments and no terminal (from a file
    /// manager): the page, opened in the browser, with every default.
    pub fn double_clicked() -> ServeArgs {
        ServeArgs {
            port: 8081,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: true,
            max_file_size: 50 << 20,
            workers: None,
            rules: RuleSource { rule_dirs: vec![] },
            strict: false,
            config: None,
            select: vec![],
            ignore: vec![],
        }
    }

    /// The `check` arguments that resolve the same settings.
    fn check_args(&self) -> CheckArgs {
        CheckArgs {
            paths: vec![],
            format: Format::Json,
            output_file: None,
            rules: RuleSource {
                rule_dirs: self.rules.rule_dirs.clone(),
            },
            strict: self.strict,
            fail_on: None,
            stdin_filename: "-".to_string(),
            color: ColorChoice::Never,
            max_file_size: self.max_file_size,
            threads: None,
            ci: CiArgs {
                config: self.config.clone(),
                select: self.select.clone(),
                ignore: self.ignore.clone(),
                include: vec![],
                exclude: vec![],
                exit_zero: false,
                statistics: false,
                quiet: false,
                baseline: None,
                write_baseline: None,
                force: false,
            },
        }
    }
}

pub(super) fn serve(
    args: ServeArgs,
    recognizer: &Recognizer,
    io: &mut Io,
    lang: Lang,
) -> Result<ExitStatus, Vec<Failure>> {
    let settings = settings::resolve(args.check_args(), recognizer, false, lang)?;
    super::diagnostics::print(
        settings
            .warnings
            .iter()
            .map(|w| w as &dyn miette::Diagnostic),
        io.err,
    );
    if !args.host.is_loopback() {
        let _ = writeln!(
            io.err,
            "statlint: warning: listening on {}: other machines can send texts to this server \
             (警告：其他计算机也可以访问此服务)",
            args.host
        );
    }
    let workers = args.workers.map_or_else(
        || std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
        usize::from,
    );
    let options = serve::Options {
        addr: SocketAddr::new(args.host, args.port),
        workers,
        max_body: args.max_file_size,
    };
    let check = |document| check_document(document, &settings, recognizer);
    let explain = |error: &LoadError| {
        // The same Chinese message `check --lang zh` prints, help included.
        match super::chinese_load(error) {
            (message, Some(help)) => format!("{message}（{help}）"),
            (message, None) => message,
        }
    };
    let summary = |id: &str| {
        settings
            .rule_infos
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.summary.clone())
    };
    let engine = serve::Engine {
        check: &check,
        explain: &explain,
        summary: &summary,
    };
    let err = &mut *io.err;
    serve::run(options, &engine, |addr| {
        let url = format!("http://{addr}/");
        let _ = writeln!(
            err,
            "statlint: serving on {url} (LanguageTool API: {url}v2/); stop with Ctrl+C\n\
             statlint：页面地址 {url}，按 Ctrl+C 停止"
        );
        let _ = err.flush();
        if args.open {
            open_browser(&url, err);
        }
    })
    .map_err(|e| vec![Failure::Serve(e)])?;
    Ok(ExitStatus::Clean)
}

/// Open `url` in the default browser; a failure is a note, the server goes on.
fn open_browser(url: &str, err: &mut dyn Write) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        let _ = writeln!(
            err,
            "statlint: cannot open a browser ({e}); open {url} yourself (请手动在浏览器中打开 {url})"
        );
    }
}
