# Constant folding of every elementwise act op against PyTorch.
#
# For each case (op x parameter set x element type) this writes a function
# whose body is one constant input feeding the op, folds all of them with a
# single `act-opt --canonicalize` call, reads the folded constants back bit
# for bit (hex) and compares them, element by element, with PyTorch:
#
#   - NaN, +-Inf and the sign of zero must be what torch gives in the element
#     type itself. Two differences are tolerated and listed (not failures):
#     torch's answer in float64 rounded to the type, when act gives that (act
#     computes in double, so it has no intermediate overflow or underflow in
#     the narrow type: hardswish(FLT_MAX) is finite), and torch's answer on a
#     one-element tensor, when act gives that (torch's vectorized and scalar
#     kernels disagree on the sign of some zeros, e.g. softshrink(-0)).
#   - Finite values must be within 1 ulp of torch's float64 result rounded
#     to the type, or of the exact value (mpmath) where torch's float64
#     formula itself loses accuracy (e.g. gelu's 1 + erf(x) in the negative
#     tail). For f64, where act is no more exact than torch, 4 ulp of either,
#     or a relative error of 2^-42 from the exact value (F64_RELATIVE).
#
# KNOWN_DEVIATIONS lists where act knowingly differs from PyTorch.
#
# RUN: %act_python %s act-opt
#
# By hand: fold-vs-torch.py path/to/act-opt [--table] [--notes]
#   --table  prints act's and torch's f32 results on the special values
#   --notes  also lists every tolerated difference

import math
import re
import subprocess
import sys

import mpmath
import torch
import torch.nn.functional as F

mpmath.mp.dps = 60

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
ULP_TOLERANCE = {"f32": 1, "f16": 1, "bf16": 1, "f64": 4}
# f64 is computed in f64, so it carries its formula's own rounding error,
# amplified where the formula is ill-conditioned: erfc(z) and exp(z) have
# condition number ~z^2 and ~z, so gelu's far negative tail is some hundred
# ulp from the exact value (torch's float64 gelu there is 0 or off by 1e-6).
F64_RELATIVE = 2.0**-42

ORDINARY = [
    -100.0, -88.5, -30.0, -20.0, -10.0, -6.5, -6.0, -4.0, -3.5, -3.0, -2.5,
    -2.0, -1.5, -1.0, -0.75, -0.5, -0.3, -0.25, -0.1, -1e-3, -1e-6, 1e-6,
    1e-3, 0.1, 0.25, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 6.0,
    6.5, 9.75, 10.0, 10.5, 19.5, 20.0, 20.5, 30.0, 88.5, 100.0,
]


def special_values(dtype):
    """NaN, +-Inf, +-0, denormals, large magnitudes, for `dtype`."""
    fi = torch.finfo(dtype)
    smallest_denormal = fi.smallest_normal * fi.eps
    out = [math.nan, math.inf, -math.inf, 0.0, -0.0, smallest_denormal,
           -smallest_denormal, fi.smallest_normal / 8,
           -fi.smallest_normal / 8, fi.smallest_normal, -fi.smallest_normal]
    large = [1e4, 6e4, fi.max]
    if dtype != torch.float16:
        large += [1e10, 1e30]
    if dtype == torch.float64:
        large += [1e200]
    for v in large:
        out += [v, -v]
    return out


def inputs(dtype):
    # Rounded once to the type: act and torch see the very same bits.
    return torch.tensor(ORDINARY + special_values(dtype),
                        dtype=torch.float64).to(dtype)


#===------------------------------------------------------------------------===#
# Exact references (mpmath) for the ops whose float64 torch formula can lose
# accuracy. Called on finite inputs only.
#===------------------------------------------------------------------------===#

def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def mp_softplus(x, beta=1.0, threshold=20.0):
    bx = x * beta
    return x if bx > threshold else mpmath.log1p(mpmath.exp(bx)) / beta


def mp_elu(alpha, scale=1.0):
    return lambda x: scale * (x if x > 0 else alpha * mpmath.expm1(x))


