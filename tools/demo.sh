#!/usr/bin/env bash
# Sets up and builds act (tools/setup.sh), then shows what the act dialect
# does on a shipped example.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ACT_BUILD_DIR:-$root/build}
"$root/tools/setup.sh"
opt=$build/bin/act-opt
example=$root/tools/demo/activations.mlir

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "The example: a small MLP layer's activations in the act dialect"
echo "\$ cat tools/demo/activations.mlir"
cat "$example"

section "Parsed, verified and printed back (defaults are PyTorch's, and elided)"
echo "\$ act-opt tools/demo/activations.mlir"
"$opt" "$example"

section "The generic form spells every parameter out"
echo "\$ act-opt tools/demo/activations.mlir --mlir-print-op-generic"
"$opt" "$example" --mlir-print-op-generic | grep 'act\.'

section "Canonicalization: identities fold away, constants fold through the reference math"
echo "\$ act-opt tools/demo/activations.mlir --canonicalize"
"$opt" "$example" --canonicalize

section "Compiled for this CPU and run: the FFN activations on random input, checked against the reference"
echo "\$ act-run tools/demo/activations.mlir --function=ffn_activations --input=8x64xf32=random:1 --verify"
"$build/bin/act-run" "$example" --function=ffn_activations --input=8x64xf32=random:1 --verify | tail -n 1
# Tiny softmax outputs inherit the rounding of x - max (about |x - max|
# * 2^-24 relative), as in any f32 softmax: hence a 16 ulp bound.
echo "\$ act-run tools/demo/activations.mlir --function=attention_scores --input=4x16x16xf32=random:2 --verify"
"$build/bin/act-run" "$example" --function=attention_scores --input=4x16x16xf32=random:2 --verify | tail -n 1

section "A dense layer (matmul + bias + gelu in one kernel): checked at a dot product's error bound, and timed"
args="--function=dense_gelu --input=64x256xf32=random:3 --input=256x256xf32=random:4 --input=256xf32=random:5"
echo "\$ act-run tools/demo/activations.mlir $args --verify"
"$build/bin/act-run" "$example" $args --verify | tail -n 1
echo "\$ act-run tools/demo/activations.mlir $args --benchmark"
"$build/bin/act-run" "$example" $args --benchmark | grep -E 'compile|median|GFLOP'

section "A PyTorch model: imported (torch-mlir), compiled, checked against PyTorch, timed against PyTorch eager"
echo "\$ cat examples/models/mlp.py"
sed -n '/^import torch/,$p' "$root/examples/models/mlp.py"
models=$build/models
echo "\$ act-import examples/models/mlp.py -o build/models/mlp"
"$build/bin/act-import" "$root/examples/models/mlp.py" -o "$models/mlp" | head -n 1
echo "\$ act-opt build/models/mlp/model.mlir --act-raise | grep act.   (torch-mlir's erf formula and softmax chain, raised)"
"$opt" "$models/mlp/model.mlir" --act-raise | grep 'act\.' | sed 's/^ *//'
run_mlp="$build/bin/act-run $models/mlp/model.mlir --input=@$models/mlp/input0.npy"
echo "\$ act-run build/models/mlp/model.mlir --input=@build/models/mlp/input0.npy --expect=@build/models/mlp/expected0.npy --verify"
$run_mlp --expect="@$models/mlp/expected0.npy" --verify | cut -c1-160
echo "\$ .venv/bin/python tools/act-bench/models_bench.py --models=mlp --no-compile"
"$root/.venv/bin/python" "$root/tools/act-bench/models_bench.py" --models=mlp --no-compile \
  --repetitions=20 2>/dev/null

section "Derivatives: act-differentiate adds the gradient function, built from each op's rule"
echo "\$ act-opt tools/demo/activations.mlir --act-differentiate=function=dense_gelu  (the new @dense_gelu_vjp, abridged)"
"$opt" "$example" --act-differentiate=function=dense_gelu |
  sed -n '/func.func @dense_gelu_vjp/,/return/p' |
  grep -E 'func.func|act\.|iterator_types|return' | cut -c1-150

section "A training step that runs: an MLP trained with SGD on the gradients act derived (examples/mlp-training)"
echo "\$ act-train-mlp --steps=200"
"$build/bin/act-train-mlp" --steps=200

section "Bad input gets a diagnostic and a non-zero exit"
bad='func.func @f(%x: tensor<4x7xf32>) -> tensor<4x3xf32> {
  %y = act.glu %x : tensor<4x7xf32> -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}'
echo "\$ act-opt <<< '$bad'"
if "$opt" <<<"$bad"; then exit 1; else echo "(exit status $?)"; fi
