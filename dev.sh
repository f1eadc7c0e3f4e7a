#!/usr/bin/env bash
# Qoltanba's one entry point for people and CI.
#   ./dev.sh test     install what a fresh Debian/Ubuntu machine lacks, then run every check and test
#   ./dev.sh run ...  install, build and run the program (without arguments: the demo window)
#   ./dev.sh bench-app  the window's benchmark (start, PDF, scroll, memory; long)
#   ./dev.sh screenshots  the end-to-end tests of the window, saving docs/screenshots/*.png
#   ./dev.sh bench    the benchmarks (long; not part of the test run)
#   ./dev.sh benchmarks [NAME...]  every benchmark (or the named ones), then docs/BENCHMARKS.md
#   ./dev.sh crash    the full crash-safety run: 200 kill -9 per scenario (QOLTANBA_CRASH_KILLS)
#   ./dev.sh fuzz     every cargo-fuzz target for FUZZ_SECONDS (600) each, then minimises the corpora
#   ./dev.sh check-windows  every crate and test type-checked and linted for Windows (MinGW target)
#   ./dev.sh check-macos    the same for macOS, the C parts stubbed (no Apple SDK here)
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  while read -r p; do
    [ -z "$p" ] || [[ "$p" == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done < .ci/packages.txt
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  if ! command -v cargo >/dev/null; then
    echo "Rust is not installed: see https://rustup.rs (rustup installs cargo)" >&2
    exit 1
  fi
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  # The end-to-end tests drive the real window through tauri-driver (in front of WebKitWebDriver).
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    cargo install tauri-driver --locked --version 2.1.0
  fi
}

# Builds the web UI into ui/dist, which the desktop build embeds (tauri's generate_context! reads
# it at compile time). Until ui/ has a package.json, a placeholder page stands in so that cargo
# still builds the window.
build_ui() {
  if [ -f ui/package.json ]; then
    (cd ui && npm ci --no-audit --no-fund && npm run build)
  elif [ ! -f ui/dist/index.html ]; then
    mkdir -p ui/dist
    printf '%s\n' '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Qoltanba</title></head><body><p>Qoltanba: интерфейс ещё не собран (ui/).</p></body></html>' > ui/dist/index.html
  fi
}

# Runs a command inside a D-Bus session with an unlocked gnome-keyring, so the OS keychain the
# program uses is the real one.
with_keychain() {
  # A keyring folder of its own: a login keyring left by an earlier run (or the user's own) may
  # not open with this password and would leave the keychain locked.
  local keyrings
  keyrings=$(mktemp -d)
  XDG_DATA_HOME="$keyrings" dbus-run-session -- bash -c 'echo -n qoltanba-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "$@"' _ "$@"
  local rc=$?
  rm -rf "$keyrings"
  return $rc
}

# Every benchmark builds with the same flags: the whole workspace (features unify as in CI) and
# the test GOST signer the verify benchmark needs, one target named by --bench. `-p` would
# resolve features for one package and rebuild third-party crates for it (minutes each time);
# with these flags every benchmark shares one release build of them.
bench_cargo() {
  cargo bench --workspace --locked --features qoltanba-core/test-gost-signer "$@"
}

# Type-checks and lints every crate and test for another system (its own folder under target/):
# the cfg(unix) / cfg(target_os = "linux") calls must each have their counterpart there.
check_for() {
  local triple=$1 dir=$2
  shift 2
  rustup target list --installed | grep -qx "$triple" || rustup target add "$triple"
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/$dir" \
    "$@" cargo clippy --workspace --all-targets --locked --target "$triple" -- -D warnings
}

case "${1:-test}" in
  setup)
    install_packages
    ;;
  test)
    # Incremental caches are gigabytes that a one-off build on a fresh machine never reuses.
    export CARGO_INCREMENTAL=0
    install_packages
    build_ui
    (cd ui && npm run check && npm test)
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --locked -- -D warnings
    cargo build --workspace --all-targets --locked
    QOLTANBA_EXPECT_OS_KEYCHAIN=1 with_keychain cargo test --workspace --locked
    ;;
  check-windows)
    # MinGW compiles the C parts (SQLite, aws-lc) for Windows, as a real build would.
    if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64
    fi
    check_for x86_64-pc-windows-gnu windows-check env
    ;;
  check-macos)
    # Apple's SDK is not here: .ci/stub-cc stands in for the C compiler (see there); the Rust
    # code, the macOS-only lines included, is checked in full.
    check_for x86_64-apple-darwin macos-check \
      env CC_x86_64_apple_darwin="$PWD/.ci/stub-cc" CXX_x86_64_apple_darwin="$PWD/.ci/stub-cc"
    ;;
  run)
    shift
    install_packages
    build_ui
    cargo build --release --locked -p qoltanba -p qoltanba-signer -p qoltanba-operator --bins
    if [ $# -eq 0 ]; then
      # The demo: the window with a test operator and a test signing service, nothing to set up.
      ./target/release/qoltanba demo
    else
      ./target/release/qoltanba "$@"
    fi
    ;;
  bench-app)
    # The window's start, PDF, scroll and memory with 100,000 documents, under Xvfb.
    install_packages
    build_ui
    bench_cargo --bench app
    ;;
  screenshots)
    # Runs the end-to-end tests of the window and keeps their screenshots in docs/screenshots.
    install_packages
    build_ui
    QOLTANBA_SCREENSHOTS="$PWD/docs/screenshots" with_keychain cargo test --workspace --locked --test e2e
    ;;
  crash)
    install_packages
    build_ui
    QOLTANBA_CRASH_KILLS="${QOLTANBA_CRASH_KILLS:-200}" with_keychain \
      cargo test --workspace --test crash --locked -- --nocapture
    ;;
  fuzz)
    # Nightly and cargo-fuzz only here: the test run replays fuzz/corpus on stable
    # (src-tauri/core/tests/fuzz_corpus.rs).
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
    (
      cd fuzz
      for t in $(cargo +nightly fuzz list); do
        # New inputs go to corpus/ (minimised after); seeds/ holds hand-made inputs and crashes.
        mkdir -p "corpus/$t"
        nice -n 19 cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
          -max_total_time="${FUZZ_SECONDS:-600}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        nice -n 19 cargo +nightly fuzz cmin "$t" "corpus/$t"
      done
    )
    ;;
  benchmarks)
    # One run of every figure the issues ask for, each beside its floor, into docs/BENCHMARKS.md.
    # Names: store-1000 store-10000 store-100000 signing signer-ws verify sync-10000
    # sync-growth-1000 sync-growth-10000 sync-growth-100000 app. Outputs stay in bench-out/.
    shift
    install_packages
    build_ui
    out=bench-out
    mkdir -p "$out"
    all="store-1000 store-10000 store-100000 signing signer-ws verify sync-10000 sync-growth-1000 sync-growth-10000 sync-growth-100000 app"
    names="${*:-$all}"
    bench_one() {
      local name=$1
      echo "== $name ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
      case "$name" in
        store-*) QOLTANBA_BENCH_DOCS=${name#store-} bench_cargo --bench store ;;
        signing) bench_cargo --bench signing ;;
        signer-ws) bench_cargo --bench ws_throughput ;;
        verify) bench_cargo --bench verify ;;
        sync-growth-*) QOLTANBA_BENCH_DOCS=${name#sync-growth-} QOLTANBA_BENCH_KB=4 QOLTANBA_BENCH_QUICK=1 \
            bench_cargo --bench operator_sync ;;
        sync-*) QOLTANBA_BENCH_DOCS=${name#sync-} bench_cargo --bench operator_sync ;;
        app) bench_cargo --bench app ;;
        *) echo "unknown benchmark $name (one of: $all)" >&2; return 2 ;;
      esac
    }
    {
      echo "command:  ./dev.sh benchmarks${*:+ $*}"
      echo "date:     $(date -u +%Y-%m-%dT%H:%MZ)"
      echo "commit:   $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
      echo "cpu:      $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
      echo "memory:   $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
      echo "system:   $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
      echo "rustc:    $(rustc --version)"
      echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    } > "$out/machine.new"
    failed=""
    for name in $names; do
      bench_one "$name" 2>&1 | tee "$out/$name.txt" || failed="$failed $name"
    done
    # A partial rerun keeps the machine facts of the first run, noting the rerun.
    if [ $# -gt 0 ] && [ -f "$out/machine.txt" ]; then
      echo "rerun:    $* at $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
      rm "$out/machine.new"
    else
      mv "$out/machine.new" "$out/machine.txt"
      echo "ended:    $(date -u +%Y-%m-%dT%H:%MZ)" >> "$out/machine.txt"
      echo "load at end:   $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
    fi
    python3 benches/report.py "$out" > docs/BENCHMARKS.md
    echo "wrote docs/BENCHMARKS.md"
    if [ -n "$failed" ]; then
      echo "these benchmarks failed (their figures are missing):$failed" >&2
      exit 1
    fi
    ;;
  bench)
    install_packages
    bench_cargo --bench store --bench signing --bench operator_sync
    ;;
  *)
    echo "usage: ./dev.sh [setup|test|run ARGS...|screenshots|bench|bench-app|benchmarks [NAME...]|crash|fuzz]" >&2
    exit 2
    ;;
esac
