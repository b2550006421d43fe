# Matmul kernels with fused epilogues (act-lower-contractions), JIT-compiled
# by act-run, against PyTorch in float64: dense layers with every epilogue
# form on odd shapes, NaN and +-Inf inputs, fused against unfused code,
# 1 against 2 threads, transposed and constant weights, batch_matmul, a
# dynamic M, bf16 inputs, a residual add and SwiGLU.
#
# The bound is the one of a K-term f32 dot product, propagated through the
# epilogue: |y - ref| <= L * (K * 2^-24 * (|X| |W|)_ij + |b_j| 2^-24) plus
# 4 ulp of the result (the activations' documented bound), with L >= the
# largest |f'| of the activation (1.13 for gelu, 1.1 for silu).
#
# RUN: %act_python %s act-run %t | FileCheck %s
# CHECK-NOT: FAILED
# CHECK: dense: {{[0-9]+}} passed, 0 failed

import os
import sys

import numpy as np
import torch

act_run, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(7)
U = 2.0**-24
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from act_vs_torch import Harness, t  # noqa: E402

harness = Harness(act_run, work)
run, check = harness.run, harness.check

ACTS = {
    "gelu": ("act.gelu %a", lambda z: torch.nn.functional.gelu(z)),
    "gelu_tanh": ("act.gelu %a approximate = tanh",
                  lambda z: torch.nn.functional.gelu(z, approximate="tanh")),
    "relu": ("act.relu %a", torch.relu),
    "silu": ("act.silu %a", torch.nn.functional.silu),
    "none": (None, lambda z: z),
}








def dense_ir(m, k, n, act, fn="dense", also_z=False):
    text, _ = ACTS[act]
    y = "%a"
    body = ""
    if text:
        body = "  %%y = %s : %s\n" % (text, t([m, n]))
        y = "%y"
    results = [y] + (["%m"] if also_z else [])
    types = [t([m, n])] * len(results)
    return (
        "func.func @%s(%%x: %s, %%w: %s, %%b: %s) -> (%s) {\n"
        "  %%e = tensor.empty() : %s\n"
        "  %%z = arith.constant 0.0 : f32\n"
        "  %%f = linalg.fill ins(%%z : f32) outs(%%e : %s) -> %s\n"
        "  %%m = linalg.matmul ins(%%x, %%w : %s, %s) outs(%%f : %s) -> %s\n"
        "  %%bb = linalg.broadcast ins(%%b : %s) outs(%%e : %s) dimensions = [0]\n"
        "  %%a = arith.addf %%m, %%bb : %s\n%s"
        "  return %s : %s\n}\n" %
        (fn, t([m, k]), t([k, n]), t([n]), ", ".join(types), t([m, n]),
         t([m, n]), t([m, n]), t([m, k]), t([k, n]), t([m, n]), t([m, n]),
         t([n]), t([m, n]), t([m, n]), body, ", ".join(results),
         ", ".join(types)))


LIPSCHITZ = {"gelu": 1.2, "gelu_tanh": 1.2, "relu": 1.0, "silu": 1.2,
             "none": 1.0}


def dense_ref(x, w, b, act):
    xd, wd, bd = (torch.from_numpy(a).double() for a in (x, w, b))
    z = xd @ wd + bd
    y = ACTS[act][1](z)
    k = x.shape[-1]
    scale = (xd.abs() @ wd.abs()) * (k * U) + bd.abs() * U
    return y.numpy(), z.numpy(), (LIPSCHITZ[act] * scale).numpy()


# Dense layers on odd shapes (tails in M and N, M < MR, K = 1).
for (m, k, n) in [(1, 300, 5), (7, 13, 17), (17, 64, 33), (13, 1, 40),
                  (64, 256, 256), (30, 96, 100)]:
    for act in ACTS:
        x = rng.standard_normal((m, k), dtype=np.float32)
        w = rng.standard_normal((k, n), dtype=np.float32)
        b = rng.standard_normal(n, dtype=np.float32)
        name = "dense_%s_%dx%dx%d" % (act, m, k, n)
        out = run(name, dense_ir(m, k, n, act), [x, w, b], 1)
        if out:
            y, _, bound = dense_ref(x, w, b, act)
            check(name, out[0], y, bound)

