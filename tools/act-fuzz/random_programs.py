"""Random act programs, compiled by act-to-llvm and checked by act-run
--verify against the double-precision reference (differential testing).

    .venv/bin/python tools/act-fuzz/random_programs.py --count=N [--seed=S]
        [--act-run=build/bin/act-run] [--keep=DIR] [--json=FILE]

Each program is a DAG of 1-6 ops on one or two inputs of a random shape
(sizes 0, 1, odd, around a vector tile) and element type (mostly f32, also
f64, f16, bf16): activations with random valid parameters, softmax-family
ops along a random dimension, and elementwise adds and multiplies of
earlier values. It returns one or two of them. A program fails when act-run
crashes, rejects valid IR, or --verify exits 2 (beyond the propagated
bound); failing programs are written to --keep. The same seed gives the same
programs on every machine. Prints a summary line "N programs, N failed".
"""

import argparse
import json
import os
import random
import subprocess
import sys

# (mnemonic, parameter generator): the generator returns the attribute text.
def f64(v):
    return f"{v!r} : f64"


UNARY = [
    ("step", lambda r: ""),
    ("threshold", lambda r: f"{{threshold = {f64(r.uniform(-2, 2))}, value = {f64(r.uniform(-5, 5))}}}"),
    ("sigmoid", lambda r: ""),
    ("hard_sigmoid", lambda r: ""),
    ("log_sigmoid", lambda r: ""),
    ("tanh", lambda r: ""),
    ("hard_tanh", lambda r: (lambda lo: f"{{min_val = {f64(lo)}, max_val = {f64(lo + r.uniform(0.1, 4))}}}")(r.uniform(-3, 1))),
    ("tanhshrink", lambda r: ""),
    ("softshrink", lambda r: f"{{lambd = {f64(r.uniform(0, 2))}}}"),
    ("hardshrink", lambda r: f"{{lambd = {f64(r.uniform(0, 2))}}}"),
    ("softsign", lambda r: ""),
    ("relu", lambda r: ""),
    ("relu6", lambda r: ""),
    ("leaky_relu", lambda r: f"{{negative_slope = {f64(r.uniform(0, 1))}}}"),
    ("elu", lambda r: f"{{alpha = {f64(r.uniform(0.1, 3))}}}"),
    ("celu", lambda r: f"{{alpha = {f64(r.uniform(0.1, 3))}}}"),
    ("selu", lambda r: ""),
    ("gelu", lambda r: r.choice(["", "approximate = tanh"])),
    ("silu", lambda r: ""),
    ("mish", lambda r: ""),
    ("softplus", lambda r: f"{{beta = {f64(r.uniform(0.5, 3))}, threshold = {f64(r.uniform(5, 30))}}}"),
    ("hardswish", lambda r: ""),
]
ROW_OPS = ["softmax", "log_softmax", "softmin"]
SIZES = [0, 1, 1, 2, 3, 7, 8, 17, 31, 33, 64, 100]
TYPES = ["f32"] * 6 + ["f64", "f16", "bf16"]


def program(r):
    """MLIR text of one random program and its input specs."""
    rank = r.choice([1, 1, 2, 2, 3])
    shape = [r.choice(SIZES) for _ in range(rank)]
    if r.random() < 0.8:  # mostly non-empty tensors
        shape = [max(d, 1) for d in shape]
    et = r.choice(TYPES)
    ty = "tensor<" + "x".join(map(str, shape)) + f"x{et}>"
    inputs = r.choice([1, 1, 2])
    values = [f"%a{i}" for i in range(inputs)]
    body = []
    for k in range(r.randint(1, 6)):
        choice = r.random()
        name = f"%v{k}"
        if choice < 0.65:
            mnemonic, params = r.choice(UNARY)
            attrs = params(r)
            text = f"act.{mnemonic} {r.choice(values)}"
            if attrs.startswith("approximate"):
                text += " " + attrs
            elif attrs:
                text += " " + attrs
            body.append(f"  {name} = {text} : {ty}")
        elif choice < 0.8:
            dim = r.randrange(rank)
            body.append(f"  {name} = act.{r.choice(ROW_OPS)} {r.choice(values)} "
                        f"{{dim = {dim} : i64}} : {ty}")
        else:
            op = r.choice(["arith.addf", "arith.mulf", "arith.subf"])
            body.append(f"  {name} = {op} {r.choice(values)}, {r.choice(values)} : {ty}")
        values.append(name)
    results = [values[-1]]
    if len(values) > inputs + 1 and r.random() < 0.3:
        results.append(r.choice(values[inputs:-1]))
    args = ", ".join(f"%a{i}: {ty}" for i in range(inputs))
    text = (f"func.func @f({args}) -> ({', '.join([ty] * len(results))}) {{\n"
            + "\n".join(body)
            + f"\n  return {', '.join(results)} : {', '.join([ty] * len(results))}\n}}\n")
    specs = [f"{'x'.join(map(str, shape))}x{et}=random:{r.randrange(1 << 30)}"
             for _ in range(inputs)]
    return text, specs


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--act-run", default=os.path.join(root, "build", "bin", "act-run"))
    parser.add_argument("--keep", default="random-program-failures")
    parser.add_argument("--json")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)
    r = random.Random(args.seed)
    failures = []
    work = os.path.join(args.keep, ".work")
    os.makedirs(work, exist_ok=True)
    for i in range(args.count):
        text, specs = program(r)
        path = os.path.join(work, "program.mlir")
        with open(path, "w") as f:
            f.write(text)
        cmd = [args.act_run, path, "--verify", "--threads=1"] + [f"--input={s}" for s in specs]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
            code, log = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired:
            code, log = "timeout", ""
        if code != 0:
            kept = os.path.join(args.keep, f"program{i}.mlir")
            with open(kept, "w") as f:
                f.write(f"// act-run {' '.join(cmd[2:])}\n// exit {code}\n")
                f.write("".join(f"// {line}\n" for line in log.splitlines()[-6:]))
                f.write(text)
            failures.append({"index": i, "exit": code, "file": kept,
                             "last": log.strip().splitlines()[-1][:300] if log.strip() else ""})
            print(f"program {i}: exit {code}: {failures[-1]['last']}", flush=True)
    summary = {"count": args.count, "seed": args.seed, "failed": len(failures), "failures": failures}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    print(f"{args.count} programs, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
