//! Throughput of the recognizer alone and of a full check with the standard pack, on the seed
//! bulletin and on a corpus of bulletins; `cargo bench` reports MB/s.
//!
//! The corpus is every `.txt` file of `$STATLINT_BENCH_CORPUS` when set (build one with
//! `scripts/make-corpus`), else the fixtures repeated to about 2 MB. `check/corpus-parallel`
//! checks its files on all cores through the library, as `statlint check` does.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use statlint::evaluate::{self, Options};
use statlint::recognize::Recognizer;
use statlint::rules::RuleSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("a readable directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

fn read(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| {
            statlint::load::load_path(p)
                .expect("a readable bulletin")
                .text
        })
        .collect()
}

fn corpus() -> Vec<String> {
    let mut paths = Vec::new();
    if let Some(dir) = std::env::var_os("STATLINT_BENCH_CORPUS") {
        text_files(Path::new(&dir), &mut paths);
        paths.sort();
        return read(&paths);
    }
    text_files(&root().join("fixtures"), &mut paths);
    paths.sort();
    let fixtures = read(&paths);
    let mut docs = Vec::new();
    while docs.iter().map(String::len).sum::<usize>() < 2 << 20 {
        docs.extend(fixtures.iter().cloned());
    }
    docs
}

/// Benchmarks `work` over every document, reporting throughput in bytes of text.
fn per_document(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    docs: &[String],
    work: impl Fn(&str),
) {
    group.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
    if docs.len() > 1 {
        group.sample_size(10);
    }
    group.bench_function(name, |b| {
        b.iter(|| {
            for doc in docs {
                work(black_box(doc));
            }
        })
    });
}

fn benches(c: &mut Criterion) {
    let recognizer = Recognizer::standard();
    let rules = RuleSet::standard(recognizer).expect("the standard pack compiles");
    let seed = read(&[root().join("fixtures/xianning-725-campaign.txt")]);
    let corpus = corpus();
    let options = Options::default();

    let mut group = c.benchmark_group("recognize");
    for (name, docs) in [("seed", &seed), ("corpus", &corpus)] {
        per_document(&mut group, name, docs, |doc| {
            black_box(recognizer.recognize(doc));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("check");
    for (name, docs) in [("seed", &seed), ("corpus", &corpus)] {
        per_document(&mut group, name, docs, |doc| {
            black_box(evaluate::check(doc, &rules, recognizer, options));
        });
    }
    group.bench_function("corpus-parallel", |b| {
        b.iter(|| {
            corpus.par_iter().for_each(|doc| {
                black_box(evaluate::check(black_box(doc), &rules, recognizer, options));
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("startup");
    group.sample_size(20);
    group.bench_function("compile-standard-pack", |b| {
        b.iter(|| RuleSet::standard(black_box(recognizer)).expect("compiles"))
    });
    group.finish();
}

criterion_group!(check, benches);
criterion_main!(check);