def mp_celu(alpha):
    return lambda x: x if x > 0 else alpha * mpmath.expm1(x / alpha)


def mp_gelu_tanh(x):
    u = mpmath.sqrt(2 / mpmath.pi) * (x + mpmath.mpf("0.044715") * x**3)
    return x * mp_sigmoid(2 * u)  # 0.5 (1 + tanh u) = sigmoid(2u)


SELU_ALPHA = mpmath.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpmath.mpf("1.0507009873554804934193349852946")

#===------------------------------------------------------------------------===#
# The cases: (op text with {x} and {t} for the operand and its type, torch
# function of a tensor, exact reference or None, element types). Attributes
# are spelled as act-opt prints them, so a message can be pasted into IR.
#===------------------------------------------------------------------------===#

ALL = ["f32", "f64", "f16", "bf16"]
F32 = ["f32"]


def _swish(beta):
    return lambda x: x * torch.sigmoid(x * beta)


def _linear(alpha, beta):
    # act.linear with beta = 0 is a pure scaling (keeps -0).
    if beta == 0.0:
        return lambda x: x * alpha
    return lambda x: x * alpha + beta


def _hard_sigmoid(alpha, beta):
    return lambda x: torch.clamp(x * alpha + beta, 0.0, 1.0)


def _heaviside(x):
    return torch.heaviside(x, torch.ones((), dtype=x.dtype))


def A(**attrs):
    return " {{%s}}" % ", ".join(
        "%s = %.6e : f64" % (k, v) for k, v in sorted(attrs.items()))


