//===- Evaluator.cpp - The interpreter's linalg, arith and math -----------===//
//
// Scalar arith and math ops are compiled once per linalg body (or per
// elementwise op on tensors) into a small program over slots of doubles, each
// with its error bound, and run at every point of the iteration space: the
// bodies of a 64x256x256 matmul run 4M times.
//
//===----------------------------------------------------------------------===//

#include "Evaluator.h"
#include "act/Dialect/Act/IR/ActActivations.h"
#include "act/Dialect/Act/IR/ActDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>

using namespace mlir;
using namespace mlir::act::runner;
using namespace mlir::act::runner::detail;
using llvm::createStringError;

static constexpr double kInf = std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// The error model.
//===----------------------------------------------------------------------===//

double act::runner::detail::getUnitRoundoff(ElementKind kind) {
  return getUlp(kind, 1.0) / 2;
}

double act::runner::detail::localBound(function_ref<double(double)> f,
                                       function_ref<double(double)> df,
                                       double x, double e) {
  if (e == 0)
    return 0;
  // An infinity within a finite bound is exact (a mask's -inf, say): so is
  // f of it.
  if (std::isinf(x) && std::isfinite(e))
    return 0;
  if (!std::isfinite(x) || !std::isfinite(e))
    return kInf;
  double lo = x - e, hi = x + e, y = f(x);
  double slope =
      std::max({std::fabs(df(lo)), std::fabs(df(x)), std::fabs(df(hi))});
  double jump = std::max(std::fabs(f(lo) - y), std::fabs(f(hi) - y));
  double bound = std::max(kLocalSafety * slope * e, jump);
  return std::isnan(bound) ? kInf : bound;
}

double act::runner::detail::roundingError(ElementKind kind, double ulps,
                                          double value) {
  if (ulps == 0)
    return 0;
  if (std::isinf(ulps))
    return kInf;
  if (!std::isfinite(value))
    return 0;
  return ulps * getUlp(kind, value) * (kind == ElementKind::f64 ? 2 : 1);
}

double act::runner::detail::actRounding(const AccuracyBound &bound,
                                        ElementKind kind, double y) {
  if (!std::isfinite(y))
    return 0;
  if (std::isinf(bound.ulps))
    return kInf;
  double unit = bound.getUnit(kind, roundToKind(kind, y));
  return bound.ulps * unit * (kind == ElementKind::f64 ? 2 : 1);
}

ParameterVariants::ParameterVariants(Operation *op, ElementKind kind) {
  MLIRContext *context = op->getContext();
  auto create = [&](DictionaryAttr attributes) {
    // No operands: the copies only evaluate the op's formula.
    return Operation::create(op->getLoc(), op->getName(), op->getResultTypes(),
                             /*operands=*/{}, NamedAttrList(attributes),
                             /*properties=*/nullptr, /*successors=*/{},
                             /*numRegions=*/0);
  };
  // Created with no attributes given, the op holds its defaults.
  Operation *defaults = create(DictionaryAttr::get(context));
  ElementKind compute = kind == ElementKind::f64 ? kind : ElementKind::f32;
  double u = getUnitRoundoff(compute);
  DictionaryAttr given = op->getAttrDictionary();
  for (NamedAttribute attr : given) {
    auto value = dyn_cast<FloatAttr>(attr.getValue());
    if (!value || value == defaults->getAttr(attr.getName()))
      continue;
    double p = value.getValueAsDouble();
    for (double moved : {roundToKind(compute, p), p * (1 - u), p * (1 + u)}) {
      if (moved == p || !std::isfinite(moved))
        continue;
      Operation *copy = create(given);
      copy->setAttr(attr.getName(), FloatAttr::get(value.getType(), moved));
      copies.push_back(copy);
      references.push_back(act::getUnaryReference(copy));
    }
  }
  defaults->erase();
}

ParameterVariants::~ParameterVariants() {
  for (Operation *copy : copies)
    copy->erase();
}

double ParameterVariants::getAllowance(double x, double y) const {
  double allowance = 0;
  for (const std::function<double(double)> &f : references) {
    double d = std::fabs(f(x) - y);
    // A NaN or infinity here is an input the parameter does not move.
    if (std::isfinite(d))
      allowance = std::max(allowance, d);
  }
  return allowance;
}

llvm::Error act::runner::detail::unsupportedOp(Operation *op, StringRef where,
                                               StringRef why) {
  std::string msg;
  llvm::raw_string_ostream os(msg);
  if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
    os << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
       << loc.getColumn() << ": ";
  os << "--verify does not support op " << op->getName() << where;
  if (!why.empty())
    os << " (" << why << ")";
  return createStringError(msg);
}

static llvm::Error unsupported(Operation *op, StringRef where,
                               StringRef why = "") {
  return unsupportedOp(op, where, why);
}

//===----------------------------------------------------------------------===//
// Scalar programs.
//===----------------------------------------------------------------------===//

