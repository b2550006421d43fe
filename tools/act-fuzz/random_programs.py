"""Random act programs, compiled by act-to-llvm and checked by act-run
--verify against the double-precision reference (differential testing).

    .venv/bin/python tools/act-fuzz/random_programs.py --count=N [--seed=S]
        [--act-run=build/bin/act-run] [--keep=DIR] [--json=FILE]

Three kinds of programs, on shapes with sizes 0, 1, odd and around a vector
tile, in f32 (mostly), f64, f16 and bf16:
- elementwise DAGs of 1-6 ops on one or two inputs: activations with random
  valid parameters, softmax-family ops along a random dimension, and
  elementwise adds, subtractions and products of earlier values; one or two
  results;
- dense layers: a matmul (plain, batched, with a transposed weight as
  indexing maps or as a linalg.transpose, or as a linalg.generic), an
  optional bias, a chain of activations, sometimes a second matmul
  multiplied in (SwiGLU's gate), a residual add and a row softmax or
  log_softmax;
- attention: softmax(Q K^T s [+ mask]) V in 2-D or batched, the mask
  additive or causal;
- gradients: an elementwise or dense program in f32 or f64 through
  act-opt --act-differentiate, its @f_vjp checked with a random cotangent
  per result.
Inputs are .npy files scaled as a layer's are (weights ~ 1/sqrt(K)), with
NaN and infinities in some. A program fails when act-run crashes, rejects
valid IR, or --verify exits 2 (beyond the propagated bound); failing programs
are written to --keep with their inputs. The same seed gives the same
programs on every machine. Prints a summary line "N programs, N failed".
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

import numpy as np

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


def elementwise_program(r, types=TYPES):
    """MLIR text of one random elementwise program and its input specs."""
    rank = r.choice([1, 1, 2, 2, 3])
    shape = [r.choice(SIZES) for _ in range(rank)]
    if r.random() < 0.8:  # mostly non-empty tensors
        shape = [max(d, 1) for d in shape]
    et = r.choice(types)
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


def tensor_type(shape, et):
    return "tensor<" + "".join(f"{d}x" for d in shape) + et + ">"


NP_TYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
            "bf16": np.float32}  # act-run takes bf16 arguments as f32 .npy


def array(r, shape, scale, et, special):
    """A uniform [-scale, scale) input; `special`: a few NaN and infinities."""
    rng = np.random.default_rng(r.randrange(1 << 30))
    a = (rng.uniform(-1, 1, size=shape) * scale).astype(NP_TYPES[et])
    if special and a.size:
        for v in (np.nan, np.inf, -np.inf):
            if r.random() < 0.5:
                a.flat[r.randrange(a.size)] = v
    return a


def unary_chain(r, lines, x, ty, count):
    for i in range(count):
        mnemonic, params = r.choice(UNARY)
        attrs = params(r)
        name = f"%u{len(lines)}"
        lines.append(f"  {name} = act.{mnemonic} {x}{' ' + attrs if attrs else ''} : {ty}")
        x = name
    return x


def matmul(r, lines, res, a, b, m, k, n, batch, et, form):
    """res = a b (a: [batch..] m x k; b: [batch..] k x n, or n x k for the
    transposed forms), from a fill of 0."""
    bd = [batch] if batch else []
    tc = tensor_type(bd + [m, n], et)
    ta = tensor_type(bd + [m, k], et)
    tb = tensor_type(bd + ([n, k] if form in ("maps", "transpose", "generic_t") else [k, n]), et)
    lines.append(f"  %e_{res} = tensor.empty() : {tc}")
    lines.append(f"  %z_{res} = linalg.fill ins(%zero : {et}) outs(%e_{res} : {tc}) -> {tc}")
    name = "linalg.batch_matmul" if batch else "linalg.matmul"
    if form == "plain":
        lines.append(f"  %{res} = {name} ins({a}, {b} : {ta}, {tb}) outs(%z_{res} : {tc}) -> {tc}")
    elif form == "maps":
        if batch:
            maps = ("affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>, "
                    "affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>")
        else:
            maps = ("affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, "
                    "affine_map<(m, n, k) -> (m, n)>")
        lines.append(f"  %{res} = {name} indexing_maps = [{maps}] ins({a}, {b} : {ta}, {tb}) "
                     f"outs(%z_{res} : {tc}) -> {tc}")
    elif form == "transpose":
        tt = tensor_type(bd + [k, n], et)
        perm = "[0, 2, 1]" if batch else "[1, 0]"
        lines.append(f"  %et_{res} = tensor.empty() : {tt}")
        lines.append(f"  %t_{res} = linalg.transpose ins({b} : {tb}) outs(%et_{res} : {tt}) permutation = {perm}")
        lines.append(f"  %{res} = {name} ins({a}, %t_{res} : {ta}, {tt}) outs(%z_{res} : {tc}) -> {tc}")
    else:  # generic, generic_t
        bl = ["b"] if batch else []
        dims = ", ".join(bl + ["i", "j", "kk"])
        amap = lambda idx: f"affine_map<({dims}) -> ({', '.join(bl + idx)})>"
        bidx = ["j", "kk"] if form == "generic_t" else ["kk", "j"]
        its = ", ".join(['"parallel"'] * (len(bl) + 2) + ['"reduction"'])
        lines += [
            f"  %{res} = linalg.generic {{indexing_maps = [{amap(['i', 'kk'])}, {amap(bidx)}, "
            f"{amap(['i', 'j'])}], iterator_types = [{its}]}} ins({a}, {b} : {ta}, {tb}) "
            f"outs(%z_{res} : {tc}) {{",
            f"  ^bb0(%pa_{res}: {et}, %pb_{res}: {et}, %acc_{res}: {et}):",
            f"    %pr_{res} = arith.mulf %pa_{res}, %pb_{res} : {et}",
            f"    %sm_{res} = arith.addf %acc_{res}, %pr_{res} : {et}",
            f"    linalg.yield %sm_{res} : {et}",
            f"  }} -> {tc}"]
    return f"%{res}", tb


MATMUL_SIZES = [1, 2, 3, 7, 8, 16, 17, 33, 64, 100]
K_SIZES = [1, 3, 8, 17, 33, 64, 129]


def dense_program(r, types=("f32",) * 6 + ("f64", "f16", "bf16")):
    """A dense layer and what follows it; returns (text, input arrays)."""
    et = r.choice(types)
    m, k, n = r.choice(MATMUL_SIZES), r.choice(K_SIZES), r.choice(MATMUL_SIZES)
    batch = r.choice([0, 0, 0, 1, 3])
    form = r.choice(["plain", "plain", "maps", "transpose", "generic", "generic_t"])
    special = r.random() < 0.15
    bd = [batch] if batch else []
    ty = tensor_type(bd + [m, n], et)
    args, arrays, lines = [], [], [f"  %zero = arith.constant 0.0 : {et}"]

    def arg(name, shape, scale, sp=False):
        args.append(f"%{name}: {tensor_type(shape, et)}")
        arrays.append(array(r, shape, scale, et, sp))
        return f"%{name}"

    x = arg("x", bd + [m, k], 1.0, special)
    wshape = bd + ([n, k] if form in ("maps", "transpose", "generic_t") else [k, n])
    w = arg("w", wshape, (3.0 / k) ** 0.5 * 1.7)
    y, _ = matmul(r, lines, "mm", x, w, m, k, n, batch, et, form)
    if r.random() < 0.6:
        b = arg("b", [n], 1.0)
        dims = "[0, 1]" if batch else "[0]"
        lines.append(f"  %eb = tensor.empty() : {ty}")
        lines.append(f"  %bb = linalg.broadcast ins({b} : {tensor_type([n], et)}) outs(%eb : {ty}) dimensions = {dims}")
        lines.append(f"  %biased = arith.addf {y}, %bb : {ty}")
        y = "%biased"
    y = unary_chain(r, lines, y, ty, r.choice([0, 1, 1, 2, 3]))
    if r.random() < 0.2:  # SwiGLU's gate: times a second matmul of x
        w3 = arg("w3", wshape, (3.0 / k) ** 0.5 * 1.7)
        g, _ = matmul(r, lines, "mm3", x, w3, m, k, n, batch, et, form)
        lines.append(f"  %gated = arith.mulf {y}, {g} : {ty}")
        y = "%gated"
    if r.random() < 0.2:
        res = arg("res", bd + [m, n], 1.0)
        lines.append(f"  %resid = arith.addf {y}, {res} : {ty}")
        y = "%resid"
    if r.random() < 0.3:
        op = r.choice(["softmax", "log_softmax"])
        lines.append(f"  %rows = act.{op} {y} : {ty}")
        y = "%rows"
    text = (f"func.func @f({', '.join(args)}) -> {ty} {{\n" + "\n".join(lines)
            + f"\n  return {y} : {ty}\n}}\n")
    return text, arrays


def attention_program(r):
    """softmax(Q K^T s [+ mask]) V; returns (text, input arrays)."""
    et = r.choice(["f32"] * 5 + ["f64"])
    batch = r.choice([0, 0, 2])
    L, S = r.choice([1, 7, 17, 33, 100]), r.choice([1, 7, 17, 33, 100])
    d = r.choice([8, 16, 32, 64])
    bd = [batch] if batch else []
    T = tensor_type(bd + [L, S], et)
    args, arrays = [], []

    def arg(name, shape, scale, sp=False):
        args.append(f"%{name}: {tensor_type(shape, et)}")
        arrays.append(array(r, shape, scale, et, sp))
        return f"%{name}"

    q = arg("q", bd + [L, d], 1.0, r.random() < 0.1)
    kk = arg("k", bd + [S, d], 1.0)
    v = arg("v", bd + [S, d], 1.0)
    lines = [f"  %zero = arith.constant 0.0 : {et}"]
    sc, _ = matmul(r, lines, "sc", q, kk, L, d, S, batch, et, r.choice(["maps", "transpose", "generic_t"]))
    lines.append(f"  %scale = arith.constant dense<{1 / d ** 0.5!r}> : {T}")
    lines.append(f"  %scaled = arith.mulf {sc}, %scale : {T}")
    x = "%scaled"
    mask = r.choice([None, None, "full", "causal"])
    if mask == "full":
        mk = arg("mask", bd + [L, S], 2.0)
        lines.append(f"  %masked = arith.addf {x}, {mk} : {T}")
        x = "%masked"
    elif mask == "causal":
        rank = len(bd) + 2
        idm = "affine_map<(%s) -> (%s)>" % ((", ".join(f"d{i}" for i in range(rank)),) * 2)
        parallel = ", ".join(['"parallel"'] * rank)
        lines += [
            f"  %ninf = arith.constant 0xFF800000 : f32" if et == "f32" else
            f"  %ninf = arith.constant 0xFFF0000000000000 : f64",
            f"  %ec = tensor.empty() : {T}",
            f"  %masked = linalg.generic {{indexing_maps = [{idm}, {idm}], iterator_types = "
            f"[{parallel}]}} ins({x} : {T}) outs(%ec : {T}) {{",
            f"  ^bb0(%xs: {et}, %os: {et}):",
            f"    %ii = linalg.index {rank - 2} : index",
            f"    %jj = linalg.index {rank - 1} : index",
            f"    %above = arith.cmpi ugt, %jj, %ii : index",
            f"    %sel = arith.select %above, %ninf, %xs : {et}",
            f"    linalg.yield %sel : {et}",
            f"  }} -> {T}"]
        x = "%masked"
    lines.append(f"  %p = act.softmax {x} : {T}")
    o, _ = matmul(r, lines, "o", "%p", v, L, S, d, batch, et, "plain")
    O = tensor_type(bd + [L, d], et)
    text = (f"func.func @f({', '.join(args)}) -> {O} {{\n" + "\n".join(lines)
            + f"\n  return {o} : {O}\n}}\n")
    return text, arrays


def gradient_program(r):
    """An elementwise or dense program in f32 or f64, for act-differentiate:
    its inputs are followed by one random cotangent per result."""
    base = elementwise_program if r.random() < 0.5 else dense_program
    text, inputs = base(r, types=("f32",) * 3 + ("f64",))
    signature = text.splitlines()[0]
    results = signature[signature.index(") -> ") + 5:-2].strip("()").split(", ")
    for ty in results:
        inputs.append(ty[len("tensor<"):-1] + f"=random:{r.randrange(1 << 30)}")
    return text, inputs


def program(r):
    """(kind, MLIR text, inputs): input specs (str) or arrays for .npy files.
    For "gradient", the function to check is @f_vjp of act-differentiate."""
    kind = r.random()
    if kind < 0.5:
        return ("elementwise",) + elementwise_program(r)
    if kind < 0.77:
        return ("dense",) + dense_program(r)
    if kind < 0.85:
        return ("attention",) + attention_program(r)
    return ("gradient",) + gradient_program(r)


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
    act_opt = os.path.join(os.path.dirname(args.act_run), "act-opt")
    r = random.Random(args.seed)
    failures = []
    kinds = {}
    work = os.path.join(args.keep, ".work")
    os.makedirs(work, exist_ok=True)
    for i in range(args.count):
        kind, text, inputs = program(r)
        kinds[kind] = kinds.get(kind, 0) + 1
        path = os.path.join(work, "program.mlir")
        with open(path, "w") as f:
            f.write(text)
        specs = []
        for j, a in enumerate(inputs):
            if isinstance(a, str):
                specs.append(a)
            else:
                np.save(os.path.join(work, f"input{j}.npy"), a)
                specs.append(f"@{os.path.join(work, f'input{j}.npy')}")
        cmd = [args.act_run, path, "--verify", "--threads=1"] + [f"--input={s}" for s in specs]
        try:
            code, log = 0, ""
            if kind == "gradient":
                vjp = os.path.join(work, "vjp.mlir")
                differentiate = [act_opt, path, "--act-differentiate=function=f", "-o", vjp]
                done = subprocess.run(differentiate, capture_output=True, text=True,
                                      timeout=args.timeout)
                code, log = done.returncode, "$ " + " ".join(differentiate[1:]) + "\n" + done.stderr
                cmd[1:2] = [vjp, "--function=f_vjp"]
            if code == 0:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                code, log = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired:
            code, log = "timeout", ""
        if code != 0:
            kept = os.path.join(args.keep, f"program{i}.mlir")
            for j, a in enumerate(inputs):
                if not isinstance(a, str):
                    shutil.copy(os.path.join(work, f"input{j}.npy"),
                                os.path.join(args.keep, f"program{i}-input{j}.npy"))
            with open(kept, "w") as f:
                f.write(f"// act-run {' '.join(cmd[2:])}\n// exit {code}\n")
                f.write("".join(f"// {line}\n" for line in log.splitlines()[-6:]))
                f.write(text)
            failures.append({"index": i, "exit": code, "file": kept,
                             "last": log.strip().splitlines()[-1][:300] if log.strip() else ""})
            print(f"program {i}: exit {code}: {failures[-1]['last']}", flush=True)
    summary = {"count": args.count, "seed": args.seed, "kinds": kinds,
               "failed": len(failures), "failures": failures}
    print(", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    print(f"{args.count} programs, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
