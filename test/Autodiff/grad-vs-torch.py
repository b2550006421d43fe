# The gradient of every act op, as act-differentiate builds it and act-run
# runs it, against (a) PyTorch autograd in float64 on the same f32 inputs --
# special values (+-0, +-Inf, NaN, denormals), every kink and its neighbours,
# 4096 uniform points in [-8, 8) and 4096 of log-uniform magnitude from 1e-30
# to 100 --
# and (b) central finite differences, in f64, of act's own f64 forward.
#
# (a) allows 16 ulp of the reference's magnitude plus 2^-22 |dy| absolute:
# the from-output rules (sigmoid: y (1 - y), tanh: 1 - y^2, as PyTorch's
# own kernels compute them) carry y's rounding, 2^-24, into the derivative.
# (b) allows 1e-6 relative (h = 2^-20 max(1, |x|): the O(h^2) truncation and
# the rounding of f(x +- h) in f64 are both far below that), at points at
# least 1e-3 from a kink.
#
# RUN: %act_python %s act-opt act-run %t | FileCheck %s
# CHECK-NOT: FAILED
# CHECK: gradients: {{[0-9]+}} passed, 0 failed

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

act_opt, act_run, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(11)
passed = failed = 0

# name: (act op text, torch f64 function, kinks)
OPS = {
    "step": ("act.step %x", lambda x: (x >= 0).to(x.dtype) + 0 * x, [0.0]),
    "threshold": ("act.threshold %x {threshold = 0.5 : f64, value = -2.0 : f64}",
                  lambda x: F.threshold(x, 0.5, -2.0), [0.5]),
    "linear": ("act.linear %x {alpha = -1.5 : f64, beta = 0.25 : f64}",
               lambda x: -1.5 * x + 0.25, []),
    "sigmoid": ("act.sigmoid %x", torch.sigmoid, []),
    "hard_sigmoid": ("act.hard_sigmoid %x", F.hardsigmoid, [-3.0, 3.0]),
    "log_sigmoid": ("act.log_sigmoid %x", F.logsigmoid, []),
    "tanh": ("act.tanh %x", torch.tanh, []),
    "hard_tanh": ("act.hard_tanh %x {min_val = -2.0 : f64, max_val = 1.0 : f64}",
                  lambda x: F.hardtanh(x, -2.0, 1.0), [-2.0, 1.0]),
    "tanhshrink": ("act.tanhshrink %x", F.tanhshrink, []),
    "softshrink": ("act.softshrink %x {lambd = 0.75 : f64}",
                   lambda x: F.softshrink(x, 0.75), [-0.75, 0.75]),
    "hardshrink": ("act.hardshrink %x", lambda x: F.hardshrink(x, 0.5),
                   [-0.5, 0.5]),
    "softsign": ("act.softsign %x", F.softsign, []),
    "relu": ("act.relu %x", torch.relu, [0.0]),
    "relu6": ("act.relu6 %x", F.relu6, [0.0, 6.0]),
    "leaky_relu": ("act.leaky_relu %x {negative_slope = 0.2 : f64}",
                   lambda x: F.leaky_relu(x, 0.2), [0.0]),
    "leaky_relu_neg": ("act.leaky_relu %x {negative_slope = -0.5 : f64}",
                       lambda x: F.leaky_relu(x, -0.5), [0.0]),
    "rrelu": ("act.rrelu %x", lambda x: F.rrelu(x, 1 / 8, 1 / 3, training=False),
              [0.0]),
    "elu": ("act.elu %x {alpha = 0.5 : f64}", lambda x: F.elu(x, 0.5), [0.0]),
    "elu_neg": ("act.elu %x {alpha = -1.0 : f64}", lambda x: F.elu(x, -1.0),
                [0.0]),
    "celu": ("act.celu %x {alpha = 2.0 : f64}", lambda x: F.celu(x, 2.0), [0.0]),
    "selu": ("act.selu %x", F.selu, [0.0]),
    "gelu": ("act.gelu %x", F.gelu, []),
    "gelu_tanh": ("act.gelu %x approximate = tanh",
                  lambda x: F.gelu(x, approximate="tanh"), []),
    "silu": ("act.silu %x", F.silu, []),
    "swish": ("act.swish %x {beta = 1.5 : f64}",
              lambda x: x * torch.sigmoid(1.5 * x), []),
    "mish": ("act.mish %x", F.mish, []),
    "softplus": ("act.softplus %x {beta = 2.0 : f64, threshold = 10.0 : f64}",
                 lambda x: F.softplus(x, 2.0, 10.0), [5.0]),
    "hardswish": ("act.hardswish %x", F.hardswish, [-3.0, 3.0]),
}