namespace {

/// A unary math function: its double value and derivative, and the ulps
/// act's code may be off by. act's own kernels (exp, expm1, log, log1p,
/// tanh, erf, erfc: act-expand-math) are within 2 ulp (test/Unit/Math); the
/// others are libm's through LLVM intrinsics, within 1; sqrt is correctly
/// rounded and rsqrt is 1 / sqrt (two roundings); the roundings to integers
/// are exact.
struct MathFn {
  StringLiteral name;
  double (*f)(double);
  double (*df)(double);
  double ulps;
  /// Fast mode replaces act's kernel with MLIR's polynomial approximation
  /// (f32, f16, bf16), whose accuracy is not documented.
  bool fastApproximated;
};

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kLn10 = 2.30258509299404568402;
constexpr double k2OverSqrtPi = 1.12837916709551257390;

const MathFn kMathFns[] = {
    {"math.exp", [](double x) { return std::exp(x); },
     [](double x) { return std::exp(x); }, 2, true},
    {"math.exp2", [](double x) { return std::exp2(x); },
     [](double x) { return kLn2 * std::exp2(x); }, 2, false},
    {"math.expm1", [](double x) { return std::expm1(x); },
     [](double x) { return std::exp(x); }, 2, true},
    {"math.log", [](double x) { return std::log(x); },
     [](double x) { return 1 / x; }, 2, true},
    {"math.log2", [](double x) { return std::log2(x); },
     [](double x) { return 1 / (x * kLn2); }, 2, false},
    {"math.log10", [](double x) { return std::log10(x); },
     [](double x) { return 1 / (x * kLn10); }, 2, false},
    {"math.log1p", [](double x) { return std::log1p(x); },
     [](double x) { return 1 / (1 + x); }, 2, true},
    {"math.tanh", [](double x) { return std::tanh(x); },
     [](double x) { return 1 - std::tanh(x) * std::tanh(x); }, 2, true},
    {"math.sin", [](double x) { return std::sin(x); },
     [](double x) { return std::cos(x); }, 2, false},
    {"math.cos", [](double x) { return std::cos(x); },
     [](double x) { return -std::sin(x); }, 2, false},
    {"math.tan", [](double x) { return std::tan(x); },
     [](double x) { return 1 + std::tan(x) * std::tan(x); }, 2, false},
    {"math.atan", [](double x) { return std::atan(x); },
     [](double x) { return 1 / (1 + x * x); }, 2, false},
    {"math.erf", [](double x) { return std::erf(x); },
     [](double x) { return k2OverSqrtPi * std::exp(-x * x); }, 2, true},
    {"math.erfc", [](double x) { return std::erfc(x); },
     [](double x) { return -k2OverSqrtPi * std::exp(-x * x); }, 2, true},
    {"math.cbrt", [](double x) { return std::cbrt(x); },
     [](double x) { return 1 / (3 * std::cbrt(x) * std::cbrt(x)); }, 2, false},
    {"math.sqrt", [](double x) { return std::sqrt(x); },
     [](double x) { return 0.5 / std::sqrt(x); }, 0.5, false},
    {"math.rsqrt", [](double x) { return 1 / std::sqrt(x); },
     [](double x) { return -0.5 / (x * std::sqrt(x)); }, 1, false},
    {"math.floor", [](double x) { return std::floor(x); },
     [](double) { return 0.0; }, 0, false},
    {"math.ceil", [](double x) { return std::ceil(x); },
     [](double) { return 0.0; }, 0, false},
    {"math.round", [](double x) { return std::round(x); },
     [](double) { return 0.0; }, 0, false},
    {"math.roundeven", [](double x) { return std::nearbyint(x); },
     [](double) { return 0.0; }, 0, false},
    {"math.trunc", [](double x) { return std::trunc(x); },
     [](double) { return 0.0; }, 0, false},
};

enum class Opcode : uint8_t {
  Const,
  Index,
  AddF,
  SubF,
  MulF,
  DivF,
  NegF,
  AbsF,
  MaximumF,
  MinimumF,
  MaxNumF,
  MinNumF,
  CmpF,
  CmpI,
  Select,
  ExtF,
  TruncF,
  IToFP,
  BitcastToInt,
  BitcastToFloat,
  BitcastFloat,
  IntCast,
  AddI,
  SubI,
  MulI,
  AndI,
  OrI,
  XOrI,
  Unary,
  ActUnary,
  FPToI,
  Fma,
  PowF,
  PowI,
  Atan2,
  CopySign,
};

/// One scalar op. Integers (and i1, as 0 or 1) are held as doubles; the
/// error slot of an integer or i1 is nonzero where its value is uncertain
/// (a comparison of values within each other's bounds, say).
struct Instr {
  Opcode code;
  unsigned result = 0;
  std::array<unsigned, 3> in = {0, 0, 0};
  /// The float kind of the result; of the source for BitcastToInt and
  /// BitcastFloat.
  ElementKind kind = ElementKind::f32;
  ElementKind destKind = ElementKind::f32;
  /// The bit width of an integer result (or source of BitcastToFloat).
  unsigned width = 0;
  bool isUnsigned = false;
  /// The predicate of CmpF/CmpI; the dimension of Index.
  int64_t predicate = 0;
  /// Const's value and bound (a captured scalar may carry one).
  double value = 0, error = 0;
  /// The rounding act's code may add, in ulps of the result in `kind`.
  double rounding = 0;
  const MathFn *fn = nullptr;
  /// A scalar act op (act-raise puts them in linalg bodies): its reference,
  /// derivative and documented bound.
  struct ActFn {
    std::function<double(double)> f, df;
    AccuracyBound bound;
    ParameterVariants variants;
  };
  std::shared_ptr<const ActFn> actFn;
  /// Set for the accumulation of a contraction, which the linalg evaluator
  /// does itself.
  bool skip = false;
};

double toUnsigned(double v, unsigned width) {
  return v < 0 && width < 64 ? v + std::ldexp(1.0, width) : v;
}

/// `v` wrapped to a signed integer of `width` bits (i1 stays 0 or 1; index
/// and i64 are held exactly below 2^53).
double wrapInt(double v, unsigned width) {
  if (width == 1)
    return std::fmod(std::fabs(v), 2.0);
  if (width == 0 || width >= 53)
    return v;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t bits = uint64_t(int64_t(v)) & mask;
  if (bits >> (width - 1))
    return double(int64_t(bits) - int64_t(uint64_t(1) << width));
  return double(bits);
}

unsigned getIntWidth(Type type) {
  if (type.isIndex())
    return 64;
  if (auto i = dyn_cast<IntegerType>(type))
    return i.getWidth();
  return 0;
}

/// The bits of `v` rounded to `kind` (16 or 32 bits wide).
uint32_t floatBits(ElementKind kind, double v) {
  float f = static_cast<float>(roundToKind(kind, v));
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  switch (kind) {
  case ElementKind::f32:
    return bits;
  case ElementKind::bf16:
    return bits >> 16; // exact: v is a bf16 value
  case ElementKind::f16: {
    // An f16 value as an f32: re-bias the exponent by hand.
    uint32_t sign = (bits >> 16) & 0x8000;
    if (std::isnan(f))
      return sign | 0x7e00;
    if (std::isinf(f))
      return sign | 0x7c00;
    double a = std::fabs(v);
    if (a == 0)
      return sign;
    int e = std::ilogb(a);
    if (e < -14) // subnormal: multiples of 2^-24
      return sign | uint32_t(std::ldexp(a, 24));
    uint32_t mantissa = uint32_t(std::ldexp(a, 10 - e)) & 0x3ff;
    return sign | uint32_t(e + 15) << 10 | mantissa;
  }
  case ElementKind::f64:
    break;
  }
  llvm_unreachable("64-bit bitcasts are rejected when compiling");
}

/// The value of `kind` with bits `bits`.
double fromBits(ElementKind kind, uint32_t bits) {
  float f;
  switch (kind) {
  case ElementKind::f32:
    std::memcpy(&f, &bits, 4);
    return f;
  case ElementKind::bf16:
    bits <<= 16;
    std::memcpy(&f, &bits, 4);
    return f;
  case ElementKind::f16: {
    double sign = bits & 0x8000 ? -1 : 1;
    unsigned e = (bits >> 10) & 0x1f, m = bits & 0x3ff;
    if (e == 0x1f)
      return m ? std::numeric_limits<double>::quiet_NaN() : sign * kInf;
    if (e == 0)
      return sign * std::ldexp(m, -24);
    return sign * std::ldexp(1024 + m, int(e) - 25);
  }
  case ElementKind::f64:
    break;
  }
  llvm_unreachable("64-bit bitcasts are rejected when compiling");
}

bool compareFloats(arith::CmpFPredicate p, double a, double b) {
  using P = arith::CmpFPredicate;
  bool unordered = std::isnan(a) || std::isnan(b);
  switch (p) {
  case P::AlwaysFalse:
    return false;
  case P::AlwaysTrue:
    return true;
  case P::OEQ:
    return !unordered && a == b;
  case P::OGT:
    return !unordered && a > b;
  case P::OGE:
    return !unordered && a >= b;
  case P::OLT:
    return !unordered && a < b;
  case P::OLE:
    return !unordered && a <= b;
  case P::ONE:
    return !unordered && a != b;
  case P::ORD:
    return !unordered;
  case P::UEQ:
    return unordered || a == b;
  case P::UGT:
    return unordered || a > b;
  case P::UGE:
    return unordered || a >= b;
  case P::ULT:
    return unordered || a < b;
  case P::ULE:
    return unordered || a <= b;
  case P::UNE:
    return unordered || a != b;
  case P::UNO:
    return unordered;
  }
  llvm_unreachable("unknown cmpf predicate");
}

bool compareInts(arith::CmpIPredicate p, double a, double b, unsigned width) {
  using P = arith::CmpIPredicate;
  double ua = toUnsigned(a, width), ub = toUnsigned(b, width);
  switch (p) {
  case P::eq:
    return a == b;
  case P::ne:
    return a != b;
  case P::slt:
    return a < b;
  case P::sle:
    return a <= b;
  case P::sgt:
    return a > b;
  case P::sge:
    return a >= b;
  case P::ult:
    return ua < ub;
  case P::ule:
    return ua <= ub;
  case P::ugt:
    return ua > ub;
  case P::uge:
    return ua >= ub;
  }
  llvm_unreachable("unknown cmpi predicate");
}

/// IEEE maximum/minimum (arith.maximumf/minimumf): NaN wins, -0 < +0.
double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

/// Scalar ops compiled to slots: the block's arguments first, then one slot
/// per result.
class Program {
public:
  /// Adds `op`, reading `operands` and writing `result`; `where` completes
  /// the error message of an unsupported op (" in a linalg body").
  llvm::Error append(Operation *op, ArrayRef<unsigned> operands,
                     unsigned result, const InterpretOptions &options,
                     StringRef where);