# NaN and +-Inf in X: a NaN row stays NaN; an infinite input gives +-Inf or
# NaN (inf - inf) exactly where float64 arithmetic does.
m, k, n = 9, 20, 37
x = rng.standard_normal((m, k), dtype=np.float32)
x[1, 3] = np.nan
x[4, 0] = np.inf
x[6, 7] = -np.inf
w = np.abs(rng.standard_normal((k, n), dtype=np.float32)) + 0.1
b = rng.standard_normal(n, dtype=np.float32)
for act in ["gelu", "relu", "silu"]:
    name = "specials_" + act
    out = run(name, dense_ir(m, k, n, act), [x, w, b], 1)
    if out:
        y, _, bound = dense_ref(x, w, b, act)
        check(name, out[0], y, np.nan_to_num(bound, posinf=0))

# Fused against unfused: returning the matmul's result too keeps the
# epilogue out of the kernel; the numbers must be the same bits.
m, k, n = 23, 50, 70
x = rng.standard_normal((m, k), dtype=np.float32)
w = rng.standard_normal((k, n), dtype=np.float32)
b = rng.standard_normal(n, dtype=np.float32)
fused = run("fused", dense_ir(m, k, n, "gelu"), [x, w, b], 1)
unfused = run("unfused", dense_ir(m, k, n, "gelu", also_z=True), [x, w, b], 2)
if fused and unfused:
    y, z, bound = dense_ref(x, w, b, "gelu")
    check("unfused_y", unfused[0], y, bound)
    check("unfused_z", unfused[1], x.astype(np.float64) @ w, bound)
    same = np.array_equal(fused[0], unfused[0])
    print("%s fused == unfused bit for bit" % ("ok" if same else "FAILED"))
    harness.record(same)

# 1 and 2 threads: each element is computed by the same instructions.
m, k, n = 100, 64, 200
x = rng.standard_normal((m, k), dtype=np.float32)
w = rng.standard_normal((k, n), dtype=np.float32)
b = rng.standard_normal(n, dtype=np.float32)
one = run("threads1", dense_ir(m, k, n, "silu"), [x, w, b], 1, ["--threads=1"])
two = run("threads2", dense_ir(m, k, n, "silu"), [x, w, b], 1, ["--threads=2"])
if one and two:
    same = np.array_equal(one[0], two[0])
    print("%s 1 thread == 2 threads bit for bit" % ("ok" if same else "FAILED"))
    harness.record(same)
    check("threads2", two[0], *dense_ref(x, w, b, "silu")[::2])

# nn.Linear as torch-mlir writes it: a transposed constant-free weight, and
# the same with a constant weight (packed at compile time).
m, k, n = 11, 24, 19
x = rng.standard_normal((m, k), dtype=np.float32)
wt = rng.standard_normal((n, k), dtype=np.float32)
linear = """func.func @linear(%%x: %s, %%w: %s) -> %s {
  %%e = tensor.empty() : %s
  %%wt = linalg.transpose ins(%%w : %s) outs(%%e : %s) permutation = [1, 0]
  %%o = tensor.empty() : %s
  %%z = arith.constant 0.0 : f32
  %%f = linalg.fill ins(%%z : f32) outs(%%o : %s) -> %s
  %%m = linalg.matmul ins(%%x, %%wt : %s, %s) outs(%%f : %s) -> %s
  %%y = act.relu %%m : %s
  return %%y : %s
}
""" % (t([m, k]), t([n, k]), t([m, n]), t([k, n]), t([n, k]), t([k, n]),
       t([m, n]), t([m, n]), t([m, n]), t([m, k]), t([k, n]), t([m, n]),
       t([m, n]), t([m, n]), t([m, n]))
ref = np.maximum(x.astype(np.float64) @ wt.T.astype(np.float64), 0)
bound = (np.abs(x).astype(np.float64) @ np.abs(wt.T)) * k * U
out = run("linear_transposed", linear, [x, wt], 1)
if out:
    check("linear_transposed", out[0], ref, bound)
dense_w = "dense<[%s]>" % ", ".join(
    "[%s]" % ", ".join("%.9e" % v for v in row) for row in wt)
