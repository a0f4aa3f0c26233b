//! statlint: checks that the figures of a Chinese public-safety bulletin agree with each other.
//!
//! The pipeline, one module per stage:
//! [`load`] (bytes → text) → [`segment`] (title, paragraphs, sentences) → [`view`] (normalized
//! text with an offset map) → [`recognize`] (figures as intervals) → [`rules`] (rule files
//! compiled) → [`evaluate`] (facts, three-valued relations, findings) → [`report`] (printers).
//! [`cli`] is the command line over them; `main.rs` only calls it.

pub mod annotate;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod evaluate;
pub mod finding;
pub mod fingerprint;
pub mod interval;
pub mod load;
pub mod recognize;
pub mod report;
pub mod rules;
pub mod segment;
pub mod serve;
pub mod source;
pub mod span;
pub mod statements;
pub mod suppress;
pub mod view;
pub mod walk;