  /// Runs the program on `v` and `e` (the slots' values and bounds), at loop
  /// indices `indices` (for linalg.index).
  void run(double *v, double *e, ArrayRef<int64_t> indices) const;

  SmallVector<Instr> instrs;
  unsigned numSlots = 0;
};

} // namespace

llvm::Error Program::append(Operation *op, ArrayRef<unsigned> operands,
                            unsigned result, const InterpretOptions &options,
                            StringRef where) {
  if (op->getNumResults() != 1 || operands.size() > 3)
    return unsupported(op, where);
  Instr in;
  in.result = result;
  for (auto [i, slot] : llvm::enumerate(operands))
    in.in[i] = slot;
  // Every float involved must be one act-run knows.
  auto known = [](Type t) {
    Type element = getElementTypeOrSelf(t);
    return !isa<FloatType>(element) || getElementKind(element);
  };
  if (!llvm::all_of(op->getOperandTypes(), known) ||
      !llvm::all_of(op->getResultTypes(), known))
    return unsupported(op, where, "element type");
  Type resultType = getElementTypeOrSelf(op->getResult(0).getType());
  if (std::optional<ElementKind> kind = getElementKind(resultType))
    in.kind = in.destKind = *kind;
  in.width = getIntWidth(resultType);
  bool fast = options.math == act::MathMode::fast;

  auto setCode = [&](Opcode code, double rounding = 0) {
    in.code = code;
    in.rounding = rounding;
    return true;
  };
  bool handled =
      TypeSwitch<Operation *, bool>(op)
          .Case([&](arith::ConstantOp c) {
            if (auto f = dyn_cast<FloatAttr>(c.getValue()))
              in.value = f.getValueAsDouble();
            else if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
              in.value = in.width == 1 ? double(i.getValue().getBoolValue())
                                       : double(i.getValue().getSExtValue());
            else
              return false;
            return setCode(Opcode::Const);
          })
          .Case([&](linalg::IndexOp index) {
            in.predicate = index.getDim();
            return setCode(Opcode::Index);
          })
          .Case([&](arith::AddFOp) { return setCode(Opcode::AddF, 0.5); })
          .Case([&](arith::SubFOp) { return setCode(Opcode::SubF, 0.5); })
          .Case([&](arith::MulFOp) { return setCode(Opcode::MulF, 0.5); })
          .Case([&](arith::DivFOp) { return setCode(Opcode::DivF, 0.5); })
          .Case([&](arith::NegFOp) { return setCode(Opcode::NegF); })
          .Case([&](::mlir::math::AbsFOp) { return setCode(Opcode::AbsF); })
          .Case([&](arith::MaximumFOp) { return setCode(Opcode::MaximumF); })
          .Case([&](arith::MinimumFOp) { return setCode(Opcode::MinimumF); })
          .Case([&](arith::MaxNumFOp) { return setCode(Opcode::MaxNumF); })
          .Case([&](arith::MinNumFOp) { return setCode(Opcode::MinNumF); })
          .Case([&](arith::CmpFOp cmp) {
            in.predicate = static_cast<int64_t>(cmp.getPredicate());
            return setCode(Opcode::CmpF);
          })
          .Case([&](arith::CmpIOp cmp) {
            in.predicate = static_cast<int64_t>(cmp.getPredicate());
            in.width = getIntWidth(getElementTypeOrSelf(cmp.getLhs()));
            return setCode(Opcode::CmpI);
          })
          .Case([&](arith::SelectOp) { return setCode(Opcode::Select); })
          .Case([&](arith::ExtFOp) { return setCode(Opcode::ExtF); })
          .Case([&](arith::TruncFOp t) {
            if (t.getRoundingmode() &&
                *t.getRoundingmode() != arith::RoundingMode::to_nearest_even)
              return false;
            return setCode(Opcode::TruncF);
          })
          .Case([&](arith::SIToFPOp) { return setCode(Opcode::IToFP); })
          .Case([&](arith::FPToSIOp) { return setCode(Opcode::FPToI); })
          .Case([&](arith::FPToUIOp) {
            in.isUnsigned = true;
            return setCode(Opcode::FPToI);
          })
          .Case([&](arith::UIToFPOp u) {
            in.isUnsigned = true;
            in.width = getIntWidth(getElementTypeOrSelf(u.getIn()));
            return setCode(Opcode::IToFP);
          })
          .Case([&](arith::BitcastOp b) {
            Type from = getElementTypeOrSelf(b.getIn());
            std::optional<ElementKind> fromKind = getElementKind(from);
            unsigned bits = from.getIntOrFloatBitWidth();
            if (bits > 32)
              return false; // doubles hold integers exactly below 2^53 only
            if (fromKind && in.width) {
              in.kind = *fromKind;
              return setCode(Opcode::BitcastToInt);
            }
            if (fromKind) {
              in.kind = *fromKind;
              return setCode(Opcode::BitcastFloat);
            }
            if (getElementKind(resultType)) {
              in.width = bits;
              return setCode(Opcode::BitcastToFloat);
            }
            return setCode(Opcode::IntCast);
          })
          .Case<arith::IndexCastOp, arith::ExtSIOp, arith::TruncIOp>(
              [&](Operation *) { return setCode(Opcode::IntCast); })
          .Case<arith::IndexCastUIOp, arith::ExtUIOp>([&](Operation *o) {
            in.isUnsigned = true;
            in.value = getIntWidth(getElementTypeOrSelf(o->getOperand(0)));
            return setCode(Opcode::IntCast);
          })
          .Case([&](arith::AddIOp) { return setCode(Opcode::AddI); })
          .Case([&](arith::SubIOp) { return setCode(Opcode::SubI); })
          .Case([&](arith::MulIOp) { return setCode(Opcode::MulI); })
          .Case([&](arith::AndIOp) { return setCode(Opcode::AndI); })
          .Case([&](arith::OrIOp) { return setCode(Opcode::OrI); })
          .Case([&](arith::XOrIOp) { return setCode(Opcode::XOrI); })
          .Case([&](::mlir::math::FmaOp) { return setCode(Opcode::Fma, 0.5); })
          .Case([&](::mlir::math::PowFOp) { return setCode(Opcode::PowF, 2); })
          .Case([&](::mlir::math::FPowIOp p) {
            // Lowered to |n| - 1 multiplications by repeated squaring (and
            // a division for n < 0): at most that many half-ulp roundings.
            IntegerAttr n;
            if (!matchPattern(p.getRhs(), m_Constant(&n)))
              return false;
            int64_t count = std::abs(n.getValue().getSExtValue());
            return setCode(Opcode::PowI,
                           0.5 * std::max<int64_t>(count - 1, 0) +
                               (n.getValue().isNegative() ? 0.5 : 0));
          })
          .Case(
              [&](::mlir::math::Atan2Op) { return setCode(Opcode::Atan2, 2); })
          .Case([&](::mlir::math::CopySignOp) {
            return setCode(Opcode::CopySign);
          })
          .Default([&](Operation *) {
            if (isa_and_nonnull<act::ActDialect>(op->getDialect())) {
              Instr::ActFn fn{act::getUnaryReference(op),
                              act::getUnaryDerivative(op),
                              getDocumentedOpBound(op, in.kind),
                              ParameterVariants(op, in.kind)};
              if (!fn.f || !fn.df || op->getNumOperands() != 1)
                return false;
              if (fast)
                fn.bound.ulps = kInf;
              in.actFn = std::make_shared<const Instr::ActFn>(std::move(fn));
              return setCode(Opcode::ActUnary);
            }
            StringRef name = op->getName().getStringRef();
            for (const MathFn &fn : kMathFns) {
              if (fn.name != name)
                continue;
              in.fn = &fn;
              bool undocumented =
                  fast && fn.fastApproximated && in.kind != ElementKind::f64;
              return setCode(Opcode::Unary, undocumented ? kInf : fn.ulps);
            }
            return false;
          });
  if (!handled)
    return unsupported(op, where);
  instrs.push_back(in);
  numSlots = std::max(numSlots, result + 1);
  return llvm::Error::success();
}