const = linear.replace("func.func @linear(%%x: %s, %%w: %s)" % (t([m, k]), t([n, k])),
                       "func.func @linear(%%x: %s)" % t([m, k]))
const = const.replace("  %e = tensor.empty()",
                      "  %%w = arith.constant %s : %s\n  %%e = tensor.empty()" %
                      (dense_w, t([n, k])), 1)
out = run("linear_constant", const, [x], 1)
if out:
    check("linear_constant", out[0], ref, bound)

# A few rows against a transposed weight given at run time (the dot-product
# kernel: B read along K, no packing): M = 1 to 4, K and N off the vector
# width, bias + activation in the epilogue, NaN in x and +-Inf in w.
def linear_t_ir(m, k, n, act):
    text, _ = ACTS[act]
    return (
        "func.func @lt(%%x: %(X)s, %%w: %(W)s, %%b: %(B)s) -> %(Y)s {\n"
        "  %%e = tensor.empty() : %(WT)s\n"
        "  %%wt = linalg.transpose ins(%%w : %(W)s) outs(%%e : %(WT)s) permutation = [1, 0]\n"
        "  %%o = tensor.empty() : %(Y)s\n"
        "  %%z = arith.constant 0.0 : f32\n"
        "  %%f = linalg.fill ins(%%z : f32) outs(%%o : %(Y)s) -> %(Y)s\n"
        "  %%m = linalg.matmul ins(%%x, %%wt : %(X)s, %(WT)s) outs(%%f : %(Y)s) -> %(Y)s\n"
        "  %%bb = linalg.broadcast ins(%%b : %(B)s) outs(%%o : %(Y)s) dimensions = [0]\n"
        "  %%a = arith.addf %%m, %%bb : %(Y)s\n"
        "  %%y = %(ACT)s : %(Y)s\n"
        "  return %%y : %(Y)s\n}\n" %
        {"X": t([m, k]), "W": t([n, k]), "WT": t([k, n]), "B": t([n]),
         "Y": t([m, n]), "ACT": text})


for (m, k, n, act) in [(1, 300, 5, "gelu"), (1, 4101, 37, "relu"),
                       (2, 33, 17, "silu"), (3, 64, 40, "gelu_tanh"),
                       (4, 129, 9, "gelu"), (1, 7, 3, "silu")]:
    x = rng.standard_normal((m, k), dtype=np.float32)
    wt = (rng.standard_normal((n, k)) / np.sqrt(k)).astype(np.float32)
    b = rng.standard_normal(n, dtype=np.float32)
    if n > 8:
        x[0, 1] = np.nan if m > 1 else x[0, 1]
        wt[2, 0] = np.inf
        wt[5, 3] = -np.inf
    out = run("lt_%dx%dx%d" % (m, k, n), linear_t_ir(m, k, n, act),
              [x, wt, b], 1)
    if out:
        y, _, bound = dense_ref(x, np.ascontiguousarray(wt.T), b, act)
        check("dot_linear_transposed_%dx%dx%d_%s" % (m, k, n, act), out[0], y,
              bound)

# matmul with transposed indexing maps (MLIR 22 has no matmul_transpose_b).
tmaps = """func.func @mt(%%x: %s, %%w: %s) -> %s {
  %%o = tensor.empty() : %s
  %%z = arith.constant 0.0 : f32
  %%f = linalg.fill ins(%%z : f32) outs(%%o : %s) -> %s
  %%m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%%x, %%w : %s, %s) outs(%%f : %s) -> %s
  return %%m : %s
}
""" % (t([m, k]), t([n, k]), t([m, n]), t([m, n]), t([m, n]), t([m, n]),
       t([m, k]), t([n, k]), t([m, n]), t([m, n]), t([m, n]))
out = run("matmul_transpose_b", tmaps, [x, wt], 1)
if out:
    check("matmul_transpose_b", out[0], x.astype(np.float64) @ wt.T, bound)

