# Constant folding of every elementwise act op against PyTorch.
#
# For each case (op x parameter set x element type) this writes a function
# whose body is one constant input feeding the op, folds the whole module with
# a single `act-opt --canonicalize` call, reads back the folded constants bit
# for bit (hex) and compares them, element by element, with torch:
#   - NaN positions, infinities and the sign of zeros must equal torch's
#     result computed in the element type itself (what a PyTorch user sees);
#   - finite values must be within 1 ulp of torch's result computed in
#     float64 and rounded to the element type (folding computes in double
#     and rounds once, so this is normally exact).
#
# REQUIRES: python-venv
# RUN: %python %s act-opt
#
# Usage by hand: fold-vs-torch.py path/to/act-opt [--table]
# (--table prints what act and torch give for the special values, f32.)

import math
import re
import subprocess
import sys

import torch
import torch.nn.functional as F

DTYPES = {
    "f32": torch.float32,
    "f64": torch.float64,
    "f16": torch.float16,
    "bf16": torch.bfloat16,
}
INT_VIEW = {
    torch.float32: torch.int32,
    torch.float64: torch.int64,
    torch.float16: torch.int16,
    torch.bfloat16: torch.int16,
}

ORDINARY = [
    -100.0, -88.5, -30.0, -20.0, -10.0, -6.5, -6.0, -4.0, -3.5, -3.0, -2.5,
    -2.0, -1.5, -1.0, -0.75, -0.5, -0.3, -0.25, -0.1, -1e-3, -1e-6, 1e-6,
    1e-3, 0.1, 0.25, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 6.0,
    6.5, 9.75, 10.0, 10.5, 19.5, 20.0, 20.5, 30.0, 88.5, 100.0,
]


def special_values(dtype):
    """NaN, +-Inf, +-0, denormals, large magnitudes, for `dtype`."""
    fi = torch.finfo(dtype)
    tiny_denormal = fi.smallest_normal * fi.eps  # the smallest denormal
    mid_denormal = fi.smallest_normal / 8
    large = [1e4, 6e4, fi.max]
    if dtype != torch.float16:
        large += [1e10, 1e30]
    if dtype == torch.float64:
        large += [1e200]
    out = [math.nan, math.inf, -math.inf, 0.0, -0.0, tiny_denormal,
           -tiny_denormal, mid_denormal, -mid_denormal, fi.smallest_normal,
           -fi.smallest_normal]
    for v in large:
        out += [v, -v]
    return out


def inputs(dtype):
    values = ORDINARY + special_values(dtype)
    # Rounded once to the type: act and torch see the very same bits.
    return torch.tensor(values, dtype=torch.float64).to(dtype)


# Each case: (name, op text with {x} and {t} for the operand and its type,
# torch function of a tensor, element types). Parameters are written in the
# IR as act-opt prints them back, so a failure message can be pasted into IR.
ALL = ["f32", "f64", "f16", "bf16"]
F32 = ["f32"]


def _sig(beta):
    return lambda x: x * torch.sigmoid(x * beta)


def _linear(alpha, beta):
    # act.linear with beta = 0 is a pure scaling (keeps -0); otherwise
    # alpha * x + beta.
    return (lambda x: x * alpha) if beta == 0.0 else (
        lambda x: x * alpha + beta)


def _heaviside(x):
    return torch.heaviside(x, torch.ones((), dtype=x.dtype))


