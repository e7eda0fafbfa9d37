#!/usr/bin/env bash
# Runs every fuzz target (or those named) for a while each, one after the other, at the
# lowest CPU priority, with a corpus seeded from the repository's real files.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 600 s, every target)
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Set
# LABBOOK_RUNNER_WASM to a built runtime to skip building it (see ARCHITECTURE.md). Each
# run's log is fuzz/logs/TARGET.log; its last lines give the executions
# (stat::number_of_executed_units). A crash or a hang (an input taking over 10 s) stops that
# target and leaves the input in fuzz/artifacts/TARGET/.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(book_yaml front_matter summary exercise_yaml model_card safetensors_header python_source book_toml)
fi

# Seeds: the real files each parser reads.
seed() {
  local target="$1"
  shift
  mkdir -p "corpus/$target"
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "corpus/$target/seed-$(printf '%s' "$file" | sha1sum | cut -c1-12)"
  done
}
shopt -s nullglob globstar
seed book_yaml ../book.yaml ../tests/fixtures/*/book.yaml
seed book_toml ../tests/fixtures/**/book.toml
seed front_matter ../content/**/*.md ../tests/fixtures/fail-front-matter/content/*.md
seed summary ../tests/fixtures/**/SUMMARY.md
seed exercise_yaml ../exercises/*/exercise.yaml ../tests/fixtures/*/exercises/*/exercise.yaml
seed model_card ../content/models/*/README.md ../tests/fixtures/hub-cards/content/models/*/README.md
seed safetensors_header ../content/models/*/*.safetensors ../tests/fixtures/**/*.safetensors
seed python_source ../tests/fixtures/apidoc/src/**/*.py ../crates/labbook-models/src/widget/*.py ../runner/**/*.py

mkdir -p logs
for target in "${targets[@]}"; do
  echo "== $target: $seconds s"
  nice -n 19 cargo +nightly fuzz run -s none "$target" -- \
    -max_total_time="$seconds" -timeout=10 -max_len=65536 -print_final_stats=1 \
    >"logs/$target.log" 2>&1
  echo "   exit $?: $(grep -E 'stat::number_of_executed_units' "logs/$target.log" | tail -1)"
done