void Program::run(double *v, double *e, ArrayRef<int64_t> indices) const {
  for (const Instr &in : instrs) {
    if (in.skip)
      continue;
    double a = v[in.in[0]], b = v[in.in[1]], c = v[in.in[2]];
    double ea = e[in.in[0]], eb = e[in.in[1]], ec = e[in.in[2]];
    double r = 0, er = 0;
    // An integer computed from an uncertain one is uncertain.
    double uncertain = ea != 0 || eb != 0 ? kInf : 0;
    switch (in.code) {
    case Opcode::Const:
      r = in.value, er = in.error;
      break;
    case Opcode::Index:
      r = double(indices[in.predicate]);
      break;
    case Opcode::AddF:
      r = a + b, er = ea + eb;
      break;
    case Opcode::SubF:
      r = a - b, er = ea + eb;
      break;
    case Opcode::MulF:
      r = a * b;
      er = ea == 0 && eb == 0 ? 0
                              : std::fabs(b) * ea + std::fabs(a) * eb + ea * eb;
      break;
    case Opcode::DivF:
      r = a / b;
      if (ea != 0 || eb != 0)
        er = eb < std::fabs(b) ? (ea + std::fabs(r) * eb) / (std::fabs(b) - eb)
                               : kInf;
      break;
    case Opcode::NegF:
      r = -a, er = ea;
      break;
    case Opcode::AbsF:
      r = std::fabs(a), er = ea;
      break;
    // max and min move no value by more than the larger bound.
    case Opcode::MaximumF:
      r = maximum(a, b), er = std::max(ea, eb);
      break;
    case Opcode::MinimumF:
      r = minimum(a, b), er = std::max(ea, eb);
      break;
    case Opcode::MaxNumF:
      r = std::fmax(a, b), er = std::max(ea, eb);
      break;
    case Opcode::MinNumF:
      r = std::fmin(a, b), er = std::max(ea, eb);
      break;
    case Opcode::CmpF: {
      auto p = static_cast<arith::CmpFPredicate>(in.predicate);
      r = compareFloats(p, a, b);
      // Either outcome is possible where the operands are within their
      // bounds of each other (NaNs are kept NaN by act's code).
      bool ordering = p != arith::CmpFPredicate::ORD &&
                      p != arith::CmpFPredicate::UNO &&
                      p != arith::CmpFPredicate::AlwaysTrue &&
                      p != arith::CmpFPredicate::AlwaysFalse;
      er = ordering && ea + eb > 0 && !std::isnan(a) && !std::isnan(b) &&
                   !(std::fabs(a - b) > ea + eb)
               ? 1
               : 0;
      break;
    }
    case Opcode::CmpI:
      r = compareInts(static_cast<arith::CmpIPredicate>(in.predicate), a, b,
                      in.width);
      er = uncertain ? 1 : 0;
      break;
    case Opcode::Select:
      r = a != 0 ? b : c;
      if (ea == 0)
        er = a != 0 ? eb : ec;
      else // act's code may take the other side
        er = std::max(eb, ec) + std::fabs(b - c);
      break;
    case Opcode::ExtF:
      r = a, er = ea;
      break;
    case Opcode::TruncF:
      // Rounding is monotone: an input within ea of a rounds to within ea
      // plus one ulp of the rounded a.
      r = roundToKind(in.kind, a);
      er = ea == 0 ? 0 : ea + getUlp(in.kind, r);
      break;
    case Opcode::IToFP:
      r = roundToKind(in.kind, in.isUnsigned ? toUnsigned(a, in.width) : a);
      er = uncertain;
      break;
    case Opcode::BitcastToInt:
      r = wrapInt(floatBits(in.kind, a), in.width);
      er = uncertain;
      break;
    case Opcode::BitcastToFloat:
      r = fromBits(in.destKind, uint32_t(int64_t(toUnsigned(a, in.width))));
      er = uncertain;
      break;
    case Opcode::BitcastFloat:
      r = fromBits(in.destKind, floatBits(in.kind, a));
      er = uncertain;
      break;
    case Opcode::IntCast:
      r = wrapInt(in.isUnsigned ? toUnsigned(a, unsigned(in.value)) : a,
                  in.width);
      er = uncertain;
      break;
    case Opcode::AddI:
      r = wrapInt(a + b, in.width), er = uncertain;
      break;
    case Opcode::SubI:
      r = wrapInt(a - b, in.width), er = uncertain;
      break;
    case Opcode::MulI:
      r = wrapInt(a * b, in.width), er = uncertain;
      break;
    case Opcode::AndI:
      r = double(int64_t(a) & int64_t(b)), er = uncertain;
      break;
    case Opcode::OrI:
      r = double(int64_t(a) | int64_t(b)), er = uncertain;
      break;
    case Opcode::XOrI:
      r = wrapInt(double(int64_t(a) ^ int64_t(b)), in.width), er = uncertain;
      break;
    case Opcode::Unary:
      r = in.fn->f(a);
      er = localBound(in.fn->f, in.fn->df, a, ea);
      break;
    case Opcode::FPToI:
      // Toward zero; uncertain (a nonzero bound) where a's bound straddles
      // an integer.
      r = std::trunc(a);
      er = std::trunc(a - ea) != std::trunc(a + ea) ? 1 : 0;
      break;
    case Opcode::ActUnary: {
      const Instr::ActFn &fn = *in.actFn;
      r = fn.f(a);
      er = localBound(fn.f, fn.df, a, ea) + actRounding(fn.bound, in.kind, r) +
           fn.variants.getAllowance(a, r);
      break;
    }
    case Opcode::Fma:
      r = std::fma(a, b, c);
      er = std::fabs(b) * ea + std::fabs(a) * eb + ea * eb + ec;
      break;
    case Opcode::PowF:
      r = std::pow(a, b);
      er = localBound([&](double x) { return std::pow(x, b); },
                      [&](double x) { return b * std::pow(x, b - 1); }, a, ea) +
           localBound([&](double y) { return std::pow(a, y); },
                      [&](double y) { return std::log(a) * std::pow(a, y); }, b,
                      eb);
      break;
    case Opcode::PowI:
      r = std::pow(a, b);
      er = localBound([&](double x) { return std::pow(x, b); },
                      [&](double x) { return b * std::pow(x, b - 1); }, a, ea);
      break;
    case Opcode::Atan2:
      r = std::atan2(a, b);
      er = localBound([&](double y) { return std::atan2(y, b); },
                      [&](double y) { return b / (y * y + b * b); }, a, ea) +
           localBound([&](double x) { return std::atan2(a, x); },
                      [&](double x) { return -a / (a * a + x * x); }, b, eb);
      break;
    case Opcode::CopySign:
      r = std::copysign(a, b);
      // The sign may flip where b is within its bound of 0.
      er = ea + (eb > 0 && !(std::fabs(b) > eb) ? 2 * std::fabs(a) : 0);
      break;
    }
    er += roundingError(in.kind, in.rounding, r);
    v[in.result] = r;
    e[in.result] = std::isnan(er) ? kInf : er;
  }
}