CASES = [
    ("step", "act.step {x} : {t}", _heaviside, ALL),
    ("threshold", "act.threshold {x} {{threshold = 1.000000e-01 : f64, "
     "value = 2.000000e+01 : f64}} : {t}",
     lambda x: F.threshold(x, 0.1, 20.0), ALL),
    ("threshold", "act.threshold {x} {{threshold = 0.000000e+00 : f64, "
     "value = -0.000000e+00 : f64}} : {t}",
     lambda x: F.threshold(x, 0.0, -0.0), F32),
    ("linear", "act.linear {x} : {t}", _linear(1.0, 0.0), F32),
    ("linear", "act.linear {x} {{alpha = 2.000000e+00 : f64, "
     "beta = 1.000000e+00 : f64}} : {t}", _linear(2.0, 1.0), ALL),
    ("linear", "act.linear {x} {{alpha = -5.000000e-01 : f64}} : {t}",
     _linear(-0.5, 0.0), F32),
    ("sigmoid", "act.sigmoid {x} : {t}", torch.sigmoid, ALL),
    ("hard_sigmoid", "act.hard_sigmoid {x} : {t}", F.hardsigmoid, ALL),
    ("hard_sigmoid", "act.hard_sigmoid {x} {{alpha = 2.000000e-01 : f64}} "
     ": {t}", lambda x: torch.clamp(x * 0.2 + 0.5, 0.0, 1.0), F32),
    ("hard_sigmoid", "act.hard_sigmoid {x} {{alpha = 2.500000e-01 : f64, "
     "beta = 0.000000e+00 : f64}} : {t}",
     lambda x: torch.clamp(x * 0.25, 0.0, 1.0), F32),
    ("log_sigmoid", "act.log_sigmoid {x} : {t}", F.logsigmoid, ALL),
    ("tanh", "act.tanh {x} : {t}", torch.tanh, ALL),
    ("hard_tanh", "act.hard_tanh {x} : {t}", F.hardtanh, ALL),
    ("hard_tanh", "act.hard_tanh {x} {{max_val = 6.000000e+00 : f64, "
     "min_val = 0.000000e+00 : f64}} : {t}",
     lambda x: F.hardtanh(x, 0.0, 6.0), F32),
    ("hard_tanh", "act.hard_tanh {x} {{max_val = 2.000000e+00 : f64, "
     "min_val = -2.500000e+00 : f64}} : {t}",
     lambda x: F.hardtanh(x, -2.5, 2.0), F32),
    ("tanhshrink", "act.tanhshrink {x} : {t}", F.tanhshrink, ALL),
    ("softshrink", "act.softshrink {x} : {t}", F.softshrink, ALL),
    ("softshrink", "act.softshrink {x} {{lambd = 1.000000e+00 : f64}} : {t}",
     lambda x: F.softshrink(x, 1.0), F32),
    ("softshrink", "act.softshrink {x} {{lambd = 0.000000e+00 : f64}} : {t}",
     lambda x: F.softshrink(x, 0.0), F32),
    ("hardshrink", "act.hardshrink {x} : {t}", F.hardshrink, ALL),
    ("hardshrink", "act.hardshrink {x} {{lambd = 1.000000e+00 : f64}} : {t}",
     lambda x: F.hardshrink(x, 1.0), F32),
    ("hardshrink", "act.hardshrink {x} {{lambd = 0.000000e+00 : f64}} : {t}",
     lambda x: F.hardshrink(x, 0.0), F32),
    ("softsign", "act.softsign {x} : {t}", F.softsign, ALL),
    ("relu", "act.relu {x} : {t}", F.relu, ALL),
    ("relu6", "act.relu6 {x} : {t}", F.relu6, ALL),
    ("leaky_relu", "act.leaky_relu {x} : {t}", F.leaky_relu, ALL),
    ("leaky_relu", "act.leaky_relu {x} {{negative_slope = 2.000000e-01 : "
     "f64}} : {t}", lambda x: F.leaky_relu(x, 0.2), F32),
    ("leaky_relu", "act.leaky_relu {x} {{negative_slope = -1.500000e+00 : "
     "f64}} : {t}", lambda x: F.leaky_relu(x, -1.5), F32),
    ("leaky_relu", "act.leaky_relu {x} {{negative_slope = 0.000000e+00 : "
     "f64}} : {t}", lambda x: F.leaky_relu(x, 0.0), F32),
    ("rrelu", "act.rrelu {x} : {t}",
     lambda x: F.rrelu(x, training=False), ALL),
    ("rrelu", "act.rrelu {x} {{lower = 1.000000e-01 : f64, "
     "upper = 3.000000e-01 : f64}} : {t}",
     lambda x: F.rrelu(x, 0.1, 0.3, training=False), F32),
    ("elu", "act.elu {x} : {t}", F.elu, ALL),
    ("elu", "act.elu {x} {{alpha = 5.000000e-01 : f64}} : {t}",
     lambda x: F.elu(x, 0.5), F32),
    ("celu", "act.celu {x} : {t}", F.celu, ALL),
    ("celu", "act.celu {x} {{alpha = 2.000000e+00 : f64}} : {t}",
     lambda x: F.celu(x, 2.0), F32),
    ("celu", "act.celu {x} {{alpha = 3.000000e-01 : f64}} : {t}",
     lambda x: F.celu(x, 0.3), F32),
    ("selu", "act.selu {x} : {t}", F.selu, ALL),
    ("gelu", "act.gelu {x} : {t}", F.gelu, ALL),
    ("gelu", "act.gelu {x} approximate = tanh : {t}",
     lambda x: F.gelu(x, approximate="tanh"), ALL),
    ("silu", "act.silu {x} : {t}", F.silu, ALL),
    ("swish", "act.swish {x} : {t}", _sig(1.0), F32),
    ("swish", "act.swish {x} {{beta = 1.500000e+00 : f64}} : {t}", _sig(1.5),
     F32),
    ("swish", "act.swish {x} {{beta = -5.000000e-01 : f64}} : {t}",
     _sig(-0.5), F32),
    ("mish", "act.mish {x} : {t}", F.mish, ALL),
    ("softplus", "act.softplus {x} : {t}", F.softplus, ALL),
    ("softplus", "act.softplus {x} {{beta = 2.000000e+00 : f64, "
     "threshold = 1.000000e+01 : f64}} : {t}",
     lambda x: F.softplus(x, 2.0, 10.0), F32),
    ("softplus", "act.softplus {x} {{beta = 5.000000e-01 : f64}} : {t}",
     lambda x: F.softplus(x, 0.5), F32),
    ("hardswish", "act.hardswish {x} : {t}", F.hardswish, ALL),
]

