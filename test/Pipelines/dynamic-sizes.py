# act ops on sizes known only at run time: a row slice of length n (given as
# an f32 argument) through act.softmax, act.log_softmax and a gelu chain,
# compiled by act-to-llvm (masked vector tails) and run by act-run, against
# numpy in float64. Lengths below, at and above one vector tile (32), and the
# full row; the padding stays 0. (act-run --verify does not evaluate
# slices of dynamic size yet, hence numpy.)
# RUN: %act_python %s %act_obj_root/bin/act-run %t
import os
import subprocess
import sys

import numpy as np

act_run, tmp = sys.argv[1], sys.argv[2]
os.makedirs(tmp, exist_ok=True)
ROWS, COLS = 5, 80

MLIR = """
func.func @f(%x: tensor<5x80xf32>, %len: f32) -> (tensor<5x80xf32>, tensor<5x80xf32>, tensor<5x80xf32>) {
  %i = arith.fptosi %len : f32 to i32
  %n = arith.index_cast %i : i32 to index
  %d = tensor.extract_slice %x[0, 0] [5, %n] [1, 1] : tensor<5x80xf32> to tensor<5x?xf32>
  %s = act.softmax %d {dim = 1} : tensor<5x?xf32>
  %l = act.log_softmax %d {dim = 1} : tensor<5x?xf32>
  %g = act.gelu %d : tensor<5x?xf32>
  %h = act.tanh %g : tensor<5x?xf32>
  %z = arith.constant dense<0.0> : tensor<5x80xf32>
  %ps = tensor.insert_slice %s into %z[0, 0] [5, %n] [1, 1] : tensor<5x?xf32> into tensor<5x80xf32>
  %pl = tensor.insert_slice %l into %z[0, 0] [5, %n] [1, 1] : tensor<5x?xf32> into tensor<5x80xf32>
  %ph = tensor.insert_slice %h into %z[0, 0] [5, %n] [1, 1] : tensor<5x?xf32> into tensor<5x80xf32>
  return %ps, %pl, %ph : tensor<5x80xf32>, tensor<5x80xf32>, tensor<5x80xf32>
}
"""
src = os.path.join(tmp, "dyn.mlir")
open(src, "w").write(MLIR)
rng = np.random.default_rng(0)
x = (rng.standard_normal((ROWS, COLS)) * 4).astype(np.float32)
np.save(os.path.join(tmp, "x.npy"), x)

from math import erf

failures = 0
for n in [1, 7, 31, 32, 33, 64, 77, 80]:
    outs = [os.path.join(tmp, f"{k}{n}.npy") for k in "slh"]
    subprocess.run([act_run, src, f"--input=@{tmp}/x.npy", f"--input=f32={n}"]
                   + [f"--output=@{o}" for o in outs], check=True)
    s, l, h = (np.load(o).astype(np.float64) for o in outs)
    v = x[:, :n].astype(np.float64)
    e = np.exp(v - v.max(axis=1, keepdims=True))
    ref_s = e / e.sum(axis=1, keepdims=True)
    ref_l = v - v.max(axis=1, keepdims=True) - np.log(e.sum(axis=1, keepdims=True))
    ref_h = np.tanh(v * 0.5 * (1 + np.vectorize(erf)(v / np.sqrt(2))))
    checks = [
        ("softmax", s, ref_s, 2e-6 * np.maximum(ref_s, 2**-24)),
        ("log_softmax", l, ref_l, 4 * 2**-23 * np.maximum(np.abs(ref_l), 1)),
        # gelu's erf form is accurate only absolutely in its negative tail
        # (docs/Accuracy.md); tanh passes that on.
        ("tanh(gelu)", h, ref_h, 16 * 2**-24 * np.maximum(np.abs(ref_h), 0.125)),
    ]
    for name, got, ref, tol in checks:
        err = np.abs(got[:, :n] - ref)
        if not np.all(err <= tol) or np.any(got[:, n:] != 0):
            failures += 1
            print(f"FAIL n={n} {name}: max err {err.max():.3g}, "
                  f"padding nonzero: {np.any(got[:, n:] != 0)}")
        else:
            print(f"ok n={n} {name}: max err / tol {np.max(err / tol):.3f}")
sys.exit(1 if failures else 0)