//===----------------------------------------------------------------------===//
// Elementwise ops on tensors.
//===----------------------------------------------------------------------===//

static int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

bool act::runner::detail::isElementwiseScalarOp(Operation *op) {
  return isa<arith::ArithDialect, ::mlir::math::MathDialect>(
             op->getDialect()) &&
         op->hasTrait<OpTrait::Elementwise>();
}

llvm::Expected<RefTensor>
act::runner::detail::evalElementwiseOp(Operation *op,
                                       ArrayRef<const RefTensor *> operands,
                                       const InterpretOptions &options) {
  Program program;
  SmallVector<unsigned> slots;
  for (unsigned i = 0; i < operands.size(); ++i)
    slots.push_back(i);
  if (llvm::Error err =
          program.append(op, slots, operands.size(), options, /*where=*/""))
    return std::move(err);

  RefTensor out;
  const RefTensor *shaped = nullptr;
  for (auto [value, tensor] : llvm::zip(op->getOperands(), operands)) {
    if (!isa<ShapedType>(value.getType()))
      continue;
    if (shaped && shaped->shape != tensor->shape)
      return unsupported(op, "", "operands of different shapes");
    shaped = tensor;
  }
  if (shaped)
    out.shape = shaped->shape;
  int64_t n = product(out.shape);
  out.data.resize(n);
  out.error.resize(n);
  out.propagated = true;
  std::vector<double> v(program.numSlots), e(program.numSlots);
  for (int64_t i = 0; i < n; ++i) {
    for (auto [slot, tensor] : llvm::enumerate(operands)) {
      int64_t at = tensor->data.size() == 1 ? 0 : i;
      v[slot] = tensor->data[at];
      e[slot] = tensor->getError(at);
    }
    program.run(v.data(), e.data(), {});
    out.data[i] = v[operands.size()];
    out.error[i] = e[operands.size()];
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Linalg structured ops.
//===----------------------------------------------------------------------===//

/// Adds `expr` times `scale` to `coeffs` (per loop) and `constant`; false if
/// `expr` is not an affine sum of loop dims (a mod, a division, a symbol).
static bool linearize(AffineExpr expr, int64_t scale,
                      MutableArrayRef<int64_t> coeffs, int64_t &constant) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    coeffs[dim.getPosition()] += scale;
    return true;
  }
  if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
    constant += scale * c.getValue();
    return true;
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  if (expr.getKind() == AffineExprKind::Add)
    return linearize(binary.getLHS(), scale, coeffs, constant) &&
           linearize(binary.getRHS(), scale, coeffs, constant);
  if (expr.getKind() == AffineExprKind::Mul) {
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getRHS()))
      return linearize(binary.getLHS(), scale * c.getValue(), coeffs, constant);
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getLHS()))
      return linearize(binary.getRHS(), scale * c.getValue(), coeffs, constant);
  }
  return false;
}

