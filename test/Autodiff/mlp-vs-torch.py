# The training example's gradients (examples/mlp-training/mlp.mlir, through
# act-differentiate and act-run) against PyTorch autograd in float64 on the
# same f32 inputs, then one SGD step of @train_step against the same update
# in PyTorch.
#
# Bound, per gradient tensor G: max |G - G_ref| <= 2^-24 * 4 * N * max |G_ref|
# with N = 64 + 256 + 10 + 32 = 362, the terms summed along the longest
# chain of dot products from the loss to a weight (the batch sum of dW, the
# hidden sum of dH, the input sum of the forward): each f32 sum of n terms
# errs by at most n * 2^-24 times the sum of the terms' magnitudes, and with
# these random inputs the magnitudes stay within a small factor (< 4) of the
# result's largest entry. The loss itself: 4 * N ulp.
#
# RUN: %act_python %s act-opt act-run %act_src_root %t | FileCheck %s
# CHECK-NOT: FAILED
# CHECK: mlp: 7 passed, 0 failed

import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

act_opt, act_run, src, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(3)
passed = failed = 0
N = 64 + 256 + 10 + 32

mlir = os.path.join(work, "mlp.vjp.mlir")
subprocess.run([act_opt, os.path.join(src, "examples/mlp-training/mlp.mlir"),
                "--act-differentiate=function=loss wrt=2,3,4,5", "-o", mlir],
               check=True)

x = rng.standard_normal((32, 64)).astype(np.float32)
labels = rng.integers(0, 10, 32)
y = np.eye(10, dtype=np.float32)[labels]
w1 = (rng.standard_normal((64, 256)) * 0.18).astype(np.float32)
b1 = (rng.standard_normal(256) * 0.1).astype(np.float32)
w2 = (rng.standard_normal((256, 10)) * 0.09).astype(np.float32)
b2 = (rng.standard_normal(10) * 0.1).astype(np.float32)
lr = np.array(0.05, np.float32)


def run(function, inputs, nresults):
    args = [act_run, mlir, "--function=" + function]
    for i, a in enumerate(inputs):
        p = os.path.join(work, "%s.in%d.npy" % (function, i))
        np.save(p, a)
        args.append("--input=@" + p)
    outs = [os.path.join(work, "%s.out%d.npy" % (function, i))
            for i in range(nresults)]
    args += ["--output=@" + p for p in outs]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        print("FAILED %s: act-run exit %d\n%s%s" % (function, r.returncode,
                                                   r.stdout, r.stderr))
        sys.exit(1)
    return [np.load(p) for p in outs]


def check(name, got, ref, scale=None):
    global passed, failed
    ref = np.asarray(ref, np.float64)
    err = float(np.max(np.abs(np.asarray(got, np.float64) - ref)))
    bound = 2.0**-24 * 4 * N * float(np.max(np.abs(ref if scale is None
                                                   else scale)))
    ok = err <= bound
    print("%s %s: max err %.3g, %.3f of the bound" %
          ("ok" if ok else "FAILED", name, err, err / bound))
    passed += ok
    failed += not ok


# Gradients.
loss, dw1, db1, dw2, db2 = run("loss_vjp", [x, y, w1, b1, w2, b2,
                                            np.array(1.0, np.float32)], 5)
t = {k: torch.tensor(v.astype(np.float64), requires_grad=True)
     for k, v in dict(w1=w1, b1=b1, w2=w2, b2=b2).items()}
xt, yt = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
h = F.gelu(xt @ t["w1"] + t["b1"])
lp = F.log_softmax(h @ t["w2"] + t["b2"], -1)
ref_loss = -(yt * lp).sum() / 32
ref_loss.backward()
check("loss", loss, ref_loss.detach().numpy())
for name, got in [("w1", dw1), ("b1", db1), ("w2", dw2), ("b2", db2)]:
    check("d" + name, got, t[name].grad.numpy())

# One SGD step: the new weights w - lr * dw, from @train_step.
new = run("train_step", [x, y, w1, b1, w2, b2, lr], 5)
for name, got in [("w1", new[1]), ("b2", new[4])]:
    ref = t[name].detach().numpy() - float(lr) * t[name].grad.numpy()
    check("sgd " + name, got, ref)

print("mlp: %d passed, %d failed" % (passed, failed))
