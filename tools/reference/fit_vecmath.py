#!/usr/bin/env python3
"""Fits the polynomial coefficients of include/act/Math/VectorMath.h.

Each kernel is a polynomial p(v) = sum c_k v^k that minimises the weighted
error max |w(v) (g(v) - p(v))| on [a, b]; w makes the error relative to what
the kernel finally contributes to (see kernels()).

The constant term is g(0) rounded to f32; then, lowest degree first, each
coefficient is fitted with the higher ones free (Lawson's minimax iteration,
iteratively reweighted least squares in numpy double on a 2000-point
Chebyshev grid; unlike Remez it does not need the Haar condition, which a
fixed constant at an interior point breaks) and rounded to f32, so that the
later coefficients absorb the rounding of the earlier ones; last, a greedy
search over +-1 ulp changes. g itself is evaluated by mpmath in 60 digits.

  python3 tools/reference/fit_vecmath.py         # every kernel
  python3 tools/reference/fit_vecmath.py erfc    # one kernel

gelu_grad is a rational P/Q instead (fit_rational_f32, f32 only): the same
Lawson weights on Loeb's linearisation |f Q - P| / Q of the relative error,
the coefficients rounded to f32 lowest degree first with the rest refitted,
then the same +-1 ulp search.

Prints C++ initialisers and the weighted error of the rounded polynomial
(approximation only, no evaluation rounding) in units of 2^-24. Takes a few
minutes.

  python3 tools/reference/fit_vecmath.py --f64 [kernel...]

fits the f64 coefficients (Consts<true>) the same way, with more terms, wider
erfc/Phi ranges and doubles instead of floats; errors are in units of 2^-53.
numpy's double cannot resolve a fit to 2^-53 directly, so each Lawson fit is
applied to the residual of the current coefficients, computed by mpmath: the
correction is small, and double resolves it to far below 2^-53 (see
fit_f64). Takes a few minutes.
"""

import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 60


def lawson(xv, tv, wv, powers, iters=1000):
    """Discrete minimax fit of tv by monomials xv^k, k in powers, weight wv."""
    a = np.stack([xv**k for k in powers], 1)
    lam = np.full(len(xv), 1.0 / len(xv))
    best = None
    for _ in range(iters):
        sw = np.sqrt(lam) * wv
        c = np.linalg.lstsq(a * sw[:, None], tv * sw, rcond=None)[0]
        e = np.abs(wv * (tv - a @ c))
        if best is None or e.max() < best[1]:
            best = (c, e.max())
        lam = lam * e
        lam /= lam.sum()
    return best


def chebyshev_grid(a, b, n):
    return [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * i / (n - 1))
            for i in range(n)]


def f32(v):
    return float(np.float32(v))


def fit_f32(g, w, a, b, terms, grid=2000):
    xs = chebyshev_grid(mp.mpf(a), mp.mpf(b), grid)
    xv = np.array([float(v) for v in xs])
    gv = np.array([float(g(v)) for v in xs])
    wv = np.array([float(w(v)) for v in xs])
    powers = list(range(terms))
    fixed = [f32(float(g(mp.mpf(0))))]
    for i in range(1, terms):
        tv = gv - sum(c * xv**k for k, c in zip(powers, fixed))
        c, _ = lawson(xv, tv, wv, powers[i:])
        fixed.append(f32(c[0]))

    def err(cs):
        return np.abs(wv * (gv - sum(c * xv**k for k, c in zip(powers, cs)))).max()

    best = err(fixed)
    improved = True
    while improved:
        improved = False
        for i in range(1, terms):
            for d in (-1, 1):
                trial = list(fixed)
                trial[i] = float(np.nextafter(np.float32(fixed[i]),
                                              np.float32(d * np.inf)))
                e = err(trial)
                if e < best:
                    best, fixed, improved = e, trial, True
    return fixed