namespace {
/// How an operand is addressed: its linear offset is `base` plus
/// `strides[l]` times loop index l.
struct Access {
  SmallVector<int64_t> strides;
  int64_t base = 0;
};

/// A reduction whose body adds a term to the accumulator: the evaluator sums
/// the terms itself and bounds the sum, in any order act's code may take,
/// by gamma_K (docs/Accuracy.md).
struct Accumulation {
  unsigned term;
  bool negate; // acc - term
  ElementKind kind;
};
} // namespace

/// The body op that yields `yielded` if it is `acc + t`, `t + acc` or
/// `acc - t` with `acc` the block argument `accArg` used only there, and `t`
/// independent of every output argument; else null.
static Operation *getAccumulation(Value yielded, BlockArgument accArg,
                                  ArrayRef<BlockArgument> outputArgs,
                                  Value *term, bool *negate) {
  Operation *def = yielded.getDefiningOp();
  if (!def || !isa<arith::AddFOp, arith::SubFOp>(def) || !accArg.hasOneUse())
    return nullptr;
  Value lhs = def->getOperand(0), rhs = def->getOperand(1);
  if (lhs == accArg)
    *term = rhs, *negate = isa<arith::SubFOp>(def);
  else if (rhs == accArg && isa<arith::AddFOp>(def))
    *term = lhs, *negate = false;
  else
    return nullptr;
  // The term must not read any accumulator.
  SmallVector<Value> work = {*term};
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (llvm::is_contained(outputArgs, arg))
        return nullptr;
      continue;
    }
    Operation *producer = v.getDefiningOp();
    if (producer->getBlock() != def->getBlock())
      continue;
    for (Value operand : producer->getOperands())
      work.push_back(operand);
  }
  return def;
}