# A few rows against a large weight given at run time as [K, N] (the
# streaming kernel: K in up to 16 fixed chunks, each streaming whole rows of
# B into partial rows of C, summed in chunk order): M = 1 to 4, K off the
# chunk and row-group sizes, N off the vector width, NaN in x and +-Inf in
# w; then 1 against 2 threads bit for bit (the chunks do not depend on the
# thread count).
for (m, k, n, act) in [(1, 4101, 70, "relu"), (2, 600, 515, "silu"),
                       (3, 1025, 257, "gelu_tanh"), (4, 513, 1000, "gelu"),
                       (1, 2048, 128, "none")]:
    x = rng.standard_normal((m, k), dtype=np.float32)
    w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
    b = rng.standard_normal(n, dtype=np.float32)
    if m > 1:
        x[1, 5] = np.nan
        w[3, 2] = np.inf
        w[k - 1, n - 1] = -np.inf
    name = "stream_%dx%dx%d_%s" % (m, k, n, act)
    out = run(name, dense_ir(m, k, n, act), [x, w, b], 1)
    if out:
        y, _, bound = dense_ref(x, w, b, act)
        check(name, out[0], y, np.nan_to_num(bound, posinf=0))
m, k, n = 2, 4096, 300
x = rng.standard_normal((m, k), dtype=np.float32)
w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
b = rng.standard_normal(n, dtype=np.float32)
one = run("stream_threads1", dense_ir(m, k, n, "gelu"), [x, w, b], 1,
          ["--threads=1"])
two = run("stream_threads2", dense_ir(m, k, n, "gelu"), [x, w, b], 1,
          ["--threads=2"])
if one and two:
    same = np.array_equal(one[0], two[0])
    print("%s streamed: 1 thread == 2 threads bit for bit" %
          ("ok" if same else "FAILED"))
    harness.record(same)
    check("stream_threads2", two[0], *dense_ref(x, w, b, "gelu")[::2])

# A linalg.generic contraction reading A transposed (A^T stored K x M).
m, k, n = 13, 21, 35
at = rng.standard_normal((k, m), dtype=np.float32)
w = rng.standard_normal((k, n), dtype=np.float32)
generic = """func.func @g(%%a: %s, %%w: %s) -> %s {
  %%o = tensor.empty() : %s
  %%z = arith.constant 0.0 : f32
  %%f = linalg.fill ins(%%z : f32) outs(%%o : %s) -> %s
  %%m = linalg.generic {indexing_maps = [affine_map<(i, j, l) -> (l, i)>, affine_map<(i, j, l) -> (l, j)>, affine_map<(i, j, l) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%%a, %%w : %s, %s) outs(%%f : %s) {
  ^bb0(%%x: f32, %%y: f32, %%acc: f32):
    %%p = arith.mulf %%x, %%y : f32
    %%s = arith.addf %%acc, %%p : f32
    linalg.yield %%s : f32
  } -> %s
  %%r = act.silu %%m : %s
  return %%r : %s
}
""" % (t([k, m]), t([k, n]), t([m, n]), t([m, n]), t([m, n]), t([m, n]),
       t([k, m]), t([k, n]), t([m, n]), t([m, n]), t([m, n]), t([m, n]))
out = run("generic_transposed_a", generic, [at, w], 1)
if out:
    z = torch.from_numpy(at.T.astype(np.float64)) @ torch.from_numpy(w).double()
    bnd = (np.abs(at.T).astype(np.float64) @ np.abs(w)) * k * U * 1.2
    check("generic_transposed_a", out[0], torch.nn.functional.silu(z).numpy(), bnd)

# batch_matmul accumulating into an input (a dynamic M is covered by
# lower-contractions.mlir: act-run takes static shapes only).
bsz, m, k, n = 3, 10, 7, 21
xa = rng.standard_normal((bsz, m, k), dtype=np.float32)
wb = rng.standard_normal((bsz, k, n), dtype=np.float32)
c = rng.standard_normal((bsz, m, n), dtype=np.float32)
bmm = """func.func @bmm(%%x: tensor<3x10x7xf32>, %%w: %s, %%c: tensor<3x10x21xf32>) -> tensor<3x10x21xf32> {
  %%m = linalg.batch_matmul ins(%%x, %%w : tensor<3x10x7xf32>, %s) outs(%%c : tensor<3x10x21xf32>) -> tensor<3x10x21xf32>
  return %%m : tensor<3x10x21xf32>
}
""" % (t([bsz, k, n]), t([bsz, k, n]))
out = run("batch", bmm, [xa, wb, c], 1)
if out:
    ref = np.einsum("bmk,bkn->bmn", xa.astype(np.float64), wb) + c
    bnd = np.einsum("bmk,bkn->bmn", np.abs(xa).astype(np.float64),
                    np.abs(wb)) * k * U + np.abs(c) * U
    check("batch", out[0], ref, bnd)