# name: (op text, torch function of a [rows, n] tensor along dim -1)
DIM_OPS = {
    "softmax": ("act.softmax %x", lambda x: F.softmax(x, -1)),
    "log_softmax": ("act.log_softmax %x", lambda x: F.log_softmax(x, -1)),
    "softmin": ("act.softmin %x", lambda x: F.softmin(x, -1)),
}


def t(shape, ty):
    return "tensor<%sx%s>" % ("x".join(map(str, shape)), ty)


def module(op, shape):
    text = ""
    for ty in ("f32", "f64"):
        tt = t(shape, ty)
        text += ("func.func @f_%s(%%x: %s) -> %s {\n  %%y = %s : %s\n"
                 "  return %%y : %s\n}\n" % (ty, tt, tt, op, tt, tt))
    return text


def act(name, mlir, function, inputs, nresults):
    path = os.path.join(work, name + ".mlir")
    with open(path, "w") as f:
        f.write(mlir)
    diff = path + ".vjp.mlir"
    subprocess.run([act_opt, path, "--act-differentiate=function=f_f32",
                    "--act-differentiate=function=f_f64", "-o", diff],
                   check=True)
    args = [act_run, diff, "--function=" + function, "--threads=1"]
    for i, a in enumerate(inputs):
        p = os.path.join(work, "%s.%s.in%d.npy" % (name, function, i))
        np.save(p, a)
        args.append("--input=@" + p)
    outs = [os.path.join(work, "%s.%s.out%d.npy" % (name, function, i))
            for i in range(nresults)]
    args += ["--output=@" + p for p in outs]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        print("FAILED %s: act-run exit %d\n%s%s" % (name, r.returncode,
                                                   r.stdout, r.stderr))
        return None
    return [np.load(p) for p in outs]


def check(name, got, ref, allowed, x=None):
    global passed, failed
    got = np.asarray(got, np.float64)
    ref = np.asarray(ref, np.float64)
    nan_ok = np.array_equal(np.isnan(got), np.isnan(ref))
    inf = np.isinf(ref)
    inf_ok = np.array_equal(got[inf], ref[inf])
    finite = np.isfinite(ref)
    err = np.abs(got[finite] - ref[finite])
    use = float(np.max(err / allowed[finite])) if err.size else 0.0
    ok = nan_ok and inf_ok and use <= 1.0
    if not ok:
        bad = np.flatnonzero(~(np.isnan(got) == np.isnan(ref)) |
                             (np.abs(got - ref) > allowed))[:6]
        print("   at", None if x is None else np.asarray(x).flat[bad], "got",
              got.flat[bad], "ref", ref.flat[bad])
    print("%s %s: max err %.3g, %.3f of the bound%s" %
          ("ok" if ok else "FAILED", name, float(err.max()) if err.size else 0,
           use, "" if nan_ok and inf_ok else " (NaN/Inf mismatch)"))
    passed += ok
    failed += not ok
    return ok


def torch_grad(fn, x, dy):
    xt = torch.tensor(x.astype(np.float64), requires_grad=True)
    y = fn(xt)
    (dx,) = torch.autograd.grad(y, xt, torch.tensor(dy.astype(np.float64)),
                                allow_unused=True)
    return np.zeros_like(x, np.float64) if dx is None else dx.numpy()


SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 1e-7, -1e-7,
           1.0, -1.0, 3.0, -3.0, 6.0, 20.0, -20.0, 100.0, -100.0, 88.0, -88.0]