def fit_f64(g, w, a, b, terms, grid=2000):
    """fit_f32 for doubles. Monomials up to degree 35 are too ill-conditioned
    for numpy's least squares, so the free part is fitted in the basis
    x T_k(alpha x + beta) (Chebyshev polynomials of [a, b], times x so that
    the constant term g(0) stays fixed), then converted to monomials in
    mpmath and rounded to doubles all at once; last, the same +-1 ulp search
    as fit_f32. Each Lawson fit is applied to the mpmath residual of the
    current coefficients (see the module docstring)."""
    a, b = mp.mpf(a), mp.mpf(b)
    xs = chebyshev_grid(a, b, grid)
    xv = np.array([float(v) for v in xs])
    gm = [g(v) for v in xs]
    wv = np.array([float(w(v)) for v in xs])
    c0 = float(g(mp.mpf(0)))
    alpha, beta = 2 / (b - a), -(a + b) / (b - a)
    # Monomial coefficients (in x) of x T_k(alpha x + beta), in mpmath.
    basis = []
    t_prev, t_cur = [mp.mpf(1)], [beta, alpha]
    for k in range(terms - 1):
        poly = t_prev if k == 0 else t_cur
        basis.append([mp.mpf(0)] + poly)
        if k >= 1:
            nxt = [mp.mpf(0)] * (len(t_cur) + 1)
            for m, c in enumerate(t_cur):
                nxt[m] += 2 * beta * c
                nxt[m + 1] += 2 * alpha * c
            for m, c in enumerate(t_prev):
                nxt[m] -= c
            t_prev, t_cur = t_cur, nxt
    tv_ = float(alpha) * xv + float(beta)
    cheb = np.stack([xv * np.cos(k * np.arccos(np.clip(tv_, -1, 1)))
                     for k in range(terms - 1)], 1)

    def monomials(d):
        cs = [mp.mpf(c0)] + [mp.mpf(0)] * (terms - 1)
        for dk, poly in zip(d, basis):
            for m, c in enumerate(poly):
                cs[m] += dk * c
        return cs

    def residual(cs):
        return np.array([float(gm[j] - mp.polyval(cs[::-1], xs[j]))
                         for j in range(grid)])

    d = [mp.mpf(0)] * (terms - 1)
    for iters in (300, 1000):
        r = residual(monomials(d))
        lam = np.full(grid, 1.0 / grid)
        best = None
        for _ in range(iters):
            sw = np.sqrt(lam) * wv
            x = np.linalg.lstsq(cheb * sw[:, None], r * sw, rcond=None)[0]
            e = np.abs(wv * (r - cheb @ x))
            if best is None or e.max() < best[1]:
                best = (x, e.max())
            lam = lam * e
            lam /= lam.sum()
        d = [dk + mp.mpf(float(x)) for dk, x in zip(d, best[0])]
    fixed = [c0] + [float(c) for c in monomials(d)[1:]]

    r0 = residual([mp.mpf(c) for c in fixed])
    av = np.stack([xv**k for k in range(terms)], 1)
    fixed0 = list(fixed)

    def err(cs):
        delta = np.array([c - f for c, f in zip(cs, fixed0)])
        return np.abs(wv * (r0 - av @ delta)).max()

    best = err(fixed)
    improved = True
    while improved:
        improved = False
        for i in range(1, terms):
            for step in (-1, 1):
                trial = list(fixed)
                trial[i] = float(np.nextafter(fixed[i], step * np.inf))
                e = err(trial)
                if e < best:
                    best, fixed, improved = e, trial, True
    return fixed


def fit_rational_f32(g, a, b, degree, p0, grid=3000, iters=300):
    """P/Q of the given degree minimising max |P/Q / g - 1| on [a, b], with
    P(0) = p0 and Q(0) = 1 fixed; returns (P, Q) rounded to f32."""
    xs = chebyshev_grid(mp.mpf(a), mp.mpf(b), grid)
    xv = np.array([float(v) for v in xs])
    gv = np.array([float(g(v)) for v in xs])
    t = xv / b  # a well-scaled variable for the least squares

    def ev(c, v):
        return sum(ck * v**k for k, ck in enumerate(c))

    def err(p, q):
        return np.abs(ev(p, xv) / ev(q, xv) / gv - 1).max()

    def refit(pfix, qfix):
        lam = np.full(grid, 1.0 / grid)
        qv, best = np.ones(grid), None
        for _ in range(iters):
            w = np.sqrt(lam) / (np.abs(gv) * qv)
            cols = ([t**k for k in range(len(pfix), degree + 1)] +
                    [-gv * t**k for k in range(len(qfix), degree + 1)])
            rhs = gv * ev(qfix, xv) - ev(pfix, xv)
            c = np.linalg.lstsq(np.stack(cols, 1) * w[:, None], rhs * w,
                                rcond=None)[0]
            np_ = degree + 1 - len(pfix)
            p = list(pfix) + [c[i] / b**(len(pfix) + i) for i in range(np_)]
            q = list(qfix) + [c[np_ + i] / b**(len(qfix) + i)
                              for i in range(degree + 1 - len(qfix))]
            qv = ev(q, xv)
            e = np.abs(ev(p, xv) / qv / gv - 1)
            if best is None or e.max() < best[2]:
                best = (p, q, e.max())
            lam = lam * e
            lam /= lam.sum()
        return best

    p, q = [f32(p0)], [1.0]
    for k in range(1, degree + 1):
        p.append(f32(refit(p, q)[0][k]))
        q.append(f32(refit(p, q)[1][k]))
    best = err(p, q)
    improved = True
    while improved:
        improved = False
        for c in (p, q):
            for i in range(1, degree + 1):
                for d in (-1, 1):
                    old = c[i]
                    c[i] = float(np.nextafter(np.float32(old),
                                              np.float32(d * np.inf)))
                    e = err(p, q)
                    if e < best:
                        best, improved = e, True
                    else:
                        c[i] = old
    return p, q, best