CASES = [
    ("act.step {x} : {t}", _heaviside, None, ALL),
    ("act.threshold {x}" + A(threshold=0.1, value=20.0) + " : {t}",
     lambda x: F.threshold(x, 0.1, 20.0), None, ALL),
    ("act.threshold {x}" + A(threshold=0.0, value=-0.0) + " : {t}",
     lambda x: F.threshold(x, 0.0, -0.0), None, F32),
    ("act.linear {x} : {t}", _linear(1.0, 0.0), None, F32),
    ("act.linear {x}" + A(alpha=2.0, beta=1.0) + " : {t}", _linear(2.0, 1.0),
     lambda x: 2 * x + 1, ALL),
    ("act.linear {x}" + A(alpha=-0.5) + " : {t}", _linear(-0.5, 0.0), None,
     F32),
    ("act.sigmoid {x} : {t}", torch.sigmoid, mp_sigmoid, ALL),
    ("act.hard_sigmoid {x} : {t}", F.hardsigmoid,
     lambda x: min(max((x + 3) / 6, 0), 1), ALL),
    ("act.hard_sigmoid {x}" + A(alpha=0.2) + " : {t}",
     _hard_sigmoid(0.2, 0.5), None, F32),
    ("act.hard_sigmoid {x}" + A(alpha=0.25, beta=0.0) + " : {t}",
     _hard_sigmoid(0.25, 0.0), None, F32),
    ("act.log_sigmoid {x} : {t}", F.logsigmoid,
     lambda x: -mp_softplus(-x, 1.0, math.inf), ALL),
    ("act.tanh {x} : {t}", torch.tanh, mpmath.tanh, ALL),
    ("act.hard_tanh {x} : {t}", F.hardtanh, None, ALL),
    ("act.hard_tanh {x}" + A(min_val=0.0, max_val=6.0) + " : {t}",
     lambda x: F.hardtanh(x, 0.0, 6.0), None, F32),
    ("act.hard_tanh {x}" + A(min_val=-2.5, max_val=2.0) + " : {t}",
     lambda x: F.hardtanh(x, -2.5, 2.0), None, F32),
    ("act.tanhshrink {x} : {t}", F.tanhshrink, lambda x: x - mpmath.tanh(x),
     ALL),
    ("act.softshrink {x} : {t}", F.softshrink, None, ALL),
    ("act.softshrink {x}" + A(lambd=1.0) + " : {t}",
     lambda x: F.softshrink(x, 1.0), None, F32),
    ("act.softshrink {x}" + A(lambd=0.0) + " : {t}",
     lambda x: F.softshrink(x, 0.0), None, F32),
    ("act.hardshrink {x} : {t}", F.hardshrink, None, ALL),
    ("act.hardshrink {x}" + A(lambd=1.0) + " : {t}",
     lambda x: F.hardshrink(x, 1.0), None, F32),
    ("act.hardshrink {x}" + A(lambd=0.0) + " : {t}",
     lambda x: F.hardshrink(x, 0.0), None, F32),
    ("act.softsign {x} : {t}", F.softsign, lambda x: x / (1 + abs(x)), ALL),
    ("act.relu {x} : {t}", F.relu, None, ALL),
    ("act.relu6 {x} : {t}", F.relu6, None, ALL),
    ("act.leaky_relu {x} : {t}", F.leaky_relu, None, ALL),
    ("act.leaky_relu {x}" + A(negative_slope=0.2) + " : {t}",
     lambda x: F.leaky_relu(x, 0.2), None, F32),
    ("act.leaky_relu {x}" + A(negative_slope=-1.5) + " : {t}",
     lambda x: F.leaky_relu(x, -1.5), None, F32),
    ("act.leaky_relu {x}" + A(negative_slope=0.0) + " : {t}",
     lambda x: F.leaky_relu(x, 0.0), None, F32),
    ("act.leaky_relu {x}" + A(negative_slope=1.0) + " : {t}",
     lambda x: F.leaky_relu(x, 1.0), None, F32),
    ("act.rrelu {x} : {t}", lambda x: F.rrelu(x, training=False), None, ALL),
    ("act.rrelu {x}" + A(lower=0.1, upper=0.3) + " : {t}",
     lambda x: F.rrelu(x, 0.1, 0.3, training=False), None, F32),
    ("act.elu {x} : {t}", F.elu, mp_elu(1.0), ALL),
    ("act.elu {x}" + A(alpha=0.5) + " : {t}", lambda x: F.elu(x, 0.5),
     mp_elu(0.5), F32),
    ("act.celu {x} : {t}", F.celu, mp_celu(1.0), ALL),
    ("act.celu {x}" + A(alpha=2.0) + " : {t}", lambda x: F.celu(x, 2.0),
     mp_celu(2.0), F32),
    ("act.celu {x}" + A(alpha=0.3) + " : {t}", lambda x: F.celu(x, 0.3),
     mp_celu(mpmath.mpf(0.3)), F32),
    ("act.selu {x} : {t}", F.selu, mp_elu(SELU_ALPHA, SELU_SCALE), ALL),
    ("act.gelu {x} : {t}", F.gelu,
     lambda x: x * mpmath.erfc(-x / mpmath.sqrt(2)) / 2, ALL),
    ("act.gelu {x} approximate = tanh : {t}",
     lambda x: F.gelu(x, approximate="tanh"), mp_gelu_tanh, ALL),
    ("act.silu {x} : {t}", F.silu, lambda x: x * mp_sigmoid(x), ALL),
    ("act.swish {x} : {t}", _swish(1.0), lambda x: x * mp_sigmoid(x), F32),
    ("act.swish {x}" + A(beta=1.5) + " : {t}", _swish(1.5),
     lambda x: x * mp_sigmoid(1.5 * x), F32),
    ("act.swish {x}" + A(beta=-0.5) + " : {t}", _swish(-0.5),
     lambda x: x * mp_sigmoid(-0.5 * x), F32),
    ("act.mish {x} : {t}", F.mish,
     lambda x: x * mpmath.tanh(mpmath.log1p(mpmath.exp(x))), ALL),
    ("act.softplus {x} : {t}", F.softplus, mp_softplus, ALL),
    ("act.softplus {x}" + A(beta=2.0, threshold=10.0) + " : {t}",
     lambda x: F.softplus(x, 2.0, 10.0),
     lambda x: mp_softplus(x, 2.0, 10.0), F32),
    ("act.softplus {x}" + A(beta=0.5) + " : {t}",
     lambda x: F.softplus(x, 0.5), lambda x: mp_softplus(x, 0.5), F32),
    ("act.hardswish {x} : {t}", F.hardswish,
     lambda x: x * min(max(x + 3, 0), 6) / 6, ALL),
]