for name, (op, fn, kinks) in OPS.items():
    pts = SPECIAL + kinks + [np.nextafter(np.float32(k), np.float32(s))
                             for k in kinks for s in (-np.inf, np.inf)]
    # Random points: uniform in [-8, 8), and log-uniform magnitudes from
    # 1e-30 to 1e2 of either sign (tails and tiny inputs).
    wide = (rng.choice([-1.0, 1.0], 4096) *
            10.0 ** rng.uniform(-30, 2, 4096)).astype(np.float32)
    x = np.concatenate([np.array(pts, np.float32),
                        rng.uniform(-8, 8, 4096 - len(pts)).astype(np.float32),
                        wide])
    dy = rng.uniform(-2, 2, x.size).astype(np.float32)
    mlir = module(op.replace("%x", "%x"), [x.size])
    out = act(name, mlir, "f_f32_vjp", [x, dy], 2)
    if out is None:
        failed += 1
        continue
    ref = torch_grad(fn, x, dy)
    allowed = 16 * np.abs(ref) * 2.0**-24 + 2.0**-22 * np.abs(dy) + 1e-45
    check(name + " vs torch", out[1], ref, allowed, x)

    # Central differences of act's f64 forward, away from kinks.
    xs = rng.uniform(-8, 8, 128)
    xs = xs[np.all([np.abs(xs - k) > 1e-3 for k in kinks] + [xs == xs], 0)]
    h = 2.0**-20 * np.maximum(1.0, np.abs(xs))
    ones = np.ones_like(xs)
    fwd = act(name + ".fd", module(op, [2 * xs.size]), "f_f64",
              [np.concatenate([xs + h, xs - h])], 1)
    vjp = act(name + ".vjp64", mlir.replace(t([x.size], "f64"),
                                            t([xs.size], "f64")),
              "f_f64_vjp", [xs, ones], 2)
    if fwd is None or vjp is None:
        failed += 1
        continue
    fd = (fwd[0][:xs.size] - fwd[0][xs.size:]) / (2 * h)
    check(name + " vs finite differences", vjp[1], fd,
          1e-6 * np.maximum(1.0, np.abs(fd)))

for name, (op, fn) in DIM_OPS.items():
    rows = [rng.uniform(-8, 8, 37) for _ in range(5)]
    special = np.full(37, -np.inf)
    special[3] = 1.0
    special[9] = 2.0
    rows.append(special)                    # -Inf entries: zero probability
    rows.append(np.full(37, -np.inf))       # a fully masked row: NaN
    nan_row = rng.uniform(-8, 8, 37)
    nan_row[5] = np.nan
    rows.append(nan_row)
    rows.append(np.full(37, 3.0))           # a flat row
    big = rng.uniform(-8, 8, 37)
    big[0] = 80.0
    rows.append(big)
    x = np.array(rows, np.float32)
    dy = rng.uniform(-2, 2, x.shape).astype(np.float32)
    mlir = module(op, list(x.shape))
    out = act(name, mlir, "f_f32_vjp", [x, dy], 2)
    if out is None:
        failed += 1
        continue
    ref = torch_grad(fn, x, dy)
    scale = np.sum(np.abs(dy), -1, keepdims=True)
    allowed = 16 * np.abs(ref) * 2.0**-24 + 2.0**-22 * scale + 1e-45
    check(name + " vs torch", out[1], ref, allowed, x)
    xs = rng.uniform(-8, 8, (4, 37))
    dys = rng.uniform(-2, 2, xs.shape)
    # Directional derivative along e_j for a few j: <dy, J e_j> = dx_j.
    vjp = act(name + ".vjp64", mlir.replace(t(list(x.shape), "f64"),
                                            t(list(xs.shape), "f64")),
              "f_f64_vjp", [xs, dys], 2)
    if vjp is None:
        failed += 1
        continue
    fd = np.zeros_like(xs)
    probes = []
    for j in range(0, 37, 6):
        e = np.zeros_like(xs)
        e[:, j] = 2.0**-20
        probes += [xs + e, xs - e]
    fwd = act(name + ".fd", module(op, [len(probes) * 4, 37]), "f_f64",
              [np.concatenate(probes)], 1)
    if fwd is None:
        failed += 1
        continue
    y = fwd[0].reshape(len(probes), 4, 37)
    cols = list(range(0, 37, 6))
    for n, j in enumerate(cols):
        d = (y[2 * n] - y[2 * n + 1]) / 2.0**-19
        fd[:, j] = np.sum(d * dys, -1)
    check(name + " vs finite differences", vjp[1][:, cols], fd[:, cols],
          1e-6 * np.maximum(1.0, np.abs(fd[:, cols])))


