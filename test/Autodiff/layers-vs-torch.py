# Gradients of whole layers from act-differentiate, run by act-run, against
# PyTorch autograd in float64 on the same f32 inputs:
#  - nn.Linear as torch-mlir writes it (linalg.transpose of the weight, then
#    matmul), bias, silu, and a residual add (x used twice);
#  - an attention head: batch_matmul of Q and K^T (a generic contraction with
#    transposed maps), a scale, softmax, batch_matmul with V;
#  - elementwise arith on tensors (sub, div, maximum, select, neg, exp) and a
#    mean;
#  - log_softmax as torch-mlir decomposes it: a max and a sum reduction into
#    keepdim [rows, 1] tensors read back through (d0, d1) -> (d0, 0); and a
#    row max with ties (PyTorch's amax splits the gradient between them).
# Bound, per gradient tensor: 2^-24 * 4 * N * max |ref|, N the terms summed
# along the longest chain of dot products (as in mlp-vs-torch.py).
#
# RUN: %act_python %s act-opt act-run %t | FileCheck %s
# CHECK-NOT: FAILED
# CHECK: layers: 17 passed, 0 failed

import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

act_opt, act_run, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(5)
passed = failed = 0


def run(name, mlir, inputs, nresults):
    path = os.path.join(work, name + ".mlir")
    with open(path, "w") as f:
        f.write(mlir)
    diff = path + ".vjp.mlir"
    subprocess.run([act_opt, path, "--act-differentiate=function=f", "-o",
                    diff], check=True)
    args = [act_run, diff, "--function=f_vjp"]
    for i, a in enumerate(inputs):
        p = os.path.join(work, "%s.in%d.npy" % (name, i))
        np.save(p, a)
        args.append("--input=@" + p)
    outs = [os.path.join(work, "%s.out%d.npy" % (name, i))
            for i in range(nresults)]
    args += ["--output=@" + p for p in outs]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        print("FAILED %s: act-run exit %d\n%s%s" % (name, r.returncode,
                                                   r.stdout, r.stderr))
        sys.exit(1)
    return [np.load(p) for p in outs]


def compare(name, mlir, inputs, fn, n):
    global passed, failed
    ts = [torch.tensor(a.astype(np.float64), requires_grad=True)
          for a in inputs]
    y = fn(*ts)
    dy = rng.uniform(-1, 1, tuple(y.shape)).astype(np.float32)
    out = run(name, mlir, inputs + [dy], 1 + len(inputs))
    refs = torch.autograd.grad(y, ts, torch.tensor(dy.astype(np.float64)))
    for i, (got, ref) in enumerate([(out[0], y.detach())] +
                                   list(zip(out[1:], refs))):
        ref = ref.numpy()
        got = got.astype(np.float64)
        # NaN where the reference is NaN, equal infinities, else the bound.
        special = ~np.isfinite(ref)
        same = np.array_equal(np.isnan(got), np.isnan(ref)) and \
            np.array_equal(got[np.isinf(ref)], ref[np.isinf(ref)])
        finite = ~special
        err = float(np.max(np.abs(got[finite] - ref[finite]), initial=0.0))
        bound = 2.0**-24 * 4 * n * float(np.max(np.abs(ref[finite]),
                                                  initial=0.0)) + 1e-45
        ok = same and err <= bound
        print("%s %s %s: max err %.3g, %.3f of the bound" %
              ("ok" if ok else "FAILED", name, "y" if i == 0 else "d%d" % (i - 1),
               err, err / bound))
        passed += ok
        failed += not ok


LINEAR = """
#id = affine_map<(m, n) -> (m, n)>
#bias = affine_map<(m, n) -> (n)>
func.func @f(%x: tensor<16x48xf32>, %w: tensor<48x48xf32>, %b: tensor<48xf32>) -> tensor<16x48xf32> {
  %c0 = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<48x48xf32>
  %wt = linalg.transpose ins(%w : tensor<48x48xf32>) outs(%et : tensor<48x48xf32>) permutation = [1, 0]
  %e = tensor.empty() : tensor<16x48xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<16x48xf32>) -> tensor<16x48xf32>
  %m = linalg.matmul ins(%x, %wt : tensor<16x48xf32>, tensor<48x48xf32>) outs(%z : tensor<16x48xf32>) -> tensor<16x48xf32>
  %a = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<16x48xf32>, tensor<48xf32>) outs(%e : tensor<16x48xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<16x48xf32>
  %h = act.silu %a : tensor<16x48xf32>
  %r = arith.addf %h, %x : tensor<16x48xf32>
  return %r : tensor<16x48xf32>
}
"""
x = rng.standard_normal((16, 48)).astype(np.float32)
w = (rng.standard_normal((48, 48)) * 0.2).astype(np.float32)
b = rng.standard_normal(48).astype(np.float32)
compare("linear", LINEAR, [x, w, b],
        lambda x, w, b: F.silu(F.linear(x, w, b)) + x, 48 + 48)