llvm::Expected<std::vector<RefTensor>> act::runner::detail::evalLinalgOp(
    Operation *op, ArrayRef<const RefTensor *> operands,
    ArrayRef<bool> undefined, const InterpretOptions &options,
    OuterLookup lookup) {
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.hasPureTensorSemantics())
    return unsupported(op, "", "only on tensors");
  unsigned numLoops = linalgOp.getNumLoops();
  unsigned numInputs = linalgOp.getNumDpsInputs();
  unsigned numOperands = op->getNumOperands();

  // Loop ranges from the operands' actual shapes.
  SmallVector<int64_t> flatDims;
  for (const RefTensor *t : operands)
    flatDims.append(t->shape.begin(), t->shape.end());
  // (An op on rank-0 tensors has no loops, and no map to infer them from.)
  SmallVector<int64_t, 4> ranges;
  if (numLoops > 0) {
    AffineMap shapesToLoops = linalgOp.getShapesToLoopsMap();
    if (!shapesToLoops || shapesToLoops.getNumDims() != flatDims.size())
      return unsupported(op, "", "its loop ranges cannot be inferred");
    ranges = shapesToLoops.compose(flatDims);
  }
  if (ranges.size() != numLoops)
    return unsupported(op, "", "its loop ranges cannot be inferred");

  // Each operand's addressing, checked against its shape over the whole
  // iteration space.
  SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
  SmallVector<Access> accesses(numOperands);
  bool empty = llvm::is_contained(ranges, 0);
  for (unsigned i = 0; i < numOperands; ++i) {
    ArrayRef<int64_t> shape = operands[i]->shape;
    AffineMap map = maps[i];
    if (map.getNumResults() != shape.size() || map.getNumSymbols())
      return unsupported(op, "",
                         "indexing map of operand " + std::to_string(i));
    Access &access = accesses[i];
    access.strides.assign(numLoops, 0);
    int64_t stride = 1;
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      SmallVector<int64_t> coeffs(numLoops, 0);
      int64_t constant = 0;
      if (!linearize(map.getResult(d), 1, coeffs, constant))
        return unsupported(op, "", "indexing maps other than sums of loops");
      int64_t lo = constant, hi = constant;
      for (unsigned l = 0; l < numLoops; ++l) {
        access.strides[l] += coeffs[l] * stride;
        (coeffs[l] < 0 ? lo : hi) +=
            coeffs[l] * std::max<int64_t>(ranges[l] - 1, 0);
      }
      if (!empty && (lo < 0 || hi >= shape[d]))
        return unsupported(
            op, "", "operand " + std::to_string(i) + " accessed out of bounds");
      access.base += constant * stride;
      stride *= shape[d];
    }
  }

  // The body.
  Block &body = *linalgOp.getBlock();
  Program program;
  DenseMap<Value, unsigned> slots;
  for (BlockArgument arg : body.getArguments())
    slots[arg] = arg.getArgNumber();
  unsigned next = body.getNumArguments();
  auto slotOf = [&](Value v) -> llvm::Expected<unsigned> {
    auto it = slots.find(v);
    if (it != slots.end())
      return it->second;
    // A scalar from outside the body.
    const RefTensor *outer = lookup(v);
    if (!outer || isa<ShapedType>(v.getType()) || outer->data.size() != 1)
      return createStringError("--verify does not support op " +
                               op->getName().getStringRef().str() +
                               " (its body uses a value from outside that is "
                               "not a scalar)");
    Instr c;
    c.code = Opcode::Const;
    c.result = next;
    c.value = outer->data[0];
    c.error = outer->getError(0);
    program.instrs.push_back(c);
    program.numSlots = std::max(program.numSlots, next + 1);
    slots[v] = next;
    return next++;
  };
  bool arithmetic = false;
  DenseMap<Operation *, unsigned> instrOf;
  for (Operation &bodyOp : body.without_terminator()) {
    SmallVector<unsigned> in;
    for (Value v : bodyOp.getOperands()) {
      llvm::Expected<unsigned> slot = slotOf(v);
      if (!slot)
        return slot.takeError();
      in.push_back(*slot);
    }
    if (bodyOp.getNumResults() != 1)
      return unsupported(&bodyOp, " in a linalg body");
    instrOf[&bodyOp] = program.instrs.size();
    if (llvm::Error err =
            program.append(&bodyOp, in, next, options, " in a linalg body"))
      return std::move(err);
    slots[bodyOp.getResult(0)] = next++;
    // Constants, indices and exact widenings compute nothing.
    arithmetic |=
        !isa<arith::ConstantOp, linalg::IndexOp, arith::ExtFOp>(bodyOp);
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  SmallVector<unsigned> yields;
  for (Value v : yield.getOperands()) {
    llvm::Expected<unsigned> slot = slotOf(v);
    if (!slot)
      return slot.takeError();
    yields.push_back(*slot);
  }
  program.numSlots = std::max(program.numSlots, next);

  // The results start as the inits; reading an undefined one is an error.
  unsigned numOutputs = linalgOp.getNumDpsInits();
  bool hasReduction = linalgOp.getNumReductionLoops() > 0;
  SmallVector<BlockArgument> outputArgs;
  for (unsigned j = 0; j < numOutputs; ++j)
    if (numInputs + j < body.getNumArguments())
      outputArgs.push_back(body.getArgument(numInputs + j));
  std::vector<RefTensor> results(numOutputs);
  SmallVector<std::optional<Accumulation>> accumulations(numOutputs);
  bool propagated = hasReduction || arithmetic;
  for (const RefTensor *t : operands)
    propagated |= t->propagated;
  for (unsigned j = 0; j < numOutputs; ++j) {
    unsigned operand = numInputs + j;
    const RefTensor &init = *operands[operand];
    bool read = numInputs + j < body.getNumArguments() &&
                !body.getArgument(numInputs + j).use_empty();
    if (read && undefined[operand] && !init.data.empty())
      return createStringError(
          "--verify: " + op->getName().getStringRef().str() +
          " reads its init #" + std::to_string(j) +
          ", the undefined contents of a tensor.empty (fill it first)");
    results[j] = init;
    results[j].propagated = propagated;
    results[j].error.resize(init.data.size(), 0.0);
    Value term;
    bool negate;
    if (hasReduction && j < outputArgs.size())
      if (Operation *acc = getAccumulation(yield.getOperand(j), outputArgs[j],
                                           outputArgs, &term, &negate)) {
        Instr &instr = program.instrs[instrOf[acc]];
        instr.skip = true;
        accumulations[j] = Accumulation{slots[term], negate, instr.kind};
      }
  }

  // Accumulations start from their init: the sum of |terms| (and |init|)
  // and of the terms' bounds.
  SmallVector<std::vector<double>> sumAbs(numOutputs), sumErr(numOutputs);
  for (unsigned j = 0; j < numOutputs; ++j) {
    if (!accumulations[j])
      continue;
    sumAbs[j].resize(results[j].data.size());
    sumErr[j] = results[j].error;
    for (size_t i = 0; i < sumAbs[j].size(); ++i)
      sumAbs[j][i] = std::fabs(results[j].data[i]);
  }

  // Every point of the iteration space, the last loop fastest.
  std::vector<double> v(program.numSlots), e(program.numSlots);
  SmallVector<int64_t> index(numLoops, 0), offsets(numOperands);
  for (unsigned i = 0; i < numOperands; ++i)
    offsets[i] = accesses[i].base;
  unsigned numArgs = std::min<unsigned>(body.getNumArguments(), numOperands);
  SmallVector<bool> argUsed(numArgs);
  for (unsigned i = 0; i < numArgs; ++i)
    argUsed[i] = !body.getArgument(i).use_empty();
  while (!empty) {
    for (unsigned i = 0; i < numArgs; ++i) {
      if (!argUsed[i])
        continue;
      const RefTensor &t =
          i < numInputs ? *operands[i] : results[i - numInputs];
      v[i] = t.data[offsets[i]];
      e[i] = t.getError(offsets[i]);
    }
    program.run(v.data(), e.data(), index);
    for (unsigned j = 0; j < numOutputs; ++j) {
      int64_t at = offsets[numInputs + j];
      if (const std::optional<Accumulation> &acc = accumulations[j]) {
        double t = v[acc->term];
        results[j].data[at] += acc->negate ? -t : t;
        sumAbs[j][at] += std::fabs(t);
        sumErr[j][at] += e[acc->term];
      } else {
        results[j].data[at] = v[yields[j]];
        results[j].error[at] = e[yields[j]];
      }
    }
    // Next point.
    int64_t l = static_cast<int64_t>(numLoops) - 1;
    for (; l >= 0; --l) {
      for (unsigned i = 0; i < numOperands; ++i)
        offsets[i] += accesses[i].strides[l];
      if (++index[l] < ranges[l])
        break;
      for (unsigned i = 0; i < numOperands; ++i)
        offsets[i] -= accesses[i].strides[l] * ranges[l];
      index[l] = 0;
    }
    if (l < 0)
      break;
  }

  // A sum of K terms computed in any order (K additions, with the init) is
  // within gamma_K = K u / (1 - K u) of the sum of their magnitudes, u the
  // unit roundoff of the accumulation (docs/Accuracy.md).
  int64_t terms = 1;
  for (auto [range, type] : llvm::zip(ranges, linalgOp.getIteratorTypesArray()))
    if (type == utils::IteratorType::reduction)
      terms *= range;
  for (unsigned j = 0; j < numOutputs; ++j) {
    if (!accumulations[j])
      continue;
    ElementKind kind = accumulations[j]->kind;
    double ku = double(terms) * getUnitRoundoff(kind) *
                (kind == ElementKind::f64 ? 2 : 1);
    double gamma = ku < 1 ? ku / (1 - ku) : kInf;
    for (size_t i = 0; i < sumAbs[j].size(); ++i) {
      double bound = sumErr[j][i] + gamma * sumAbs[j][i];
      results[j].error[i] = std::isnan(bound) ? kInf : bound;
    }
  }
  return results;
}

