//! The `statlint` binary: parse arguments, run, print failures, exit with the run's status.

use clap::Parser;
use statlint::cli::{self, Args, ExitStatus, Io};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Args::parse();
    let lang = args.language();
    let stdout = std::io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    // Buffered: `cli::run` flushes and reports a failed flush (e.g. a full disk).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut io = Io {
        stdout_is_terminal,
        out: &mut out,
        err: &mut std::io::stderr(),
        stdin: &mut std::io::stdin(),
    };
    let status = match cli::run(args, &mut io) {
        Ok(status) => status,
        Err(failures) => {
            for failure in failures {
                if cli::is_broken_pipe(&failure) {
                    return ExitCode::SUCCESS;
                }
                eprintln!("{}", cli::render_failure(failure, lang));
            }
            ExitStatus::Failure
        }
    };
    ExitCode::from(status as u8)
}
