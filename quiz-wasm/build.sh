#!/usr/bin/env bash
# Builds the quiz engine and writes it to generator/engine/, where the sabaq binary embeds it,
# so people who build sabaq need no WebAssembly toolchain. Run it after changing quiz-wasm/ or
# quiz-core/, and commit the result; CI rebuilds and fails if the committed engine is stale.
#
# Usage: bash quiz-wasm/build.sh [OUT_DIR]   (default: generator/engine)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-generator/engine}
bindgen_version=0.2.130   # must equal the wasm-bindgen crate version in quiz-wasm/Cargo.toml
binaryen_version=132.0.0  # npm's binaryen: a current wasm-opt (Debian's 108 breaks wasm-bindgen output)

rustup target add wasm32v1-none >/dev/null
rustup component add rust-src >/dev/null
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  echo "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)" >&2
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# Its own target folder and path remapping keep the module byte-identical across machines.
export CARGO_TARGET_DIR=target/engine
# sha2's compact software backend: a fraction of the size of its unrolled one.
rustc_prefix=/rustc/$(rustc -vV | sed -n 's/^commit-hash: //p')
export RUSTFLAGS="--remap-path-prefix=$rustc_prefix=/rust --remap-path-prefix=$PWD=/sabaq --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=${RUSTUP_HOME:-$HOME/.rustup}=/rustup --cfg sha2_backend=\"soft\" --cfg sha2_backend_soft=\"compact\""
# Size: the engine rebuilds core and alloc from the pinned toolchain's own source so that a
# panic is a bare trap (the engine's panic handler already traps and prints nothing) and no
# panic message, source location or Debug text is linked in. These are unstable switches of
# the pinned stable compiler, unlocked with RUSTC_BOOTSTRAP for this one build only; they take
# about 5 KB (18%) off the gzipped module. Without them the engine works the same, only larger.
export RUSTC_BOOTSTRAP=1
RUSTFLAGS="$RUSTFLAGS -Zunstable-options -Zlocation-detail=none -Zfmt-debug=none"

tools=target/engine/tools
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$binaryen_version" >&2
fi
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$out"

# How an engine starts, after its glue: at once; or at once keeping the promise of its start in
# GLOBAL_ready (the QR engine, which quiz-wasm/js/sabaq-qr-on-pass.js loads after a pass and
# calls again for later ones).
start_now() {
  printf '%s\n' "$1({module_or_path: document.currentScript.src.replace(/\\.js\$/, \"_bg.wasm\")});"
}
start_keeping_promise() {
  printf 'var %s_ready = ' "$1"
  start_now "$1"
}

# build NAME GLOBAL START CARGO_FEATURE_ARGS...: one engine, as NAME.js and NAME_bg.wasm, whose
# JavaScript glue lives in the global GLOBAL (two engines may share a page) and which starts
# as START (start_now or start_keeping_promise) says.
build() {
  local name=$1 global=$2 start=$3
  shift 3
  CARGO_PROFILE_WASM_PANIC=immediate-abort \
    cargo build --locked --quiet -p sabaq-quiz-wasm --profile wasm --target wasm32v1-none \
    -Zbuild-std=core,alloc -Zpanic-immediate-abort "$@"
  wasm-bindgen --target no-modules --no-modules-global "$global" --no-typescript \
    --out-dir "$staging" --out-name "$name" \
    "$CARGO_TARGET_DIR/wasm32v1-none/wasm/sabaq_quiz_wasm.wasm"
  # Shrink it, allowing WebAssembly 1.0 (MVP) features only, so browsers from 2017 on load it.
  "$tools/node_modules/.bin/wasm-opt" -Oz --converge --mvp-features --strip-debug --strip-producers \
    "$staging/${name}_bg.wasm" -o "$staging/$name.opt.wasm"
  {
    cat "$staging/$name.js"
    # Start the engine from the module beside this script, wherever the site is served from.
    "$start" "$global"
  } > "$out/$name.js"
  cp "$staging/$name.opt.wasm" "$out/${name}_bg.wasm"
  echo "engine $name: $(wc -c < "$out/${name}_bg.wasm") bytes of Wasm, $(wc -c < "$out/$name.js") bytes of JavaScript in $out" >&2
}

# Practice quizzes; the "My progress" page; assessments with the gate and completion codes; the
# QR code on an assessment's pass screen.
build sabaq-quiz wasm_bindgen start_now
build sabaq-progress sabaq_progress start_now --no-default-features --features progress-page
build sabaq-assess sabaq_assess start_now --no-default-features --features assessment
build sabaq-qr sabaq_qr start_keeping_promise --no-default-features --features qr
cp quiz-wasm/js/sabaq-qr-on-pass.js "$out/"
# The starters that load the practice and assessment engines once a quiz nears the screen
# (every page with a quiz loads one: shipped without the source's comment lines).
sed '/^\/\//d' quiz-wasm/js/sabaq-on-view.js > "$out/sabaq-quiz-on-view.js"
sed '/^\/\//d' quiz-wasm/js/sabaq-on-view.js > "$out/sabaq-assess-on-view.js"
