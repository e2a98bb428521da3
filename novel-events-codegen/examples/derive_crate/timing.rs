//! `time`: the derive's own work, timed in this process.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use novel_events_codegen::CatalogError;
use novel_events_codegen::derive::LoadedCatalog;
use proc_macro2::{TokenStream, TokenTree};

use crate::crate_text::{Variant, structs};
use crate::events::EVENTS;
use crate::own::MODULES;

/// Times a piece of work by the CPU time of this thread (Linux's
/// `/proc/thread-self/schedstat`), which other processes competing for the cores disturb far
/// less than the wall time; by the wall time where that file is missing.
pub(crate) struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn cpu_time() -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        stat.split_whitespace()
            .next()?
            .parse()
            .ok()
            .map(Duration::from_nanos)
    }

    fn start() -> Self {
        Self {
            cpu: Self::cpu_time(),
            wall: Instant::now(),
        }
    }

    fn elapsed(&self) -> Duration {
        match (self.cpu, Self::cpu_time()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => self.wall.elapsed(),
        }
    }
}

pub(crate) fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub(crate) fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

/// Every token of a stream, inside groups too (a group counts as its two delimiters).
pub(crate) fn count_tokens(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => 2 + count_tokens(group.stream()),
            _ => 1,
        })
        .sum()
}

/// How many times `ident` occurs as an identifier in `tokens`.
pub(crate) fn count_ident(tokens: &TokenStream, ident: &str) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => count_ident(&group.stream(), ident),
            TokenTree::Ident(found) if found == ident => 1,
            _ => 0,
        })
        .sum()
}

pub(crate) fn time(catalog_path: &Path, rounds: usize) {
    let display = "catalog/novel-engine.yaml";
    let load = || {
        novel_events_codegen::load_catalog(catalog_path, display).unwrap_or_else(|diagnostics| {
            for diagnostic in diagnostics {
                eprintln!("error: {diagnostic}");
            }
            std::process::exit(1);
        })
    };
    let loaded = |catalog| {
        Arc::new(LoadedCatalog {
            catalog,
            path: catalog_path.to_path_buf(),
        })
    };
    let parse = |variant| -> Vec<syn::DeriveInput> {
        structs(variant)
            .into_iter()
            .map(|(_, text)| syn::parse_str(&text).expect("the struct parses"))
            .collect()
    };
    let (checked, plain) = (parse(Variant::Checked), parse(Variant::Plain));
    let n = checked.len();

    let once = loaded(load());
    let cache_hit = |_: &syn::LitStr| Ok(Arc::clone(&once));
    let cache_miss = |_: &syn::LitStr| Ok(loaded(load()));
    let no_catalog = |_: &syn::LitStr| -> Result<Arc<LoadedCatalog>, CatalogError> {
        unreachable!("no struct names a catalog")
    };
    let expand_all = |inputs: &[syn::DeriveInput],
                      loader: novel_events_codegen::derive::CatalogLoader<'_>|
     -> usize {
        inputs
            .iter()
            .map(|input| {
                let tokens = novel_events_codegen::derive::event(
                    input,
                    loader,
                    &novel_events_codegen::Options::default(),
                );
                assert_eq!(
                    count_ident(&tokens, "compile_error"),
                    0,
                    "{}: {tokens}",
                    input.ident
                );
                count_tokens(tokens)
            })
            .sum()
    };

    let (mut parse_times, mut cached_times, mut reparse_times, mut plain_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Clock::start();
        std::hint::black_box(load());
        parse_times.push(start.elapsed());

        let start = Clock::start();
        std::hint::black_box(expand_all(&checked, &cache_hit));
        cached_times.push(start.elapsed());

        let start = Clock::start();
        std::hint::black_box(expand_all(&checked, &cache_miss));
        reparse_times.push(start.elapsed());

        let start = Clock::start();
        std::hint::black_box(expand_all(&plain, &no_catalog));
        plain_times.push(start.elapsed());
    }
    let (parse_once, cached, reparse, plain_time) = (
        median(parse_times),
        median(cached_times),
        median(reparse_times),
        median(plain_times),
    );
    println!(
        "in-process expansion of {n} structs, median of {rounds} rounds, {} ({} build):",
        if Clock::cpu_time().is_some() {
            "CPU time of the thread"
        } else {
            "wall time"
        },
        if cfg!(debug_assertions) {
            "unoptimized"
        } else {
            "optimized"
        }
    );
    println!(
        "  load_catalog (read, parse, validate) once:     {:>9} ms   x{n} = {} ms",
        ms(parse_once),
        ms(parse_once * n as u32)
    );
    println!(
        "  {n} expansions, catalog loaded once (cache):   {:>9} ms  (plus one load: {} ms)",
        ms(cached),
        ms(cached + parse_once)
    );
    println!(
        "  {n} expansions, catalog loaded for each:       {:>9} ms",
        ms(reparse)
    );
    println!(
        "  {n} expansions without a catalog:              {:>9} ms",
        ms(plain_time)
    );
    println!(
        "  the cache saves {} ms of {} ms ({:.1}x faster)",
        ms(reparse.saturating_sub(cached + parse_once)),
        ms(reparse),
        reparse.as_secs_f64() / (cached + parse_once).as_secs_f64()
    );

    // What the expansions emit.
    let emitted = |inputs: &[syn::DeriveInput],
                   loader: novel_events_codegen::derive::CatalogLoader<'_>| {
        let mut tokens = TokenStream::new();
        for input in inputs {
            tokens.extend(novel_events_codegen::derive::event(
                input,
                loader,
                &novel_events_codegen::Options::default(),
            ));
        }
        tokens
    };
    let with = emitted(&checked, &cache_hit);
    let without = emitted(&plain, &no_catalog);
    let fields: usize = EVENTS.iter().map(|event| event.fields.len()).sum::<usize>() * MODULES;
    println!("emitted by the {n} expansions ({fields} fields):");
    for (label, tokens) in [("with the catalog", &with), ("without a catalog", &without)] {
        let text = tokens.to_string();
        let assertions: usize = [
            "uuid", "string", "integer", "number", "boolean", "datetime", "object", "array",
        ]
        .iter()
        .map(|function| text.matches(&format!("holds :: {function} ::")).count())
        .sum();
        println!(
            "  {label:<18} {:>7} tokens, {:>4} `impl`, {:>4} holds:: trait assertions, {:>4} enum value checks, {:>4} bound checks, {:>4} include_str!",
            count_tokens(tokens.clone()),
            count_ident(tokens, "impl"),
            assertions,
            count_ident(tokens, "assert_same_values"),
            count_ident(tokens, "check_bounds"),
            count_ident(tokens, "include_str"),
        );
    }
}
