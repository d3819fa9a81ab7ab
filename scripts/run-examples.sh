#!/usr/bin/env bash
# Run every example once (release builds), printing each one's output under its name, and
# stop at the first that fails. `just examples` runs this, and so does CI, so an example that
# no longer runs, or no longer finishes, is caught like a failing test.
#
# Usage: scripts/run-examples.sh [NAME...]   (default: every example; NAME filters by name)
set -euo pipefail
cd "$(dirname "$0")/.."

wanted=("$@")
picked() { # name
    [ ${#wanted[@]} -eq 0 ] && return 0
    for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
    return 1
}
run() { # name cargo-args...
    local name=$1
    shift
    echo "== $name"
    local start=$SECONDS
    cargo run --release --quiet "$@"
    echo "-- $name: ok in $((SECONDS - start)) s"
    echo
}

count=0
for f in examples/*.rs; do
    name=$(basename "$f" .rs)
    picked "$name" || continue
    run "$name" --example "$name"
    count=$((count + 1))
done
for dir in crates/*/examples; do
    crate=$(basename "$(dirname "$dir")")
    for f in "$dir"/*.rs; do
        name=$(basename "$f" .rs)
        picked "$name" || continue
        if [ "$name" = compare_strategies ]; then
            # It needs a directory of HTML: one corner of the docs rustup installs.
            docs="$(rustc --print sysroot)/share/doc/rust/html/std/collections"
            if [ ! -d "$docs" ]; then
                echo "== $crate/$name: skipped, no Rust docs at $docs (rustup component add rust-docs)"
                continue
            fi
            run "$crate/$name" -p "shootout-$crate" --example "$name" -- "$docs"
        else
            run "$crate/$name" -p "shootout-$crate" --example "$name"
        fi
        count=$((count + 1))
    done
done
echo "examples: $count ran, all ok"