def mills(a):
    """Phi(-a) / phi(a)."""
    return mp.sqrt(mp.pi / 2) * erfcx(a / mp.sqrt(2))


def gelu_grad_root():
    """The zero a0 of M(a) - a: gelu'(-a0) = 0."""
    return mp.findroot(lambda a: mills(a) - a, 0.75)


def fit_gelu_grad():
    """gelu'(-a) = phi(a) (M(a) - a) = e^(-a^2/2) (a0 - a) J(a) / sqrt(2 pi)
    with J(a) = (a - M(a)) / (a - a0), smooth on [0, inf): 1 / (32 a0) at 0
    (M(0) = sqrt(pi/2)), -> 1 at inf, 2 - a0^2 at a0. The kernel takes
    16 e^(-a^2/2) (so that it underflows with the result, not before), so
    P / Q fits J / (16 sqrt(2 pi)), on [0, 14.7] (beyond, the results are 0),
    relative. Returns (a0 split into f32 hi + lo, P, Q, error)."""
    a0 = gelu_grad_root()
    hi = f32(a0)
    lo = f32(a0 - hi)

    def j(a):
        if abs(a - a0) < mp.mpf("1e-20"):
            v = 2 - a0 * a0
        else:
            v = (a - mills(a)) / (a - a0)
        return v / (16 * mp.sqrt(2 * mp.pi))

    p, q, e = fit_rational_f32(j, 0, 14.7, 4, 1 / (32 * hi))
    return hi, lo, p, q, e


def max_error(g, w, a, b, coeffs, points=20000):
    xs = [a + (b - a) * mp.mpf(i) / points for i in range(points + 1)]
    return max(abs(w(v) * (g(v) - sum(c * v**k for k, c in enumerate(coeffs))))
               for v in xs)


def small(v):
    """Keeps a variable off 0, where the kernels' g are 0/0 limits."""
    return v if abs(v) > mp.mpf("1e-30") else mp.mpf("1e-30")


def erfcx(z):
    return mp.exp(z * z) * mp.erfc(z)


# Grids of the erfc and Phi cubics' coefficients of 1, v, v^2, v^3: for v a
# multiple of 1/4 with |v| <= 3, every Horner step of the cubic is exact in
# f32, and so is its sum with n ln2Hi (a multiple of 2^-15 below 2^7).
CUBIC_GRIDS = [2.0**-16, 2.0**-14, 2.0**-12, 2.0**-10]


def cubic_on_grids(m, a, b, n=2000):
    """Minimax cubic of m on [a, b], its coefficients rounded to CUBIC_GRIDS
    from the highest degree down, refitting the lower ones each time."""
    xs = chebyshev_grid(a, b, n)
    xv = np.array([float(v) for v in xs])
    mv = np.array([float(m(v)) for v in xs])
    fixed = {}
    for k in (3, 2, 1, 0):
        tv = mv - sum(fixed[j] * xv**j for j in fixed)
        c, _ = lawson(xv, tv, np.ones(n), list(range(k + 1)), iters=800)
        fixed[k] = round(c[k] / CUBIC_GRIDS[k]) * CUBIC_GRIDS[k]
    return [mp.mpf(fixed[k]) for k in range(4)]