# PReLU: input (1, C, N) holding the values along N in every channel; a
# per-channel or shared slope.
PRELU_SLOPES = [([0.25, -1.5, 0.0], ALL), ([0.25], F32)]

# Where act knowingly differs from PyTorch: (op name, dtypes, predicate on
# (x, act's result, torch's result), reason). A difference matching one is
# reported but is not a failure.
KNOWN_DEVIATIONS = [
    ("tanhshrink", ("f64", "f32", "f16", "bf16"),
     lambda x, a, t: a == 0 and t == 0 and x < 0,
     "act.tanhshrink of a tiny negative x is the exact result (about x^3/3, "
     "negative) rounded, -0; torch's x - tanh(x) cancels to exactly +0"),
    ("hardswish", ("f64", "f32", "f16", "bf16"),
     lambda x, a, t: math.isinf(t) and not math.isinf(a),
     "act.hardswish computes x * (relu6(x + 3) / 6), which cannot overflow; "
     "torch's x * relu6(x + 3) / 6 overflows to inf for huge x"),
    ("gelu", ("f32",),
     lambda x, a, t: a == 0 and t == 0 and x <= 0,
     "act.gelu gives -0 for x = -0 and for x < 0 that underflows to zero, as "
     "torch's float64/float16/bfloat16 kernels do; its float32 kernel gives "
     "+0"),
]

#===------------------------------------------------------------------------===#
# Bits.
#===------------------------------------------------------------------------===#


def mlir_type(shape, name):
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), name)


def hex_attr(t):
    return '"0x%s"' % (
        t.contiguous().view(INT_VIEW[t.dtype]).numpy().tobytes().hex().upper())


def from_bytes(data, dtype, count):
    """Decodes little-endian element bytes (one element: a splat)."""
    ints = torch.frombuffer(bytearray(data), dtype=INT_VIEW[dtype]).clone()
    vals = ints.view(dtype)
    if vals.numel() == 1 and count != 1:
        vals = vals.expand(count).clone()
    return vals


def parse_splat(text, dtype, count):
    text = text.strip()
    if text.startswith("0x"):
        nbytes = torch.finfo(dtype).bits // 8
        return from_bytes(int(text, 16).to_bytes(nbytes, "little"), dtype,
                          count)
    # Decimal splats are printed so that they read back exactly.
    return torch.full((count,), float(text), dtype=torch.float64).to(dtype)


def ordinal(t):
    """Integers ordered like the floats, adjacent floats 1 apart, +-0 = 0."""
    bits = t.view(INT_VIEW[t.dtype]).to(torch.int64)
    width = torch.finfo(t.dtype).bits
    if width == 64:
        return torch.where(bits < 0, -(bits & ((1 << 63) - 1)), bits)
    bits = bits & ((1 << width) - 1)
    mag = bits & ((1 << (width - 1)) - 1)
    return torch.where(bits >> (width - 1) == 1, -mag, mag)


def round_to(value, dtype):
    return torch.tensor([value], dtype=torch.float64).to(dtype)


def ulps(a, b, dtype):
    """ulp distance of two Python floats that are exactly of type dtype."""
    return abs(ordinal(round_to(a, dtype)).item() -
               ordinal(round_to(b, dtype)).item())