# bf16 inputs, f32 accumulation and output.
m, k, n = 8, 40, 24
xb = torch.randn(m, k).bfloat16()
wb16 = torch.randn(k, n).bfloat16()
bf = """func.func @bf(%%x: %s, %%w: %s) -> %s {
  %%o = tensor.empty() : %s
  %%z = arith.constant 0.0 : f32
  %%f = linalg.fill ins(%%z : f32) outs(%%o : %s) -> %s
  %%m = linalg.matmul ins(%%x, %%w : %s, %s) outs(%%f : %s) -> %s
  return %%m : %s
}
""" % (t([m, k], "bf16"), t([k, n], "bf16"), t([m, n]), t([m, n]), t([m, n]),
       t([m, n]), t([m, k], "bf16"), t([k, n], "bf16"), t([m, n]), t([m, n]),
       t([m, n]))
out = run("bf16", bf, [xb.float().numpy(), wb16.float().numpy()], 1)
if out:
    xd, wd = xb.double(), wb16.double()
    check("bf16", out[0], (xd @ wd).numpy(),
          ((xd.abs() @ wd.abs()) * k * U).numpy())

# Residual add and SwiGLU: silu(X W1) * (X W3) fused into the first matmul
# (the second's result read from memory), then W2 with a residual add.
m, k, h = 12, 32, 48
x = rng.standard_normal((m, k), dtype=np.float32)
w1 = rng.standard_normal((k, h), dtype=np.float32) * 0.2
w3 = rng.standard_normal((k, h), dtype=np.float32) * 0.2
w2 = rng.standard_normal((h, k), dtype=np.float32) * 0.2
swiglu = """func.func @swiglu(%%x: %(X)s, %%w1: %(W)s, %%w3: %(W)s, %%w2: %(V)s) -> %(X)s {
  %%z = arith.constant 0.0 : f32
  %%eh = tensor.empty() : %(H)s
  %%fh = linalg.fill ins(%%z : f32) outs(%%eh : %(H)s) -> %(H)s
  %%a = linalg.matmul ins(%%x, %%w1 : %(X)s, %(W)s) outs(%%fh : %(H)s) -> %(H)s
  %%g = linalg.matmul ins(%%x, %%w3 : %(X)s, %(W)s) outs(%%fh : %(H)s) -> %(H)s
  %%s = act.silu %%a : %(H)s
  %%p = arith.mulf %%s, %%g : %(H)s
  %%ex = tensor.empty() : %(X)s
  %%fx = linalg.fill ins(%%z : f32) outs(%%ex : %(X)s) -> %(X)s
  %%o = linalg.matmul ins(%%p, %%w2 : %(H)s, %(V)s) outs(%%fx : %(X)s) -> %(X)s
  %%r = arith.addf %%o, %%x : %(X)s
  return %%r : %(X)s
}
""" % {"X": t([m, k]), "W": t([k, h]), "V": t([h, k]), "H": t([m, h])}
out = run("swiglu", swiglu, [x, w1, w3, w2], 1)
if out:
    xd = torch.from_numpy(x).double()
    a, g = xd @ torch.from_numpy(w1).double(), xd @ torch.from_numpy(w3).double()
    p = torch.nn.functional.silu(a) * g
    ref = p @ torch.from_numpy(w2).double() + xd
    # Relative slack for the two levels of products (bounded loosely: the
    # first level's error enters the second through |W2|).
    pa = (xd.abs() @ torch.from_numpy(np.abs(w1)).double()) * k * U
    ga = (xd.abs() @ torch.from_numpy(np.abs(w3)).double()) * k * U
    pe = 1.2 * pa * g.abs() + torch.nn.functional.silu(a).abs() * ga + p.abs() * 4 * U
    bnd = (pe + p.abs() * h * U) @ torch.from_numpy(np.abs(w2)).double() + xd.abs() * U
    check("swiglu_residual", out[0], ref.numpy(), bnd.numpy())

harness.summary("dense")
