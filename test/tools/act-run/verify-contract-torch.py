# Contractions and reductions with NaN and +-Inf in their inputs, run by
# act-run (JIT) and checked two ways: --verify must pass, and the results must
# match PyTorch's: the same NaNs, the same infinities with the same signs, the
# finite values close. PyTorch's reference is written with explicit products
# and sums (a[:, :, None] * b[None]).sum(1), in f64: a BLAS matmul may skip
# zero terms and miss inf * 0 = NaN, which torch.mul does not.
#
# RUN: %act_python %s act-run %t | FileCheck %s
# CHECK: mm_bias_gelu: ok
# CHECK: mm_transposed_b: ok
# CHECK: bmm: ok
# CHECK: row_sum: ok
# CHECK: 0 failed

import os
import subprocess
import sys

import numpy as np
import torch

act_run, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)

MLIR = """
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @mm_bias_gelu(%a: tensor<7x13xf32>, %b: tensor<13x17xf32>,
                        %bias: tensor<17xf32>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul ins(%a, %b : tensor<7x13xf32>, tensor<13x17xf32>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  %bb = linalg.broadcast ins(%bias : tensor<17xf32>) outs(%e : tensor<7x17xf32>)
                         dimensions = [0]
  %s = arith.addf %m, %bb : tensor<7x17xf32>
  %g = act.gelu %s : tensor<7x17xf32>
  return %g : tensor<7x17xf32>
}
func.func @mm_transposed_b(%a: tensor<7x13xf32>, %b: tensor<17x13xf32>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul indexing_maps = [#mk, #nk, #mn]
                     ins(%a, %b : tensor<7x13xf32>, tensor<17x13xf32>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  return %m : tensor<7x17xf32>
}
func.func @bmm(%a: tensor<3x7x13xf32>, %b: tensor<3x13x5xf32>) -> tensor<3x7x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x7x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  %m = linalg.batch_matmul ins(%a, %b : tensor<3x7x13xf32>, tensor<3x13x5xf32>)
                           outs(%c : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  return %m : tensor<3x7x5xf32>
}
func.func @row_sum(%x: tensor<9x33xf32>) -> tensor<9xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<9xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<9xf32>) -> tensor<9xf32>
  %s = linalg.reduce ins(%x : tensor<9x33xf32>) outs(%c : tensor<9xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  return %s : tensor<9xf32>
}
"""
path = os.path.join(work, "contract.mlir")
with open(path, "w") as f:
    f.write(MLIR)

nan, inf = np.nan, np.inf
rng = np.random.default_rng(7)


def uniform(*shape):
    return rng.uniform(-2, 2, shape).astype(np.float32)


def matmul(a, b):
    """a @ b in f64 with IEEE products: inf * 0 is NaN."""
    a, b = torch.from_numpy(a).double(), torch.from_numpy(b).double()
    return (a.unsqueeze(-1) * b.unsqueeze(-3)).sum(-2)


# mm_bias_gelu: a NaN in row 0 of A, +inf at A[2, 1], -inf at B[5, 4], an
# inf * 0 at (4, 9), +-inf biases (inf - inf is NaN; gelu(-inf) is NaN).
a, b, bias = uniform(7, 13), uniform(13, 17), uniform(17)
a[0, 3] = nan
a[2, 1] = inf
b[5, 4] = -inf
a[4, 7] = inf
b[7, :] = 1
b[7, 9] = 0
bias[11] = -inf
bias[12] = inf
mm = matmul(a, b) + torch.from_numpy(bias).double()
gelu = torch.nn.functional.gelu(mm)

# mm_transposed_b: B given as N x K.
ta, tb = uniform(7, 13), uniform(17, 13)
ta[1, 2] = -inf
tb[3, 0] = nan
tb[5, 2] = 0
transposed = matmul(ta, tb.T.copy())

# bmm: +inf and -inf meeting in one batch, a NaN in another.
ba, bb = uniform(3, 7, 13), uniform(3, 13, 5)
ba[0, 1, 4] = inf
bb[0, 4, :] = np.abs(bb[0, 4, :]) + 0.5
bb[0, 6, 2] = -inf
ba[0, :, 6] = np.abs(ba[0, :, 6]) + 0.5
ba[2, 3, 3] = nan
batched = matmul(ba, bb)

# row_sum: rows with a NaN, an inf, -inf, both infinities, FLT_MAX twice
# (inf in f32, as in torch's f32 sum), the rest finite.
x = uniform(9, 33)
x[0, 5] = nan
x[1, 0] = inf
x[2, 32] = -inf
x[3, 1], x[3, 2] = inf, -inf
x[4, 0] = x[4, 1] = np.finfo(np.float32).max
row_sum = torch.from_numpy(x).double().sum(1)
# torch's own f32 sum agrees on the specials, FLT_MAX + FLT_MAX included.
torch_f32 = torch.from_numpy(x).sum(1).double()
assert torch.equal(torch.isnan(torch_f32), torch.isnan(row_sum.float().double()))

CASES = [
    ("mm_bias_gelu", [a, b, bias], gelu),
    ("mm_transposed_b", [ta, tb], transposed),
    ("bmm", [ba, bb], batched),
    ("row_sum", [x], row_sum),
]

failed = 0
for name, inputs, expected in CASES:
    args = [act_run, path, "--function=" + name, "--verify"]
    for i, t in enumerate(inputs):
        p = os.path.join(work, "%s.%d.npy" % (name, i))
        np.save(p, t)
        args.append("--input=@" + p)
    out = os.path.join(work, name + ".out.npy")
    args.append("--output=@" + out)
    proc = subprocess.run(args, capture_output=True, text=True)
    verdicts = [l for l in proc.stdout.splitlines() if l.startswith("result #")]
    problems = []
    if proc.returncode != 0 or len(verdicts) != 1 or " - ok (" not in verdicts[0]:
        problems.append("--verify: exit %d: %s %s" % (proc.returncode,
                                                    " ".join(verdicts),
                                                    proc.stderr.strip()))
    else:
        got = torch.from_numpy(np.load(out)).double()
        # The exact result rounded to f32: FLT_MAX + FLT_MAX is inf there.
        ref = expected.float().double()
        if not torch.equal(torch.isnan(got), torch.isnan(ref)):
            problems.append("NaNs differ: got %s, expected %s" %
                            (torch.isnan(got).nonzero().tolist(),
                             torch.isnan(ref).nonzero().tolist()))
        elif not torch.equal(got[torch.isinf(ref)], ref[torch.isinf(ref)]) or \
                torch.isinf(got).sum() != torch.isinf(ref).sum():
            problems.append("infinities differ")
        else:
            finite = torch.isfinite(ref)
            if not torch.allclose(got[finite], ref[finite], rtol=1e-5, atol=1e-5):
                problems.append("finite values differ by %g" %
                                (got[finite] - ref[finite]).abs().max())
        specials = int((~torch.isfinite(ref)).sum())
        if specials == 0 or specials == ref.numel():
            problems.append("the case should mix special and finite results")
    if problems:
        failed += 1
        print("%s: FAILED" % name)
        for p in problems:
            print("  " + p)
    else:
        print("%s: ok" % name)
print("%d failed" % failed)
sys.exit(1 if failed else 0)