def same(a, b):
    """Bitwise equality up to NaN payloads."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def special(v):
    return math.isnan(v) or math.isinf(v) or v == 0

#===------------------------------------------------------------------------===#
# Cases and comparison.
#===------------------------------------------------------------------------===#


class Case:
    def __init__(self, op, fn, exact, dtype_name, slope=None):
        self.op, self.fn, self.exact, self.slope = op, fn, exact, slope
        self.name = op.split()[0][len("act."):]
        self.dtype_name = dtype_name
        self.dtype = DTYPES[dtype_name]
        self.x = inputs(self.dtype)
        if slope is not None:
            self.x = self.x.reshape(1, 1, -1).expand(1, 3, -1).contiguous()
            self.w = torch.tensor(slope, dtype=torch.float64).to(self.dtype)
        self.type = mlir_type(list(self.x.shape), dtype_name)

    def text(self):
        if self.slope is None:
            return "%s (%s)" % (self.op.format(x="%x", t=self.type),
                                self.dtype_name)
        return "act.prelu slope %s : %s" % (self.slope, self.type)

    def func(self, index):
        t = self.type
        lines = ["func.func @case%d() -> %s {" % (index, t),
                 "  %%x = arith.constant dense<%s> : %s" %
                 (hex_attr(self.x), t)]
        if self.slope is None:
            lines.append("  %%y = %s" % self.op.format(x="%x", t=t))
        else:
            wt = mlir_type([len(self.slope)], self.dtype_name)
            lines.append("  %%w = arith.constant dense<%s> : %s" %
                         (hex_attr(self.w), wt))
            lines.append("  %%y = act.prelu %%x, %%w : %s, %s" % (t, wt))
        lines += ["  return %%y : %s" % t, "}"]
        return "\n".join(lines)

    def torch_on(self, x, double=False):
        w = getattr(self, "w", None)
        if double:
            x, w = x.double(), (None if w is None else w.double())
        y = self.fn(x) if self.slope is None else F.prelu(x, w)
        return y.to(self.dtype) if double else y

    def torch_single(self, i):
        """torch on the one element (its scalar kernel), as a Python float."""
        if self.slope is None:
            return self.torch_on(self.x.reshape(-1)[i:i + 1]).item()
        n = self.x.shape[-1]
        c, j = divmod(i, n)
        return self.torch_on(self.x[:, :, j:j + 1])[0, c, 0].item()

    def slope_at(self, i):
        if self.slope is None:
            return None
        return self.w[(i // self.x.shape[-1]) % len(self.slope)].item()

    def exact_at(self, i, x):
        """The exact result rounded to the type, or None."""
        if self.slope is not None:
            s = self.slope_at(i)
            return round_to(x if x > 0 else x * s, self.dtype).item()
        if self.exact is None or not math.isfinite(x):
            return None
        v = self.exact(mpmath.mpf(x))
        return round_to(float(v), self.dtype).item()


def build_cases():
    cases = [Case(op, fn, exact, d) for op, fn, exact, dtypes in CASES
             for d in dtypes]
    for slope, dtypes in PRELU_SLOPES:
        cases += [Case("act.prelu", None, None, d, slope=slope)
                  for d in dtypes]
    return cases


FUNC_RE = re.compile(r"func\.func @case(\d+)\(\).*?\{(.*?)\n  \}", re.S)
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
            errors.append("%s: did not fold to a constant:%s" %
                          (case.text(), body))
            results[index] = None
            continue
        text = consts[ret.group(1)].group(2)
        if text.startswith('"'):
            vals = from_bytes(bytes.fromhex(text[3:-1]), case.dtype, count)
        else:
            vals = parse_splat(text, case.dtype, count)
        results[index] = vals.reshape(-1)
    for i, c in enumerate(cases):
        if i not in results:
            errors.append("%s: missing from act-opt's output" % c.text())
    return results, errors


def compare(case, got):
    """(failures, tolerated differences, known deviations) of one case."""
    xs = case.x.reshape(-1).double().tolist()
    native = case.torch_on(case.x).reshape(-1).double().tolist()
    wide = case.torch_on(case.x, double=True).reshape(-1).double().tolist()
    got = got.double().tolist()
    tol = ULP_TOLERANCE[case.dtype_name]
    fails, notes, known = [], [], []

    def msg(i, what):
        s = case.slope_at(i)
        return ("%s: x = %r%s: act %r, torch %r, torch in f64 %r: %s" %
                (case.text(), xs[i], "" if s is None else " (slope %r)" % s,
                 got[i], native[i], wide[i], what))

    for i, (x, g, n, w) in enumerate(zip(xs, got, native, wide)):
        if same(g, n):
            continue
        if special(g) and special(n) or math.isnan(g) or math.isinf(g) or \
                math.isnan(n) or math.isinf(n):
            if same(g, w):
                notes.append(msg(i, "as torch in f64 (torch's own "
                                 "intermediate rounding in %s)" %
                                 case.dtype_name))
                continue
            single = case.torch_single(i)
            if same(g, single):
                notes.append(msg(i, "as torch on this element alone (%r; "
                                 "its scalar kernel)" % single))
                continue
            reason = next((r for name, dts, pred, r in KNOWN_DEVIATIONS
                           if name == case.name and case.dtype_name in dts
                           and pred(x, g, n)), None)
            if reason:
                known.append((reason, msg(i, "known deviation")))
                continue
            fails.append(msg(i, "NaN, infinity or sign of zero differs"))
            continue
        # Finite, not both zero.
        if math.isfinite(w) and ulps(g, w, case.dtype) <= tol:
            continue
        e = case.exact_at(i, x)
        if e is not None and math.isfinite(e) and (
                ulps(g, e, case.dtype) <= tol or case.dtype_name == "f64" and
                abs(g - e) <= F64_RELATIVE * abs(e)):
            continue
        fails.append(msg(i, "%s ulp from torch in f64%s" % (
            ulps(g, w, case.dtype) if math.isfinite(w) else "inf",
            "" if e is None else ", %d from the exact value %r" %
            (ulps(g, e, case.dtype), e))))
    return fails, notes, known


def print_table(cases, results):
    probes = [("NaN", math.nan), ("+Inf", math.inf), ("-Inf", -math.inf),
              ("-0", -0.0), ("+denormal", 1e-45), ("-denormal", -1e-45)]
    print("| op | " + " | ".join(p for p, _ in probes) + " |")
    for i, c in enumerate(cases):
        if c.dtype_name != "f32" or results.get(i) is None:
            continue
        xs = c.x.reshape(-1).tolist()
        native = c.torch_on(c.x).reshape(-1).tolist()
        cells = []
        for _, v in probes:
            j = next(k for k, x in enumerate(xs) if same(x, round_to(
                v, torch.float32).item()))
            a, t = results[i][j].item(), native[j]
            cells.append("%g" % a if same(a, t) else
                         "act %g, torch %g (alone %g)" %
                         (a, t, c.torch_single(j)))
        print("| %s | %s |" % (c.text(), " | ".join(cells)))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fold-vs-torch.py ACT_OPT [--table] [--notes]")
    cases = build_cases()
    results, fails = fold(sys.argv[1], cases)
    if "--table" in sys.argv:
        print_table(cases, results)
        return
    notes, known = [], []
    for i, c in enumerate(cases):
        if results[i] is not None:
            f, n, k = compare(c, results[i])
            fails += f
            notes += n
            known += k
    values = sum(c.x.numel() for c in cases)
    if "--notes" in sys.argv:
        for n in notes:
            print("tolerated: " + n)
    for reason in sorted({r for r, _ in known}):
        hits = [m for r, m in known if r == reason]
        print("known deviation (%d values): %s\n  e.g. %s" %
              (len(hits), reason, hits[0]))
    for f in fails:
        print("MISMATCH: " + f)
    print("%d cases (%d ops; f32/f64/f16/bf16), %d values: %d mismatches, "
          "%d tolerated differences (--notes), %d known deviations" %
          (len(cases), len({c.name for c in cases}), values, len(fails),
           len(notes), len(known)))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
