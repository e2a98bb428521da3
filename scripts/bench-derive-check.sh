#!/usr/bin/env bash
# What the catalog checks of #[derive(Event)] cost in `cargo check`, and what the macro's
# catalog cache saves.
#
#   scripts/bench-derive-check.sh                     # 9 rounds, both modes
#   ROUNDS=15 MODES=full scripts/bench-derive-check.sh
#
# Three scratch crates, written by `cargo run -p novel-events-codegen --example derive_crate`
# into target/bench-derive-check/ (each its own [workspace], depending on novel-events by path
# with the `novel-engine` feature), hold the same 104 #[derive(Event)] structs: the 26 Novel
# Engine events, in 4 modules (two with the catalog's generated enums and nested structs, two
# with #[derive(EventEnum)] enums and HoldsObject structs of their own):
#   plain     no catalog: `aggregate = "..."` and #[event(aggregate_id)] (the baseline)
#   checked   `catalog = "catalog/novel-engine.yaml"` (a copy of catalog/novel-engine.yaml)
#   uncached  the same checks, but each struct names the catalog by a path of its own
#             (`catalog/s17/../novel-engine.yaml`): the cache, keyed on the path, misses, so
#             every derive re-reads and re-parses the file, as it would without the cache.
# Modes, each with its own target directory (dependencies built once, in the warm-up):
#   incremental  cargo's default for `cargo check` (the edit loop)
#   full         CARGO_INCREMENTAL=0: the crate is checked from scratch (first build, CI)
# Each timed run touches the crate's src/lib.rs and runs `cargo check --offline`, so only the
# scratch crate is re-checked (proc macros always run again). Rounds interleave the crates and
# rotate their order, so that a change in machine load hits every crate alike. Each run records
# its wall time and its CPU time (user + system of cargo and rustc): on a machine shared with
# other builds the CPU time is the steadier figure. Reports medians and minimums per crate,
# checked / plain (target: under 1.20) and uncached - checked, in CPU and in wall time.
# Then times the derive itself in process (`derive_crate time`): load_catalog once, the 104
# expansions with and without the cache, and what they emit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-9}
modes=${MODES:-"incremental full"}
time_rounds=${TIME_ROUNDS:-15}
variants="plain checked uncached"
scratch="$root/target/bench-derive-check"

rustc_count() { pgrep -xc rustc || true; }
echo "bench-derive-check: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(rustc --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); rustc processes running: $(rustc_count)"

# --- write the scratch crates ------------------------------------------------------------------
(cd "$root" && env -u CARGO_TARGET_DIR cargo build --quiet --offline -p novel-events-codegen --example derive_crate)
example="$root/target/debug/examples/derive_crate"
for v in $variants; do
    "$example" write "$scratch/$v" "$v" "$root/novel-events" "$root/novel-events/catalog/novel-engine.yaml"
    cp "$root/Cargo.lock" "$scratch/$v/Cargo.lock"
done

check() { # mode variant
    local target="$scratch/target-$1"
    if [ "$1" = full ]; then
        CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" \
            cargo check --quiet --offline --manifest-path "$scratch/$2/Cargo.toml"
    else
        env -u CARGO_INCREMENTAL CARGO_TARGET_DIR="$target" \
            cargo check --quiet --offline --manifest-path "$scratch/$2/Cargo.toml"
    fi
}

# --- warm-up: build the dependencies, check every crate once ------------------------------------
for mode in $modes; do
    for v in $variants; do
        check "$mode" "$v"
    done
done

# --- timed rounds --------------------------------------------------------------------------------
declare -A wall cpu
others=""
TIMEFORMAT='%3R %3U %3S'
order=($variants)
for ((round = 0; round < rounds; round++)); do
    for mode in $modes; do
        for ((i = 0; i < ${#order[@]}; i++)); do
            v=${order[$(((i + round) % ${#order[@]}))]}
            touch "$scratch/$v/src/lib.rs"
            others="$others $(rustc_count)"
            # bash's `time`: wall time, and the CPU time (user + system) of cargo and the
            # rustc it waits for, which concurrent builds on the machine disturb far less.
            { time check "$mode" "$v" 2>"$scratch/check.err"; } 2>"$scratch/time.out" ||
                { cat "$scratch/check.err" "$scratch/time.out" >&2; exit 1; }
            read -r real user sys <"$scratch/time.out"
            wall[$mode.$v]="${wall[$mode.$v]:-} $(awk -v r="$real" 'BEGIN {printf "%d", r * 1000}')"
            cpu[$mode.$v]="${cpu[$mode.$v]:-} $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%d", (u + s) * 1000}')"
        done
    done
done
echo "load average at end:   $(cut -d' ' -f1-3 /proc/loadavg)"
echo "other rustc processes running when a timed check started: mean $(echo "$others" |
    tr ' ' '\n' | grep . | awk '{s += $1} END {printf "%.1f", s / NR}'), max $(echo "$others" |
    tr ' ' '\n' | grep . | sort -n | tail -1)"

# --- report ------------------------------------------------------------------------------------
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minimum() { tr ' ' '\n' | grep . | sort -n | head -1; }
# The median over rounds of the ratio of two paired sample lists.
paired_ratio() {
    paste <(echo "$1" | tr ' ' '\n' | grep .) <(echo "$2" | tr ' ' '\n' | grep .) |
        awk '{print $1 / $2}' | sort -g | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
for mode in $modes; do
    echo
    echo "$mode: cargo check of the crate, $rounds rounds (ms; cpu = user + system)"
    printf '  %-10s %12s %9s %11s %8s\n' crate "wall median" "wall min" "cpu median" "cpu min"
    for v in $variants; do
        printf '  %-10s %12s %9s %11s %8s\n' "$v" \
            "$(echo "${wall[$mode.$v]}" | median)" "$(echo "${wall[$mode.$v]}" | minimum)" \
            "$(echo "${cpu[$mode.$v]}" | median)" "$(echo "${cpu[$mode.$v]}" | minimum)"
    done
    for kind in cpu wall; do
        declare -n tm=$kind
        plain_med=$(echo "${tm[$mode.plain]}" | median)
        checked_med=$(echo "${tm[$mode.checked]}" | median)
        uncached_med=$(echo "${tm[$mode.uncached]}" | median)
        ratio=$(awk -v a="$checked_med" -v b="$plain_med" 'BEGIN {printf "%.3f", a / b}')
        paired=$(paired_ratio "${tm[$mode.checked]}" "${tm[$mode.plain]}")
        verdict=$(awk -v r="$ratio" 'BEGIN {print (r < 1.20) ? "met" : "NOT met"}')
        echo "  $kind: checked / plain = $ratio (medians), $paired (median of paired rounds):" \
            "the checks add $((checked_med - plain_med)) ms," \
            "$(awk -v r="$ratio" 'BEGIN {printf "%+.1f", (r - 1) * 100}')%, target (< 20%) $verdict;" \
            "uncached - checked = $((uncached_med - checked_med)) ms"
        unset -n tm
    done
    echo "  samples, wall / cpu:"
    for v in $variants; do
        echo "    $v:${wall[$mode.$v]}"
        echo "    $v:${cpu[$mode.$v]}"
    done
done

# --- the derive in process ---------------------------------------------------------------------
echo
"$example" time "$root/novel-events/catalog/novel-engine.yaml" "$time_rounds"
