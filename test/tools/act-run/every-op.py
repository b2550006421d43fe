# Every act op, JIT-compiled by act-run and checked with --verify against the
# double-precision reference at its documented bound: odd shapes (1, 7, 17,
# 1000, 7x17), PyTorch's special values (NaN, +-Inf, +-0, denormals,
# FLT_MAX) and non-default parameters. Fails if a forward op in ActOps.td
# has no case here. (The backward ops, `*_grad`, are checked against
# PyTorch's autograd by test/Autodiff/grad-vs-torch.py.)
#
# RUN: %act_python %s act-run %act_src_root %t | FileCheck %s
# CHECK: 31 of 31 ops covered
# CHECK: 0 failed

import os
import re
import subprocess
import sys

act_run, src_root, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)

SPECIALS = ("nan inf -inf -0 0 1e-45 -1e-45 1.17549435e-38 "
            "3.40282347e38 -3.40282347e38 1 -1")
UNARY_SHAPES = ["1", "7", "17", "1000", "7x17"]

# (case name, op mnemonic, op text applied to %x).
UNARY = [
    ("step", "step", "act.step %x"),
    ("threshold", "threshold",
     "act.threshold %x {threshold = 0.1 : f64, value = 20.0 : f64}"),
    ("linear", "linear", "act.linear %x"),
    ("sigmoid", "sigmoid", "act.sigmoid %x"),
    ("hard_sigmoid", "hard_sigmoid", "act.hard_sigmoid %x"),
    ("log_sigmoid", "log_sigmoid", "act.log_sigmoid %x"),
    ("tanh", "tanh", "act.tanh %x"),
    ("hard_tanh", "hard_tanh", "act.hard_tanh %x"),
    ("hard_tanh_p", "hard_tanh",
     "act.hard_tanh %x {min_val = -2.0 : f64, max_val = 3.0 : f64}"),
    ("tanhshrink", "tanhshrink", "act.tanhshrink %x"),
    ("softshrink", "softshrink", "act.softshrink %x"),
    ("softshrink_p", "softshrink", "act.softshrink %x {lambd = 1.0 : f64}"),
    ("hardshrink", "hardshrink", "act.hardshrink %x"),
    ("hardshrink_p", "hardshrink", "act.hardshrink %x {lambd = 1.0 : f64}"),
    ("softsign", "softsign", "act.softsign %x"),
    ("relu", "relu", "act.relu %x"),
    ("relu6", "relu6", "act.relu6 %x"),
    ("leaky_relu", "leaky_relu", "act.leaky_relu %x"),
    ("leaky_relu_p", "leaky_relu",
     "act.leaky_relu %x {negative_slope = 0.2 : f64}"),
    ("rrelu", "rrelu", "act.rrelu %x"),
    ("rrelu_p", "rrelu", "act.rrelu %x {lower = 0.1 : f64, upper = 0.3 : f64}"),
    ("elu", "elu", "act.elu %x"),
    ("elu_p", "elu", "act.elu %x {alpha = 0.5 : f64}"),
    ("celu", "celu", "act.celu %x"),
    ("celu_p", "celu", "act.celu %x {alpha = 2.0 : f64}"),
    ("selu", "selu", "act.selu %x"),
    ("gelu", "gelu", "act.gelu %x"),
    ("gelu_tanh", "gelu", "act.gelu %x approximate = tanh"),
    ("silu", "silu", "act.silu %x"),
    ("swish", "swish", "act.swish %x"),
    ("mish", "mish", "act.mish %x"),
    ("softplus", "softplus", "act.softplus %x"),
    ("softplus_p", "softplus",
     "act.softplus %x {beta = 2.0 : f64, threshold = 5.0 : f64}"),
    ("hardswish", "hardswish", "act.hardswish %x"),
]

functions = []
cases = []  # (function, mnemonic, [input specs])


def tensor(shape, dtype="f32"):
    return "tensor<%s%s>" % (shape + "x" if shape else "", dtype)


def add_function(name, mnemonic, arg_types, body, result_types, inputs):
    args = ", ".join("%%a%d: %s" % (i, t) for i, t in enumerate(arg_types))
    functions.append("func.func @%s(%s) -> (%s) {\n%s  return %s : %s\n}\n" % (
        name, args, ", ".join(result_types), body,
        ", ".join("%%r%d" % i for i in range(len(result_types))),
        ", ".join(result_types)))
    cases.append((name, mnemonic, inputs))


for name, mnemonic, text in UNARY:
    shapes = UNARY_SHAPES + ["12"]
    types = [tensor(s) for s in shapes]
    body = "".join("  %%r%d = %s : %s\n" % (i, text.replace("%x", "%%a%d" % i), t)
                   for i, t in enumerate(types))
    inputs = ["%sxf32=random:%d" % (s, i + 1) for i, s in enumerate(UNARY_SHAPES)]
    inputs.append("12xf32=" + SPECIALS)
    add_function(name, mnemonic, types, body, types, inputs)