//===----------------------------------------------------------------------===//
// FLOPs.
//===----------------------------------------------------------------------===//

/// Whether output `j` of `op` accumulates products: a contraction.
static bool accumulatesProducts(linalg::LinalgOp op, unsigned j) {
  Block &body = *op.getBlock();
  unsigned arg = op.getNumDpsInputs() + j;
  if (arg >= body.getNumArguments())
    return false;
  SmallVector<BlockArgument> outputArgs(
      body.getArguments().drop_front(op.getNumDpsInputs()));
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Value term;
  bool negate;
  if (!getAccumulation(yield.getOperand(j), body.getArgument(arg), outputArgs,
                       &term, &negate))
    return false;
  return isa_and_nonnull<arith::MulFOp>(term.getDefiningOp());
}

std::optional<int64_t>
act::runner::countContractionFlops(func::FuncOp func,
                                   ArrayRef<SmallVector<int64_t>> argShapes) {
  int64_t flops = 0;
  bool known = true;
  func.walk([&](linalg::LinalgOp op) {
    if (op.getNumReductionLoops() == 0)
      return;
    int64_t products = 0;
    for (unsigned j = 0; j < op.getNumDpsInits(); ++j)
      products += accumulatesProducts(op, j);
    if (!products)
      return;
    // The static ranges, or the ranges from the arguments' actual shapes.
    SmallVector<int64_t> flatDims;
    for (Value v : op->getOperands()) {
      SmallVector<int64_t> shape;
      if (auto shaped = dyn_cast<ShapedType>(v.getType()))
        shape.assign(shaped.getShape().begin(), shaped.getShape().end());
      auto arg = dyn_cast<BlockArgument>(v);
      if (arg && arg.getOwner()->isEntryBlock() &&
          arg.getOwner()->getParentOp() == func &&
          arg.getArgNumber() < argShapes.size())
        shape = argShapes[arg.getArgNumber()];
      flatDims.append(shape);
    }
    AffineMap shapesToLoops = op.getShapesToLoopsMap();
    if (!shapesToLoops || shapesToLoops.getNumDims() != flatDims.size() ||
        llvm::is_contained(flatDims, ShapedType::kDynamic)) {
      known = false;
      return;
    }
    int64_t points = 1;
    for (int64_t range : shapesToLoops.compose(flatDims))
      points *= range;
    flops += 2 * points * products;
  });
  if (!known)
    return std::nullopt;
  return flops;
}
