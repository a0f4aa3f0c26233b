//! The `statlint` binary: parse arguments, run, print failures, exit with the run's status.

use statlint::cli::{self, Args, Io};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Args::from_env();
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
        // Never `eprintln!`: it panics when stderr is full or a closed pipe (issue 19).
        Err(failures) => cli::report_failures(failures, lang, &mut std::io::stderr()),
    };
    ExitCode::from(status as u8)
}