# PReLU: input (1, C, N) with the values along N, a per-channel or shared
# slope.
PRELU_SLOPES = [[0.25, -1.5, 0.0], [0.25]]


def mlir_type(shape, name):
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), name)


def hex_attr(t):
    return '"0x%s"' % (
        t.contiguous().view(INT_VIEW[t.dtype]).numpy().tobytes().hex().upper())


def from_bits(data, dtype, count):
    """Decodes little-endian element bytes (one element: a splat)."""
    ints = torch.frombuffer(bytearray(data), dtype=INT_VIEW[dtype]).clone()
    vals = ints.view(dtype)
    if vals.numel() == 1 and count != 1:
        vals = vals.expand(count).clone()
    return vals


def parse_splat(text, dtype, count):
    text = text.strip()
    if text.startswith("0x"):
        width = torch.finfo(dtype).bits // 4
        return from_bits(int(text, 16).to_bytes(width // 2, "little"), dtype,
                         count)
    # Decimal splats are printed so that they read back exactly.
    return torch.full((count,), float(text), dtype=torch.float64).to(dtype)


def ordinal(t):
    """Integers ordered like the floats, adjacent floats 1 apart."""
    bits = t.view(INT_VIEW[t.dtype]).to(torch.int64)
    width = torch.finfo(t.dtype).bits
    sign = (bits >> (width - 1)) & 1
    mag = bits & ((1 << (width - 1)) - 1)
    return torch.where(sign == 1, -mag, mag)


class Case:
    def __init__(self, name, op, fn, dtype_name, slope=None):
        self.name, self.op, self.fn, self.slope = name, op, fn, slope
        self.dtype_name = dtype_name
        self.dtype = DTYPES[dtype_name]
        self.x = inputs(self.dtype)
        self.shape = [self.x.numel()]
        if slope is not None:
            self.x = self.x.reshape(1, 1, -1).expand(1, 3, -1).contiguous()
            self.shape = list(self.x.shape)
            self.w = torch.tensor(slope, dtype=torch.float64).to(self.dtype)

    def label(self):
        return "%s [%s]" % (self.op.format(x="%x", t=self.type()), "")[:-3]

    def type(self):
        return mlir_type(self.shape, self.dtype_name)

    def func(self, index):
        t = self.type()
        lines = ["func.func @case%d() -> %s {" % (index, t),
                 "  %%x = arith.constant dense<%s> : %s" % (hex_attr(self.x), t)]
        if self.slope is None:
            lines.append("  %%y = %s" % self.op.format(x="%x", t=t))
        else:
            wt = mlir_type([len(self.slope)], self.dtype_name)
            lines.append("  %%w = arith.constant dense<%s> : %s" %
                         (hex_attr(self.w), wt))
            lines.append("  %%y = act.prelu %%x, %%w : %s, %s" % (t, wt))
        lines += ["  return %%y : %s" % t, "}"]
        return "\n".join(lines)

    def torch_results(self):
        if self.slope is None:
            native = self.fn(self.x)
            wide = self.fn(self.x.double()).to(self.dtype)
        else:
            native = F.prelu(self.x, self.w)
            wide = F.prelu(self.x.double(), self.w.double()).to(self.dtype)
        return native.reshape(-1), wide.reshape(-1)


def build_cases():
    cases = []
    for name, op, fn, dtypes in CASES:
        for d in dtypes:
            cases.append(Case(name, op, fn, d))
    for slope in PRELU_SLOPES:
        for d in (ALL if len(slope) > 1 else F32):
            cases.append(Case("prelu", "act.prelu %s" % slope, None, d,
                              slope=slope))
    return cases


FUNC_RE = re.compile(
    r"func\.func @case(\d+)\(\).*?\{(.*?)\n  \}", re.S)
CONST_RE = re.compile(
    r"(%\S+) = arith\.constant dense<(\"0x[0-9A-F]+\"|[^>]+)> : (\S+)")
RETURN_RE = re.compile(r"return (%\S+) :")


def fold(act_opt, cases):
    module = "\n".join(c.func(i) for i, c in enumerate(cases))
    proc = subprocess.run(
        [act_opt, "--canonicalize",
         "--mlir-print-elementsattrs-with-hex-if-larger=0"],
        input=module, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("act-opt failed:\n" + proc.stderr)
    results, errors = {}, []
    for m in FUNC_RE.finditer(proc.stdout):
        index, body = int(m.group(1)), m.group(2)
        case = cases[index]
        count = case.x.numel()
        ret = RETURN_RE.search(body)
        consts = {c.group(1): c for c in CONST_RE.finditer(body)}
        if "act." in body or not ret or ret.group(1) not in consts:
            errors.append("%s (%s): did not fold to a constant:%s" %
                          (case.op, case.dtype_name, body))
            continue
        text = consts[ret.group(1)].group(2)
        if text.startswith('"'):
            vals = from_bits(bytes.fromhex(text[3:-1]), case.dtype, count)
        else:
            vals = parse_splat(text, case.dtype, count)
        results[index] = vals
    for i, c in enumerate(cases):
        if i not in results and not any(e.startswith(c.op) for e in errors):
            errors.append("%s (%s): missing from act-opt's output" %
                          (c.op, c.dtype_name))
    return results, errors


def fmt(v):
    return repr(float(v))


def compare(case, got):
    """Mismatch messages for one case."""
    native, wide = case.torch_results()
    x = case.x.reshape(-1)
    got = got.reshape(-1)
    msgs = []
    g64, n64, w64 = got.double(), native.double(), wide.double()
    ulps = (ordinal(got) - ordinal(wide)).abs()
    for i in range(x.numel()):
        g, n, w = g64[i].item(), n64[i].item(), w64[i].item()
        problem = None
        if math.isnan(g) != math.isnan(n):
            problem = "NaN mismatch"
        elif math.isnan(g):
            continue
        elif math.isinf(g) or math.isinf(n):
            if g != n:
                problem = "infinity mismatch"
        elif g == 0 and n == 0:
            if math.copysign(1, g) != math.copysign(1, n):
                problem = "sign of zero differs"
        elif math.isnan(w) or math.isinf(w) or ulps[i].item() > 1:
            problem = "%d ulp from torch's float64 result" % ulps[i].item()
        if problem:
            msgs.append("%s, %s, x = %s (element %d): act %s, torch %s, "
                        "torch in f64 %s: %s" %
                        (case.op.format(x="%x", t=case.type()),
                         case.dtype_name, fmt(x[i]), i, fmt(g), fmt(n),
                         fmt(w), problem))
    return msgs


def print_table(cases, results):
    probes = [("NaN", math.nan), ("+Inf", math.inf), ("-Inf", -math.inf),
              ("-0", -0.0), ("+denorm", 1e-45), ("-denorm", -1e-45)]
    print("| op | " + " | ".join(p for p, _ in probes) + " |")
    for i, c in enumerate(cases):
        if c.dtype_name != "f32" or i not in results:
            continue
        x = c.x.reshape(-1)
        native, _ = c.torch_results()
        got = results[i].reshape(-1)
        cells = []
        for _, v in probes:
            j = next(k for k in range(x.numel()) if
                     (math.isnan(v) and math.isnan(x[k].item())) or
                     (x[k].item() == v and
                      math.copysign(1, x[k].item()) == math.copysign(1, v)))
            a, t = got[j].item(), native[j].item()
            same = (math.isnan(a) and math.isnan(t)) or (
                a == t and math.copysign(1, a) == math.copysign(1, t))
            cells.append("%g" % a if same else "act %g / torch %g" % (a, t))
        print("| %s | %s |" % (c.op.format(x="x", t="f32"), " | ".join(cells)))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fold-vs-torch.py ACT_OPT [--table]")
    cases = build_cases()
    results, errors = fold(sys.argv[1], cases)
    if "--table" in sys.argv:
        print_table(cases, results)
        return
    for i, c in enumerate(cases):
        if i in results:
            errors += compare(c, results[i])
    values = sum(c.x.numel() for c in cases)
    for e in errors:
        print("MISMATCH: " + e)
    print("%d cases (%d ops), %d values: %d mismatches" %
          (len(cases), len({c.name for c in cases}), values, len(errors)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
