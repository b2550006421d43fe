# The activations torch-mlir decomposes, exported with torch-mlir, compiled
# and run by act-run (act-to-llvm raises them back to act ops), against
# PyTorch eager in f32 on random inputs and special values: the same NaNs,
# the same infinities, the same signs of zeros, finite values within a few
# ulps. Each activation alone, then a chain of them in one fused body.
#
# hardtanh, relu6, clamp and hardsigmoid are not raised: torch-mlir's bodies
# give a bound for NaN where PyTorch gives NaN (docs/Importing.md); the test
# checks they stay as they are and still run, NaN and zeros aside.
#
# REQUIRES: torch-mlir
# RUN: %act_python %s %act_obj_root/bin/act-opt %act_obj_root/bin/act-run %t | FileCheck %s
# CHECK: leaky_relu: ok act.leaky_relu
# CHECK: leaky_relu_neg: ok act.leaky_relu
# CHECK: elu: ok act.elu
# CHECK: elu_05: ok act.elu
# CHECK: celu: ok act.celu
# CHECK: celu_2: ok act.celu
# CHECK: selu: ok act.selu
# CHECK: hardswish: ok act.hardswish
# CHECK: mish: ok act.mish
# CHECK: softplus: ok act.softplus
# CHECK: softplus_2_10: ok act.softplus
# CHECK: log_sigmoid: ok act.log_sigmoid
# CHECK: hardtanh: ok, not raised
# CHECK: relu6: ok, not raised
# CHECK: clamp: ok, not raised
# CHECK: hardsigmoid: ok, not raised
# CHECK: chain: ok act.elu act.hardswish act.mish act.softplus act.leaky_relu act.celu act.selu act.log_sigmoid
# CHECK: 0 failed

import os
import re
import subprocess
import sys

import numpy as np
import torch
from torch_mlir import fx

act_opt, act_run, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
nn = torch.nn

f32 = np.finfo(np.float32)
SPECIALS = np.array(
    [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 1e-40,
     -1e-40, 1e-8, -1e-8, f32.tiny, -f32.tiny, 1e30, -1e30, f32.max,
     -f32.max, 1e38, -1e38, 88.0, 89.0, -88.0, -89.0, -104.0, 20.0,
     np.nextafter(np.float32(20), np.float32(30)), 10.0, 5.0, -20.0, -3.0,
     3.0, -2.0, 2.0, 6.0, -6.0, 1.0, -1.0, 0.5, -0.5, 1e-4, -1e-4],
    dtype=np.float32)
rng = np.random.default_rng(5)
RANDOM = np.concatenate([rng.uniform(-8, 8, 150),
                         rng.uniform(-0.01, 0.01, 50),
                         rng.uniform(-120, 120, 50)]).astype(np.float32)
X = np.concatenate([SPECIALS, RANDOM]).astype(np.float32)
X = np.pad(X, (0, (-X.size) % 8)).reshape(-1, 8)


class Clamp(nn.Module):
    def forward(self, x):
        return torch.clamp(x, -0.5, 2.0)


# name, module, the act ops the raise must give (empty: not raised).
CASES = [
    ("leaky_relu", nn.LeakyReLU(), ["act.leaky_relu"]),
    ("leaky_relu_neg", nn.LeakyReLU(-1.5), ["act.leaky_relu"]),
    ("elu", nn.ELU(), ["act.elu"]),
    ("elu_05", nn.ELU(0.5), ["act.elu"]),
    ("celu", nn.CELU(), ["act.celu"]),
    ("celu_2", nn.CELU(2.0), ["act.celu"]),
    ("selu", nn.SELU(), ["act.selu"]),
    ("hardswish", nn.Hardswish(), ["act.hardswish"]),
    ("mish", nn.Mish(), ["act.mish"]),
    ("softplus", nn.Softplus(), ["act.softplus"]),
    ("softplus_2_10", nn.Softplus(2.0, 10.0), ["act.softplus"]),
    ("log_sigmoid", nn.LogSigmoid(), ["act.log_sigmoid"]),
    ("hardtanh", nn.Hardtanh(-2.0, 3.0), []),
    ("relu6", nn.ReLU6(), []),
    ("clamp", Clamp(), []),
    ("hardsigmoid", nn.Hardsigmoid(), []),
    ("chain", nn.Sequential(nn.ELU(), nn.Hardswish(), nn.Mish(), nn.Softplus(),
                            nn.LeakyReLU(0.2), nn.CELU(2.0), nn.SELU(),
                            nn.LogSigmoid()),
     ["act.elu", "act.hardswish", "act.mish", "act.softplus",
      "act.leaky_relu", "act.celu", "act.selu", "act.log_sigmoid"]),
]

