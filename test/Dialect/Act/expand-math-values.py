# RUN: %act_python %s act-opt
#
# act-expand-math's f32 approximations, evaluated by constant folding the
# emitted arithmetic (act-opt --act-expand-math --canonicalize) at points
# spanning each function's ranges and special values, against mpmath
# (50 digits, rounded to f32): within 1 ulp, and exact where the result is
# exactly representable (0, +-1, 2, infinities).

import re
import subprocess
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50

# Points per function family, as f32.
EXP_POINTS = [-104.0, -87.5, -20.0, -3.5, -0.75, -1e-3, -1e-9, 0.0, 2.5e-2,
              0.5, 4.0, 60.0, 87.5, 88.7, 89.0]
LOG_POINTS = [1e-45, 1e-38, 1e-30, 1e-3, 0.25, 0.999, 1.0, 1.001, 3.0, 100.0,
              1e10, 3e38]
ERF_POINTS = [-9.0, -4.0, -2.0, -0.75, -1e-3, 0.0, 1e-5, 0.5, 1.0, 2.5, 4.0,
              9.0, 10.5]
CASES = [
    ("exp", EXP_POINTS, mp.exp),
    ("expm1", EXP_POINTS, mp.expm1),
    ("tanh", EXP_POINTS, mp.tanh),
    ("erf", ERF_POINTS, mp.erf),
    ("erfc", ERF_POINTS, mp.erfc),
    ("log1p", [x - 1 if x < 1 else x for x in LOG_POINTS] + [-0.5, -1.0],
     mp.log1p),
    ("log", LOG_POINTS, mp.log),
]


def f32(x):
    return np.float32(x)


def literal(x):
    return "0x%08X" % np.float32(x).view(np.uint32)


def main():
    act_opt = sys.argv[1]
    funcs = []
    for name, points, _ in CASES:
        n = len(points)
        vals = ", ".join(literal(p) for p in points)
        funcs.append(
            f"func.func @{name}() -> vector<{n}xf32> {{\n"
            f"  %c = arith.constant dense<[{vals}]> : vector<{n}xf32>\n"
            f"  %r = math.{name} %c : vector<{n}xf32>\n"
            f"  return %r : vector<{n}xf32>\n}}\n")
    out = subprocess.run(
        [act_opt, "-", "--act-expand-math", "--canonicalize",
         "--mlir-print-elementsattrs-with-hex-if-larger=0"],
        input="\n".join(funcs), capture_output=True, text=True, check=True
    ).stdout
    failures = 0
    for name, points, fn in CASES:
        body = re.search(r"func.func @%s\(\).*?\n  }" % name, out, re.S).group(0)
        if "math." in body:
            print(f"{name}: not expanded")
            failures += 1
            continue
        hexdata = re.search(r'dense<"0x([0-9A-F]+)">', body).group(1)
        got = np.frombuffer(bytes.fromhex(hexdata), dtype=np.float32)
        for x, g in zip(points, got):
            exact = fn(mp.mpf(float(f32(x))))
            ref = f32(float(exact)) if mp.isfinite(exact) else f32(
                float("inf") if exact > 0 else float("-inf"))
            if np.isnan(ref) or np.isinf(ref) or ref == 0 or abs(ref) == 1:
                ok = (g == ref) or (np.isnan(g) and np.isnan(ref))
                err = "exact" if ok else "differs"
            else:
                ulp = float(np.spacing(np.abs(ref)))
                err = abs(float(g) - float(exact)) / ulp
                ok = err <= 1.0
            if not ok:
                failures += 1
                print(f"{name}({float(f32(x))!r}) = {float(g)!r}, "
                      f"expected {float(ref)!r} ({err} ulp)")
    total = sum(len(p) for _, p, _ in CASES)
    print(f"{total} values, {failures} outside 1 ulp")
    return 1 if failures else 0


sys.exit(main())
