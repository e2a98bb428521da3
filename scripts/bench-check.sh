#!/usr/bin/env bash
# Times `cargo check` of a crate that calls `novel_events::include_catalog!` on a synthetic
# catalog of N events (default: 100 and 1000), against a baseline crate that depends on
# novel-events but expands no catalog (N = 0), all measured in the same run.
#
#   scripts/bench-check.sh                 # sizes 0 100 1000, 7 rounds
#   SIZES="0 100 1000 2000" ROUNDS=5 scripts/bench-check.sh
#
# The catalogs come from `cargo run -p novel-events-codegen --example synthetic_catalog -- N`.
# The scratch crates live in target/bench-check/ (their own workspace and target directory,
# so the dependencies are built once, in the warm-up, and not shared with the main build).
# Each timed run touches the crate's src/lib.rs and runs `cargo check --offline`: only the
# scratch crate itself is re-checked (macro expansion, name resolution, type and borrow
# checking of the generated code, metadata). Rounds alternate the sizes, so that a change in
# machine load hits every size alike. Prints the median and minimum per size, the time above
# the baseline (the first size) and the marginal cost per event between sizes; with GNU time
# installed as /usr/bin/time, also the CPU time (user + system, which waiting for a CPU on a
# loaded machine does not inflate) and the peak resident memory of the compiler.
#
# By default a timed run is cargo's incremental re-check of an unchanged crate (what an edit
# elsewhere in the crate costs). INCREMENTAL=0 makes every timed run a full check of the
# crate (CARGO_INCREMENTAL=0), what a change of the catalog costs:
#
#   INCREMENTAL=0 ROUNDS=2 scripts/bench-check.sh
#
# KIND=serde checks instead crates of the same events written by hand with serde derives
# (`synthetic_catalog N --serde`): how much faster than linear `cargo check` grows with plain
# code of that shape, to compare the generated code's growth with. Their scratch crates are
# target/bench-check/serde<N>.
#
#   KIND=serde INCREMENTAL=0 ROUNDS=2 scripts/bench-check.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sizes=${SIZES:-"0 100 1000"}
rounds=${ROUNDS:-7}
scratch="$root/target/bench-check"
export CARGO_TARGET_DIR="$scratch/target"
kind=${KIND:-catalog}
case "$kind" in
    catalog) prefix=n ;;
    serde) prefix=serde ;;
    *) echo "KIND must be catalog or serde, not $kind" >&2; exit 2 ;;
esac

if [ "${INCREMENTAL:-1}" = 0 ]; then
    export CARGO_INCREMENTAL=0
    mode="full checks (CARGO_INCREMENTAL=0)"
else
    mode="incremental re-checks"
fi
echo "bench-check: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(rustc --version), $mode, $kind crates"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$scratch"

# --- write the scratch crates ------------------------------------------------------------------
for n in $sizes; do
    dir="$scratch/$prefix$n"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<EOF
[package]
name = "bench-check-$prefix$n"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
novel-events = { path = "$root/novel-events", default-features = false }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
uuid = { version = "1", features = ["serde"] }
chrono = { version = "0.4", default-features = false, features = ["serde"] }

[workspace]
EOF
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    if [ "$n" -eq 0 ]; then
        cat > "$dir/src/lib.rs" <<'EOF'
//! Baseline: depends on novel-events, expands no catalog.
pub use novel_events::Envelope;
EOF
    elif [ "$kind" = serde ]; then
        (cd "$root" && cargo run --quiet --offline -p novel-events-codegen \
            --example synthetic_catalog -- "$n" --serde) > "$dir/src/lib.rs"
    else
        (cd "$root" && cargo run --quiet --offline -p novel-events-codegen \
            --example synthetic_catalog -- "$n") > "$dir/catalog.yaml"
        cat > "$dir/src/lib.rs" <<'EOF'
//! A synthetic catalog, expanded by include_catalog!.
pub mod events {
    novel_events::include_catalog!("catalog.yaml");
}
EOF
    fi
done

# --- warm-up: build the dependencies, check every crate once ------------------------------------
for n in $sizes; do
    cargo check --quiet --offline --manifest-path "$scratch/$prefix$n/Cargo.toml"
done

# --- timed rounds --------------------------------------------------------------------------------
declare -A samples
declare -A cpu
declare -A peak
usage="$scratch/usage"
for ((round = 0; round < rounds; round++)); do
    for n in $sizes; do
        touch "$scratch/$prefix$n/src/lib.rs"
        start=$(date +%s%N)
        if [ -x /usr/bin/time ]; then
            # %M: the largest resident set of cargo and the processes it waited for (rustc);
            # %U + %S: their CPU time.
            /usr/bin/time -f '%M %U %S' -o "$usage" \
                cargo check --quiet --offline --manifest-path "$scratch/$prefix$n/Cargo.toml"
        else
            cargo check --quiet --offline --manifest-path "$scratch/$prefix$n/Cargo.toml"
        fi
        end=$(date +%s%N)
        samples[$n]="${samples[$n]:-} $(((end - start) / 1000000))"
        if [ -s "$usage" ]; then
            read -r kb user system < <(tail -1 "$usage")
            [ "${peak[$n]:-0}" -lt "$kb" ] && peak[$n]=$kb
            cpu[$n]="${cpu[$n]:-} $(awk -v u="$user" -v s="$system" 'BEGIN {printf "%d", (u + s) * 1000}')"
        fi
    done
done
echo "load average at end:   $(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ------------------------------------------------------------------------------------
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minimum() { tr ' ' '\n' | grep . | sort -n | head -1; }
base=""
prev_n=""
prev_t=""
echo
printf '%8s %12s %10s %14s %16s %13s %13s\n' events "median ms" "min ms" "above base ms" "above/event ms" "CPU ms (med)" "peak RSS MB"
for n in $sizes; do
    med=$(echo "${samples[$n]}" | median)
    min=$(echo "${samples[$n]}" | minimum)
    [ -z "$base" ] && base=$med
    above=$((med - base))
    if [ "$n" -gt 0 ]; then
        per=$(awk -v a="$above" -v n="$n" 'BEGIN {printf "%.2f", a / n}')
    else
        per="-"
    fi
    rss="-"
    [ -n "${peak[$n]:-}" ] && rss=$((peak[$n] / 1024))
    cpu_med="-"
    [ -n "${cpu[$n]:-}" ] && cpu_med=$(echo "${cpu[$n]}" | median)
    printf '%8s %12s %10s %14s %16s %13s %13s\n' "$n" "$med" "$min" "$above" "$per" "$cpu_med" "$rss"
    if [ -n "$prev_n" ] && [ "$prev_n" -gt 0 ]; then
        marginal=$(awk -v a="$med" -v b="$prev_t" -v n="$n" -v m="$prev_n" \
            'BEGIN {printf "%.2f", (a - b) / (n - m)}')
        echo "         marginal cost from $prev_n to $n events: $marginal ms/event"
    fi
    prev_n=$n
    prev_t=$med
done
echo
echo "samples, wall-clock ms:"
for n in $sizes; do
    echo "  $n:${samples[$n]}"
done
if [ -n "${cpu[*]:-}" ]; then
    echo "samples, CPU ms:"
    for n in $sizes; do
        echo "  $n:${cpu[$n]:-}"
    done
fi