# Documented deviations of the act ops from PyTorch (docs/Activations.md):
# hardswish(x) is x above FLT_MAX / 6, where PyTorch's x * relu6(x + 3)
# overflows to +Inf.
def deviations(name, x):
    if name == "hardswish":
        return x > f32.max / 6
    return np.zeros_like(x, dtype=bool)


def compare(name, x, got, want, raised):
    """The problems of `got` against `want`, or []."""
    problems = []
    skip = deviations(name, x)
    if not raised:
        # torch-mlir's body gives a bound for NaN, and +0 for -0 in relu6.
        skip |= np.isnan(x) | (x == 0)
    keep = ~skip
    g, w, xs = got[keep], want[keep], x[keep]
    nan_g, nan_w = np.isnan(g), np.isnan(w)
    bad = nan_g != nan_w
    inf = np.isinf(w) | np.isinf(g)
    bad |= inf & ~nan_w & ~nan_g & (g != w)
    zero = (g == 0) & (w == 0)
    bad |= zero & (np.signbit(g) != np.signbit(w))
    finite = np.isfinite(w) & np.isfinite(g)
    with np.errstate(invalid="ignore"):
        err = np.abs(g.astype(np.float64) - w.astype(np.float64))
    tol = 4e-6 * np.abs(w.astype(np.float64)) + 1e-38
    bad |= finite & (err > tol)
    for i in np.flatnonzero(bad)[:6]:
        problems.append("x = %r: got %r, PyTorch %r" % (xs[i], g[i], w[i]))
    return problems


failed = 0
x_path = os.path.join(work, "x.npy")
np.save(x_path, X)
for name, module, ops in CASES:
    module.eval()
    mlir = str(fx.export_and_import(module, torch.from_numpy(X),
                                    output_type="linalg-on-tensors",
                                    func_name=name))
    path = os.path.join(work, name + ".mlir")
    with open(path, "w") as f:
        f.write(mlir)
    raised = subprocess.run(
        [act_opt, path, "--pass-pipeline=builtin.module(func.func(act-raise,"
         "act-fuse-elementwise,act-raise))"],
        capture_output=True, text=True, check=True).stdout
    found = sorted(set(re.findall(r"act\.[a-z_0-9]+", raised)),
                   key=raised.index)
    problems = []
    if ops and found != ops:
        problems.append("raised to %s, expected %s" % (found, ops))
    if not ops and found:
        problems.append("raised to %s, expected nothing" % found)
    out = os.path.join(work, name + ".out.npy")
    proc = subprocess.run([act_run, path, "--input=@" + x_path,
                           "--output=@" + out], capture_output=True, text=True)
    if proc.returncode != 0:
        problems.append("act-run: exit %d: %s" % (proc.returncode,
                                                  proc.stderr.strip()))
    else:
        with torch.no_grad():
            want = module(torch.from_numpy(X)).numpy()
        got = np.load(out)
        problems += compare(name, X.ravel(), got.ravel(), want.ravel(),
                            bool(ops))
        if not ops:
            # What torch-mlir's clamp gives for NaN: the lower bound.
            nan_out = got.ravel()[np.isnan(X.ravel())]
            if np.isnan(nan_out).any():
                problems.append("torch-mlir's body now keeps NaN: raise it")
    if problems:
        failed += 1
        print("%s: FAILED" % name)
        for p in problems:
            print("  " + p)
    else:
        print("%s: ok%s" % (name, " " + " ".join(found) if ops else
                             ", not raised"))
print("%d failed" % failed)
sys.exit(1 if failed else 0)