# glu, maxout and prelu: their own shapes; prelu's slope gets a gradient too.
def multi(name, sig, body, results, inputs, fn):
    """Runs f_f32_vjp of `body` (f32) and checks every gradient against
    PyTorch autograd of fn on the same inputs."""
    global failed
    text = "func.func @f_f32(%s) -> %s {\n%s  return %%y : %s\n}\n" % (
        sig, results, body, results)
    text += text.replace("f32", "f64")
    ts = [torch.tensor(a.astype(np.float64), requires_grad=True)
          for a in inputs]
    y = fn(*ts)
    dy = rng.uniform(-2, 2, tuple(y.shape)).astype(np.float32)
    out = act(name, text, "f_f32_vjp", inputs + [dy], 1 + len(inputs))
    if out is None:
        failed += 1
        return
    refs = torch.autograd.grad(y, ts, torch.tensor(dy.astype(np.float64)))
    for i, (got, ref) in enumerate(zip(out[1:], refs)):
        ref = ref.numpy()
        # A gradient with fewer elements than dy is a sum (prelu's slope):
        # allow the f32 sum's error, 2^-22 sum |x dy| over what it sums.
        if ref.size < dy.size:
            scale = np.sum(np.nan_to_num(np.abs(inputs[0]) * np.abs(dy),
                                         nan=0.0, posinf=0.0))
        else:
            scale = np.max(np.abs(dy))
        allowed = 16 * np.abs(ref) * 2.0**-24 + 2.0**-22 * scale + 1e-45
        check("%s d%d vs torch" % (name, i), got, ref, allowed, inputs[i])


xg = rng.uniform(-8, 8, (6, 16)).astype(np.float32)
xg[0, :4] = [np.nan, np.inf, -np.inf, -0.0]
xg[0, 8:12] = [1.0, -np.inf, np.inf, np.nan]
multi("glu", "%x: tensor<6x16xf32>",
      "  %y = act.glu %x : tensor<6x16xf32> -> tensor<6x8xf32>\n",
      "tensor<6x8xf32>", [xg], lambda x: F.glu(x, -1))

xm = rng.uniform(-8, 8, (5, 12)).astype(np.float32)
xm[0, :3] = [2.0, 2.0, 1.0]            # a tie: half each
xm[0, 3:6] = [3.0, 3.0, 3.0]           # three-way tie
xm[1, :3] = [np.nan, 1.0, 2.0]         # a NaN group
xm[1, 3:6] = [-np.inf, -np.inf, -1.0]
xm[2, :3] = [np.inf, 1.0, np.inf]
multi("maxout", "%x: tensor<5x12xf32>",
      "  %y = act.maxout %x {groups = 3 : i64} : tensor<5x12xf32> -> tensor<5x4xf32>\n",
      "tensor<5x4xf32>", [xm], lambda x: x.unflatten(-1, (4, 3)).amax(-1))

xp = rng.uniform(-8, 8, (4, 3, 8)).astype(np.float32)
xp[0, 0, :6] = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-40]
sp = np.array([0.25, -0.5, 1.5], np.float32)
multi("prelu", "%x: tensor<4x3x8xf32>, %s: tensor<3xf32>",
      "  %y = act.prelu %x, %s : tensor<4x3x8xf32>, tensor<3xf32>\n",
      "tensor<4x3x8xf32>", [xp, sp], lambda x, w: F.prelu(x, w))
multi("prelu_shared", "%x: tensor<4x3x8xf32>, %s: tensor<1xf32>",
      "  %y = act.prelu %x, %s : tensor<4x3x8xf32>, tensor<1xf32>\n",
      "tensor<4x3x8xf32>",
      # No NaN here: it would make the whole shared slope's gradient NaN.
      [np.nan_to_num(xp, nan=0.5, posinf=7.0, neginf=-7.0),
       np.array([0.2], np.float32)],
      lambda x, w: F.prelu(x, w))

# Every backward op has a case here (by its forward op's name).
td = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "include/act/Dialect/Act/IR/ActOps.td")).read()
grads = set(re.findall(r'def Act_(\w+)GradOp : Act_UnaryGradOp<', td))
grads |= {m[:-5] for m in re.findall(r'def Act_\w+ : Act_\w+<"(\w+_grad)"', td)}
covered = {n.replace("_", "") for n in list(OPS) + list(DIM_OPS) +
           ["glu", "maxout", "prelu"]}
missing = sorted(g for g in grads if g.replace("_", "").lower() not in covered)
if missing:
    print("FAILED: backward ops without a case: " + ", ".join(missing))
    failed += 1

print("gradients: %d passed, %d failed" % (passed, failed))