ATTENTION = """
#q = affine_map<(b, i, j, d) -> (b, i, d)>
#k = affine_map<(b, i, j, d) -> (b, j, d)>
#s = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @f(%q: tensor<2x12x16xf32>, %k: tensor<2x20x16xf32>, %v: tensor<2x20x16xf32>) -> tensor<2x12x16xf32> {
  %c0 = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<2x12x20xf32>
  %zs = linalg.fill ins(%c0 : f32) outs(%es : tensor<2x12x20xf32>) -> tensor<2x12x20xf32>
  %scores = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x12x16xf32>, tensor<2x20x16xf32>) outs(%zs : tensor<2x12x20xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<2x12x20xf32>
  %scale = arith.constant dense<0.25> : tensor<2x12x20xf32>
  %scaled = arith.mulf %scores, %scale : tensor<2x12x20xf32>
  %p = act.softmax %scaled : tensor<2x12x20xf32>
  %eo = tensor.empty() : tensor<2x12x16xf32>
  %zo = linalg.fill ins(%c0 : f32) outs(%eo : tensor<2x12x16xf32>) -> tensor<2x12x16xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x12x20xf32>, tensor<2x20x16xf32>) outs(%zo : tensor<2x12x16xf32>) -> tensor<2x12x16xf32>
  return %o : tensor<2x12x16xf32>
}
"""
q = rng.standard_normal((2, 12, 16)).astype(np.float32)
k = rng.standard_normal((2, 20, 16)).astype(np.float32)
v = rng.standard_normal((2, 20, 16)).astype(np.float32)
compare("attention", ATTENTION, [q, k, v],
        lambda q, k, v: torch.softmax(q @ k.transpose(1, 2) * 0.25, -1) @ v,
        16 + 20 + 20)

ARITH = """
#id = affine_map<(i, j) -> (i, j)>
#all = affine_map<(i, j) -> ()>
func.func @f(%a: tensor<8x16xf32>, %b: tensor<8x16xf32>) -> tensor<f32> {
  %d = arith.subf %a, %b : tensor<8x16xf32>
  %two = arith.constant dense<2.0> : tensor<8x16xf32>
  %bp = arith.addf %b, %two : tensor<8x16xf32>
  %q = arith.divf %d, %bp : tensor<8x16xf32>
  %m = arith.maximumf %q, %a : tensor<8x16xf32>
  %zero = arith.constant dense<0.0> : tensor<8x16xf32>
  %c = arith.cmpf ogt, %a, %zero : tensor<8x16xf32>
  %n = arith.negf %m : tensor<8x16xf32>
  %s = arith.select %c, %m, %n : tensor<8x16xi1>, tensor<8x16xf32>
  %e = math.exp %s : tensor<8x16xf32>
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %z = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [#id, #all], iterator_types = ["reduction", "reduction"]}
      ins(%e : tensor<8x16xf32>) outs(%z : tensor<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  %count = arith.constant dense<128.0> : tensor<f32>
  %mean = arith.divf %sum, %count : tensor<f32>
  return %mean : tensor<f32>
}
"""
a = rng.uniform(-1, 1, (8, 16)).astype(np.float32)
b = rng.uniform(0, 1, (8, 16)).astype(np.float32)


def arith_ref(a, b):
    m = torch.maximum((a - b) / (b + 2), a)
    return torch.exp(torch.where(a > 0, m, -m)).mean()


compare("arith", ARITH, [a, b], arith_ref, 128)

KEEPDIM = """
#id = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>
#col = affine_map<(d0, d1) -> (d0, d1)>
func.func @f(%x: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<8x1xf32>) -> tensor<8x1xf32>
  %max = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x12xf32>) outs(%fm : tensor<8x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<8x1xf32>
  %e = tensor.empty() : tensor<8x12xf32>
  %sub = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<8x12xf32>, tensor<8x1xf32>) outs(%e : tensor<8x12xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<8x12xf32>
  %exp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sub : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<8x12xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x1xf32>) -> tensor<8x1xf32>
  %sum = linalg.generic {indexing_maps = [#id, #kd], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<8x12xf32>) outs(%fz : tensor<8x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %a, %acc : f32
    linalg.yield %t : f32
  } -> tensor<8x1xf32>
  %log = math.log %sum : tensor<8x1xf32>
  %out = linalg.generic {indexing_maps = [#id, #kd, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sub, %log : tensor<8x12xf32>, tensor<8x1xf32>) outs(%e : tensor<8x12xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<8x12xf32>
  return %out : tensor<8x12xf32>
}
"""
xk = rng.uniform(-4, 4, (8, 12)).astype(np.float32)
compare("keepdim_log_softmax", KEEPDIM, [xk], lambda x: F.log_softmax(x, -1),
        12)

AMAX = """
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @f(%x: tensor<6x10xf32>) -> tensor<6xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<6xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<6xf32>) -> tensor<6xf32>
  %m = linalg.reduce ins(%x : tensor<6x10xf32>) outs(%f : tensor<6xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %r = arith.maximumf %a, %acc : f32
      linalg.yield %r : f32
    }
  return %m : tensor<6xf32>
}
"""
xa = rng.integers(-3, 4, (6, 10)).astype(np.float32)   # many ties
compare("amax_ties", AMAX, [xa], lambda x: x.amax(-1), 10)

ABS = """
func.func @f(%x: tensor<6xf32>) -> tensor<6xf32> {
  %y = math.absf %x : tensor<6xf32>
  return %y : tensor<6xf32>
}
"""
# PyTorch's autograd gives abs' = 0 at +-0 and for NaN.
xb = np.array([-2.0, -0.0, 0.0, np.nan, 3.0, -np.inf], np.float32)
compare("abs", ABS, [xb], torch.abs, 1)

print("layers: %d passed, %d failed" % (passed, failed))