# Ops along a dimension: rows of 1, 17 and 1000, a reduction along dim 0,
# and rows holding NaN, +Inf, -Inf.
ROW_SPECIALS = "3x3xf32=nan 1 2, inf 1 2, -inf 0 1"
for op in ["softmax", "log_softmax", "softmin"]:
    specs = [("1x1", "-1"), ("7x17", "-1"), ("17x1000", "1"), ("17x7", "0"),
             ("3x3", "1")]
    types = [tensor(s) for s, _ in specs]
    body = "".join("  %%r%d = act.%s %%a%d {dim = %s : i64} : %s\n" %
                   (i, op, i, d, t) for i, ((s, d), t) in enumerate(zip(specs, types)))
    inputs = ["%sxf32=random:%d" % (s, i + 1) for i, (s, _) in enumerate(specs[:-1])]
    inputs.append(ROW_SPECIALS)
    add_function(op, op, types, body, types, inputs)

add_function(
    "glu", "glu", [tensor("2"), tensor("7x34"), tensor("34x7"), tensor("2x4")],
    "  %r0 = act.glu %a0 : tensor<2xf32> -> tensor<1xf32>\n"
    "  %r1 = act.glu %a1 : tensor<7x34xf32> -> tensor<7x17xf32>\n"
    "  %r2 = act.glu %a2 {dim = 0 : i64} : tensor<34x7xf32> -> tensor<17x7xf32>\n"
    "  %r3 = act.glu %a3 : tensor<2x4xf32> -> tensor<2x2xf32>\n",
    [tensor("1"), tensor("7x17"), tensor("17x7"), tensor("2x2")],
    ["2xf32=random:1", "7x34xf32=random:2", "34x7xf32=random:3",
     "2x4xf32=nan 1 2 3, inf -inf 0 -0"])
add_function(
    "maxout", "maxout", [tensor("1x1"), tensor("7x21"), tensor("1x1000"),
                         tensor("2x4")],
    "  %r0 = act.maxout %a0 {groups = 1 : i64} : tensor<1x1xf32> -> tensor<1x1xf32>\n"
    "  %r1 = act.maxout %a1 {groups = 3 : i64} : tensor<7x21xf32> -> tensor<7x7xf32>\n"
    "  %r2 = act.maxout %a2 {groups = 10 : i64} : tensor<1x1000xf32> -> tensor<1x100xf32>\n"
    "  %r3 = act.maxout %a3 {groups = 2 : i64} : tensor<2x4xf32> -> tensor<2x2xf32>\n",
    [tensor("1x1"), tensor("7x7"), tensor("1x100"), tensor("2x2")],
    ["1x1xf32=random:1", "7x21xf32=random:2", "1x1000xf32=random:3",
     "2x4xf32=nan 1 -inf -0, 0 -0 inf 1e-45"])
add_function(
    "prelu", "prelu",
    [tensor("1"), tensor("1"), tensor("7x17"), tensor("17"), tensor("1000"),
     tensor("1"), tensor("12"), tensor("1")],
    "  %r0 = act.prelu %a0, %a1 : tensor<1xf32>, tensor<1xf32>\n"
    "  %r1 = act.prelu %a2, %a3 : tensor<7x17xf32>, tensor<17xf32>\n"
    "  %r2 = act.prelu %a4, %a5 : tensor<1000xf32>, tensor<1xf32>\n"
    "  %r3 = act.prelu %a6, %a7 : tensor<12xf32>, tensor<1xf32>\n",
    [tensor("1"), tensor("7x17"), tensor("1000"), tensor("12")],
    ["1xf32=random:1", "1xf32=0.25", "7x17xf32=random:2", "17xf32=random:3",
     "1000xf32=random:4", "1xf32=-0.5", "12xf32=" + SPECIALS, "1xf32=0.25"])

path = os.path.join(work, "every-op.mlir")
with open(path, "w") as f:
    f.write("\n".join(functions))

td = open(os.path.join(src_root, "include/act/Dialect/Act/IR/ActOps.td")).read()
all_ops = {m for m in re.findall(r'def Act_\w+Op : Act_\w+<"(\w+)"', td)
           if not m.endswith("_grad")}
covered = {m for _, m, _ in cases}
missing = sorted(all_ops - covered)
print("%d of %d ops covered%s" % (len(all_ops & covered), len(all_ops),
                                  (": missing " + ", ".join(missing)) if missing else ""))

failed = 0
checked = 0
for name, _, inputs in cases:
    cmd = [act_run, path, "--function=" + name, "--verify"]
    cmd += ["--input=" + i for i in inputs]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    verdicts = [l for l in proc.stdout.splitlines() if l.startswith("result #")]
    bad = [l for l in verdicts if " - ok (" not in l]
    checked += len(verdicts)
    if proc.returncode != 0 or bad or not verdicts:
        failed += 1
        print("FAILED @%s (exit %d)" % (name, proc.returncode))
        for l in bad:
            print("  " + l)
        if proc.stderr:
            print("  " + proc.stderr.strip())
print("%d functions, %d results verified, %d failed" % (len(cases), checked, failed))
sys.exit(1 if failed or missing else 0)