def kernels(f64=False):
    """name -> (g, w, a, b, terms[, cubic])."""
    out = {}

    def n(t32, t64):
        return t64 if f64 else t32

    # expm1(r) = r + r^2 P(r) on |r| <= ln2/2 (+ slack for the reduction),
    # relative to expm1(r); exp uses 1 + (r + r^2 P(r)).
    h = mp.log(2) / 2 * mp.mpf("1.0005")
    out["exp"] = (lambda r: (mp.expm1(small(r)) - small(r)) / small(r)**2,
                  lambda r: small(r)**2 / mp.expm1(small(r)), -h, h, n(6, 11))

    # e^r = E(r) on the same range, relative: the gelu_grad kernel's exp
    # (f32 only: its 16-ulp budget does not need expm1's extra bits).
    if not f64:
        out["exp_direct"] = (lambda r: mp.exp(r), lambda r: 1 / mp.exp(r),
                             -h, h, 7)

    # x - tanh(x) = x^3 Q(x^2) for |x| <= 1.125, in u = x^2, relative to
    # x - tanh(x); tanh uses x - x^3 Q(x^2) there.
    def q(u):
        x = mp.sqrt(small(u))
        return (x - mp.tanh(x)) / x**3

    out["tanh"] = (q, lambda u: 1 / q(u), 0, mp.mpf("1.125")**2, n(9, 19))

    # log1p(f) = f + f^2 L(f) on [sqrt(1/2) - 1, sqrt(2) - 1] (+ slack),
    # relative to log1p(f).
    lo, hi = mp.sqrt(0.5) - 1, mp.sqrt(2) - 1
    out["log1p"] = (lambda f: (mp.log1p(small(f)) - small(f)) / small(f)**2,
                    lambda f: small(f)**2 / mp.log1p(small(f)),
                    lo * mp.mpf("1.0001"), hi * mp.mpf("1.0001"), n(9, 22))

    # erf(z) = z + z S(z^2) for |z| <= 1, in u = z^2, relative to erf(z).
    def s(u):
        z = mp.sqrt(small(u))
        return (mp.erf(z) - z) / z

    out["erf"] = (s, lambda u: 1 / (1 + s(u)), 0, 1, n(7, 14))

    # erfc(z) = exp(-z^2 + ln erfcx(z)) for z in [0, 2c], with
    # ln erfcx(c + v) = Lambda(v) + R(v): Lambda the cubic on CUBIC_GRIDS, R
    # the small rest, whose error is absolute (an error in the exponent, so
    # relative in the result).
    # f64 needs c larger, as 2c must reach where the results fall below
    # 2^-53 (erfc(6), Phi(-8.5)), and about 2.7 times the terms.
    def log_erfcx(c, scale, terms):
        def m(v):
            return mp.log(erfcx((c + v) / scale))

        lam = cubic_on_grids(m, -c, c)
        return (lambda v: m(v) - sum(l * v**k for k, l in enumerate(lam)),
                lambda v: 1, -c, c, terms, lam)

    out["erfc"] = log_erfcx(mp.mpf(n(2, 3)), 1, n(13, 36))
    # Phi(-a) = exp(-a^2 / 2 + ln erfcx(a / sqrt2)) / 2, the same way.
    out["phi"] = log_erfcx(mp.mpf(n(3, "4.25")), mp.sqrt(2), n(13, 36))
    return out


def main(argv):
    f64 = "--f64" in argv
    argv = [a for a in argv if a != "--f64"]
    ks = kernels(f64)
    unit, digits = (2**53, 17) if f64 else (2**24, 9)
    names = argv[1:] or list(ks) + ([] if f64 else ["gelu_grad"])
    for name in names:
        if name == "gelu_grad":
            hi, lo, p, q, e = fit_gelu_grad()
            print(f"// gelu_grad: a0 = {mp.nstr(gelu_grad_root(), 20)} = "
                  f"{hi!r} + {lo!r}; P/Q of degree 4 on [0, 14.7], "
                  f"error {e * unit:.3g} x 2^-24")
            for c in (p, q):
                print("{" + ", ".join(mp.nstr(mp.mpf(v), digits, min_fixed=0,
                                              max_fixed=0) for v in c) + "}")
            continue
        g, w, a, b, terms = ks[name][:5]
        if len(ks[name]) > 5:
            print(f"// {name} cubic: {{" +
                  ", ".join(mp.nstr(v, 17, min_fixed=0, max_fixed=0)
                            for v in ks[name][5]) + "}")
        coeffs = (fit_f64 if f64 else fit_f32)(g, w, a, b, terms)
        err = max_error(g, w, mp.mpf(a), mp.mpf(b), [mp.mpf(c) for c in coeffs])
        print(f"// {name}: [{mp.nstr(a, 8)}, {mp.nstr(b, 8)}], {terms} terms, "
              f"error {mp.nstr(err * unit, 3)} x 2^-{53 if f64 else 24}")
        print("{" + ", ".join(mp.nstr(mp.mpf(c), digits, min_fixed=0,
                                      max_fixed=0)
                              for c in coeffs) + "}")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv)
