//===- HostTensor.cpp - Tensors in host memory for act-run ----------------===//

#include "act/Runner/HostTensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

using namespace mlir;
using namespace mlir::act::runner;
using llvm::APFloat;
using llvm::createStringError;

//===----------------------------------------------------------------------===//
// Element kinds.
//===----------------------------------------------------------------------===//

StringRef act::runner::getElementKindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::f16:
    return "f16";
  case ElementKind::bf16:
    return "bf16";
  case ElementKind::f32:
    return "f32";
  case ElementKind::f64:
    return "f64";
  }
  llvm_unreachable("unknown element kind");
}

int64_t act::runner::getElementKindSize(ElementKind kind) {
  switch (kind) {
  case ElementKind::f16:
  case ElementKind::bf16:
    return 2;
  case ElementKind::f32:
    return 4;
  case ElementKind::f64:
    return 8;
  }
  llvm_unreachable("unknown element kind");
}

std::optional<ElementKind> act::runner::getElementKind(Type type) {
  if (type.isF16())
    return ElementKind::f16;
  if (type.isBF16())
    return ElementKind::bf16;
  if (type.isF32())
    return ElementKind::f32;
  if (type.isF64())
    return ElementKind::f64;
  return std::nullopt;
}

static std::optional<ElementKind> parseElementKind(StringRef name) {
  return llvm::StringSwitch<std::optional<ElementKind>>(name)
      .Case("f16", ElementKind::f16)
      .Case("bf16", ElementKind::bf16)
      .Case("f32", ElementKind::f32)
      .Case("f64", ElementKind::f64)
      .Default(std::nullopt);
}

static const llvm::fltSemantics &getSemantics(ElementKind kind) {
  switch (kind) {
  case ElementKind::f16:
    return APFloat::IEEEhalf();
  case ElementKind::bf16:
    return APFloat::BFloat();
  case ElementKind::f32:
    return APFloat::IEEEsingle();
  case ElementKind::f64:
    return APFloat::IEEEdouble();
  }
  llvm_unreachable("unknown element kind");
}

/// `value` rounded to the 16-bit `kind`, as its bit pattern. APFloat rounds
/// once, directly from double (going through float would round twice).
static uint16_t toHalfBits(ElementKind kind, double value) {
  APFloat f(value);
  bool losesInfo;
  f.convert(getSemantics(kind), APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
}

static double fromHalfBits(ElementKind kind, uint16_t bits) {
  if (kind == ElementKind::bf16) {
    uint32_t wide = static_cast<uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &wide, sizeof(f));
    return f;
  }
  return APFloat(getSemantics(kind), llvm::APInt(16, bits)).convertToDouble();
}

double act::runner::roundToKind(ElementKind kind, double value) {
  switch (kind) {
  case ElementKind::f16:
  case ElementKind::bf16:
    return fromHalfBits(kind, toHalfBits(kind, value));
  case ElementKind::f32:
    return static_cast<float>(value);
  case ElementKind::f64:
    return value;
  }
  llvm_unreachable("unknown element kind");
}

//===----------------------------------------------------------------------===//
// HostTensor.
//===----------------------------------------------------------------------===//

void AlignedFree::operator()(void *p) const { std::free(p); }

HostTensor::HostTensor(ElementKind kind, ArrayRef<int64_t> shape)
    : kind(kind), shape(shape) {
  // aligned_alloc wants a multiple of the alignment; never 0 bytes.
  size_t bytes = std::max<int64_t>(getSizeInBytes(), 1);
  bytes = (bytes + 63) / 64 * 64;
  data.reset(static_cast<char *>(std::aligned_alloc(64, bytes)));
  if (!data)
    llvm::report_fatal_error("act-run: out of memory");
  std::memset(data.get(), 0, bytes);
}

llvm::Expected<uint64_t>
act::runner::checkTensorBytes(ElementKind kind, ArrayRef<int64_t> shape) {
  auto typeString = [&] {
    std::string s = "tensor<";
    for (int64_t d : shape)
      s += std::to_string(d) + "x";
    return s + getElementKindName(kind).str() + ">";
  };
  uint64_t bytes = getElementKindSize(kind);
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(bytes, uint64_t(d), &bytes))
      return createStringError(typeString() +
                               " has more elements than memory can hold");
  // More than the machine has would only fail later, in the middle of a
  // call (the compiled code's malloc) or by the kernel's OOM killer.
  uint64_t memory =
      uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
  if (memory > 0 && bytes > memory)
    return createStringError(
        typeString() + " needs " + llvm::formatv("{0:F1}", bytes / 1e9).str() +
        " GB, more than this " + "machine's " +
        llvm::formatv("{0:F1}", memory / 1e9).str() + " GB of memory");
  return bytes;
}

llvm::Expected<HostTensor> HostTensor::create(ElementKind kind,
                                              ArrayRef<int64_t> shape) {
  llvm::Expected<uint64_t> bytes = checkTensorBytes(kind, shape);
  if (!bytes)
    return bytes.takeError();
  HostTensor t;
  t.kind = kind;
  t.shape.assign(shape.begin(), shape.end());
  size_t size = (std::max<uint64_t>(*bytes, 1) + 63) / 64 * 64;
  t.data.reset(static_cast<char *>(std::aligned_alloc(64, size)));
  if (!t.data)
    return createStringError("cannot allocate " + t.getTypeString() + " (" +
                             Twine(*bytes) + " bytes)");
  std::memset(t.data.get(), 0, size);
  return std::move(t);
}

int64_t HostTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

double HostTensor::get(int64_t i) const {
  const char *p = data.get();
  switch (kind) {
  case ElementKind::f16:
  case ElementKind::bf16: {
    uint16_t bits;
    std::memcpy(&bits, p + 2 * i, 2);
    return fromHalfBits(kind, bits);
  }
  case ElementKind::f32: {
    float f;
    std::memcpy(&f, p + 4 * i, 4);
    return f;
  }
  case ElementKind::f64: {
    double d;
    std::memcpy(&d, p + 8 * i, 8);
    return d;
  }
  }
  llvm_unreachable("unknown element kind");
}

void HostTensor::set(int64_t i, double value) {
  char *p = data.get();
  switch (kind) {
  case ElementKind::f16:
  case ElementKind::bf16: {
    uint16_t bits = toHalfBits(kind, value);
    std::memcpy(p + 2 * i, &bits, 2);
    return;
  }
  case ElementKind::f32: {
    float f = static_cast<float>(value);
    std::memcpy(p + 4 * i, &f, 4);
    return;
  }
  case ElementKind::f64:
    std::memcpy(p + 8 * i, &value, 8);
    return;
  }
}

HostTensor HostTensor::convertTo(ElementKind newKind) const {
  HostTensor result(newKind, shape);
  for (int64_t i = 0, e = getNumElements(); i < e; ++i)
    result.set(i, get(i));
  return result;
}

static std::string formatType(ArrayRef<int64_t> shape, ElementKind kind) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + getElementKindName(kind).str() + ">";
}

std::string HostTensor::getTypeString() const {
  return formatType(shape, kind);
}

//===----------------------------------------------------------------------===//
// --input literals.
//===----------------------------------------------------------------------===//

/// splitmix64: tiny, and the same sequence everywhere (unlike std::
/// distributions), so random:SEED inputs are reproducible.
static uint64_t splitMix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static bool parseDouble(StringRef s, double &value) {
  s = s.trim();
  // getAsDouble (strtod) takes nan/inf; allow a leading '+' and "-nan" too.
  return !s.empty() && !s.getAsDouble(value, /*AllowInexact=*/true);
}

llvm::Expected<HostTensor> act::runner::parseInputSpec(StringRef spec) {
  if (spec.starts_with("@"))
    return readNpy(spec.drop_front());
  auto [typePart, valuePart] = spec.split('=');
  if (typePart.size() == spec.size())
    return createStringError("malformed --input '" + spec.str() +
                             "': expected @FILE.npy or SHAPExTYPE=VALUES");
  SmallVector<StringRef> parts;
  typePart.trim().split(parts, 'x');
  std::optional<ElementKind> kind = parseElementKind(parts.back());
  if (!kind)
    return createStringError("malformed --input '" + spec.str() +
                             "': unknown element type '" + parts.back().str() +
                             "' (expected f16, bf16, f32 or f64)");
  SmallVector<int64_t> shape;
  for (StringRef dim : ArrayRef(parts).drop_back()) {
    int64_t size;
    if (dim.getAsInteger(10, size) || size < 0)
      return createStringError("malformed --input '" + spec.str() +
                               "': bad dimension '" + dim.str() + "'");
    shape.push_back(size);
  }
  llvm::Expected<HostTensor> created = HostTensor::create(*kind, shape);
  if (!created)
    return createStringError("--input '" + typePart.trim().str() +
                             "': " + llvm::toString(created.takeError()));
  HostTensor tensor = std::move(*created);
  int64_t n = tensor.getNumElements();
  StringRef values = valuePart.trim();

  if (values.consume_front("random:")) {
    uint64_t seed;
    if (values.trim().getAsInteger(10, seed))
      return createStringError("malformed --input '" + spec.str() +
                               "': random:SEED needs an integer seed");
    uint64_t state = seed;
    for (int64_t i = 0; i < n; ++i) {
      double u = (splitMix64(state) >> 11) * 0x1.0p-53; // [0, 1)
      tensor.set(i, -8.0 + 16.0 * u);
    }
    return std::move(tensor);
  }
  if (values.consume_front("splat:")) {
    double v;
    if (!parseDouble(values, v))
      return createStringError("malformed --input '" + spec.str() +
                               "': splat:V needs a number");
    for (int64_t i = 0; i < n; ++i)
      tensor.set(i, v);
    return std::move(tensor);
  }

  SmallVector<StringRef> tokens;
  SplitString(values, tokens, " ,\t\n[]");
  if (static_cast<int64_t>(tokens.size()) != n)
    return createStringError("--input '" + typePart.str() + "=...' needs " +
                             std::to_string(n) + " values, got " +
                             std::to_string(tokens.size()));
  for (int64_t i = 0; i < n; ++i) {
    double v;
    if (!parseDouble(tokens[i], v))
      return createStringError("malformed --input '" + typePart.str() +
                               "=...': bad number '" + tokens[i].str() + "'");
    tensor.set(i, v);
  }
  return std::move(tensor);
}

//===----------------------------------------------------------------------===//
// .npy files.
//===----------------------------------------------------------------------===//

namespace {
/// A reader for the Python dict literal of a .npy header, e.g.
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
struct HeaderParser {
  StringRef rest;

  void skipSpace() { rest = rest.ltrim(" \t\n"); }
  bool consume(StringRef token) {
    skipSpace();
    return rest.consume_front(token);
  }
  bool parseString(std::string &out) {
    skipSpace();
    if (rest.empty() || (rest[0] != '\'' && rest[0] != '"'))
      return false;
    char quote = rest[0];
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return false;
    out = rest.substr(1, end - 1).str();
    rest = rest.drop_front(end + 1);
    return true;
  }
  bool parseInt(int64_t &value) {
    skipSpace();
    size_t len = rest.find_first_not_of("0123456789");
    if (len == 0)
      return false;
    if (rest.substr(0, len).getAsInteger(10, value))
      return false;
    rest = rest.drop_front(len);
    return true;
  }
};
} // namespace

static llvm::Error parseNpyHeader(StringRef header, std::string &descr,
                                  bool &fortranOrder,
                                  SmallVectorImpl<int64_t> &shape) {
  HeaderParser p{header};
  bool haveDescr = false, haveOrder = false, haveShape = false;
  auto bad = [&](StringRef what) {
    return createStringError("bad .npy header (" + what.str() +
                             "): " + header.trim().str());
  };
  if (!p.consume("{"))
    return bad("expected '{'");
  while (!p.consume("}")) {
    std::string key;
    if (!p.parseString(key) || !p.consume(":"))
      return bad("expected 'key':");
    if (key == "descr") {
      if (!p.parseString(descr))
        return bad("descr is not a string");
      haveDescr = true;
    } else if (key == "fortran_order") {
      if (p.consume("True"))
        fortranOrder = true;
      else if (p.consume("False"))
        fortranOrder = false;
      else
        return bad("fortran_order is not True or False");
      haveOrder = true;
    } else if (key == "shape") {
      if (!p.consume("("))
        return bad("shape is not a tuple");
      while (!p.consume(")")) {
        int64_t d;
        if (!p.parseInt(d))
          return bad("shape is not a tuple of integers");
        shape.push_back(d);
        if (p.consume(")"))
          break;
        if (!p.consume(","))
          return bad("shape is not a tuple of integers");
      }
      haveShape = true;
    } else {
      return bad("unknown key '" + key + "'");
    }
    if (!p.consume(",")) {
      if (!p.consume("}"))
        return bad("expected ',' or '}'");
      break;
    }
  }
  if (!haveDescr || !haveOrder || !haveShape)
    return bad("needs descr, fortran_order and shape");
  return llvm::Error::success();
}

llvm::Expected<HostTensor> act::runner::readNpy(StringRef path) {
  auto fail = [&](const Twine &msg) {
    return createStringError(path.str() + ": " + msg.str());
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return fail("cannot open: " + file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY"))
    return fail("not a .npy file (bad magic)");
  if (bytes.size() < 10)
    return fail("truncated .npy header");
  uint8_t major = bytes[6];
  size_t headerLen, prefix;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail("truncated .npy header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= size_t(uint8_t(bytes[8 + i])) << (8 * i);
    prefix = 12;
  } else {
    return fail("unsupported .npy format version " + Twine(int(major)));
  }
  if (bytes.size() < prefix + headerLen)
    return fail("truncated .npy header");
  StringRef header = bytes.substr(prefix, headerLen);

  std::string descr;
  bool fortranOrder = false;
  SmallVector<int64_t> shape;
  if (llvm::Error err = parseNpyHeader(header, descr, fortranOrder, shape))
    return fail(llvm::toString(std::move(err)));
  std::optional<ElementKind> kind;
  if (descr == "<f2")
    kind = ElementKind::f16;
  else if (descr == "<f4")
    kind = ElementKind::f32;
  else if (descr == "<f8")
    kind = ElementKind::f64;
  else
    return fail("unsupported dtype '" + descr +
                "' (act-run reads <f2, <f4 and <f8)");
  if (fortranOrder)
    return fail("fortran_order arrays are not supported (save a C-order "
                "array, e.g. np.ascontiguousarray)");

  llvm::Expected<HostTensor> created = HostTensor::create(*kind, shape);
  if (!created)
    return fail(llvm::toString(created.takeError()));
  HostTensor tensor = std::move(*created);
  StringRef data = bytes.drop_front(prefix + headerLen);
  size_t need = tensor.getSizeInBytes();
  if (data.size() < need)
    return fail("truncated data: the header says " + Twine(need) +
                " bytes, the file has " + Twine(data.size()));
  std::memcpy(tensor.getData(), data.data(), need);
  return std::move(tensor);
}

llvm::Error act::runner::writeNpy(StringRef path, const HostTensor &tensor) {
  if (tensor.getKind() == ElementKind::bf16)
    return writeNpy(path, tensor.convertTo(ElementKind::f32));
  std::string header = "{'descr': '<f";
  header += std::to_string(getElementKindSize(tensor.getKind()));
  header += "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.getShape())
    header += std::to_string(d) + (tensor.getRank() == 1 ? "," : ", ");
  if (tensor.getRank() > 1)
    header.resize(header.size() - 2);
  header += "), }";
  // Pad with spaces so that the data starts 64-byte aligned, as numpy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return createStringError("cannot write " + path.str() + ": " +
                             ec.message());
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(static_cast<const char *>(tensor.getData()),
           tensor.getSizeInBytes());
  os.close();
  if (os.has_error())
    return createStringError("cannot write " + path.str() + ": " +
                             os.error().message());
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Printing.
//===----------------------------------------------------------------------===//

static std::string formatValue(ElementKind kind, double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), kind == ElementKind::f64 ? "%.10g" : "%.6g",
                v);
  return buf;
}

std::string act::runner::formatIndex(ArrayRef<int64_t> shape, int64_t index) {
  SmallVector<int64_t> idx(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    idx[d] = shape[d] ? index % shape[d] : 0;
    index = shape[d] ? index / shape[d] : 0;
  }
  std::string s = "[";
  for (size_t d = 0; d < idx.size(); ++d)
    s += (d ? ", " : "") + std::to_string(idx[d]);
  return s + "]";
}

namespace {
struct Printer {
  const HostTensor &t;
  bool summarize;
  size_t width = 0;
  SmallVector<int64_t> strides;

  /// The indices of dimension `d` that are shown; -1 stands for "...".
  SmallVector<int64_t> shownIndices(int64_t d) const {
    int64_t n = t.getShape()[d];
    SmallVector<int64_t> idx;
    if (summarize && n > 6) {
      idx = {0, 1, 2, -1, n - 3, n - 2, n - 1};
      return idx;
    }
    for (int64_t i = 0; i < n; ++i)
      idx.push_back(i);
    return idx;
  }

  template <typename Fn>
  void forEachShown(int64_t d, int64_t offset, Fn fn) const {
    if (d == t.getRank()) {
      fn(offset);
      return;
    }
    for (int64_t i : shownIndices(d))
      if (i >= 0)
        forEachShown(d + 1, offset + i * strides[d], fn);
  }

  void print(llvm::raw_ostream &os, int64_t d, int64_t offset) const {
    int64_t rank = t.getRank();
    if (d == rank) {
      std::string s = formatValue(t.getKind(), t.get(offset));
      os.indent(width - s.size()) << s;
      return;
    }
    os << '[';
    bool first = true;
    for (int64_t i : shownIndices(d)) {
      if (!first) {
        if (d == rank - 1)
          os << ' ';
        else
          os << std::string(rank - 1 - d, '\n') << std::string(d + 1, ' ');
      }
      first = false;
      if (i < 0) {
        os << "...";
        continue;
      }
      print(os, d + 1, offset + i * strides[d]);
    }
    os << ']';
  }
};
} // namespace

void act::runner::printTensor(llvm::raw_ostream &os, const HostTensor &tensor) {
  os << tensor.getTypeString() << '\n';
  Printer p{tensor, tensor.getNumElements() > 1000, 0, {}};
  p.strides.resize(tensor.getRank());
  int64_t stride = 1;
  for (int64_t d = tensor.getRank() - 1; d >= 0; --d) {
    p.strides[d] = stride;
    stride *= tensor.getShape()[d];
  }
  if (tensor.getNumElements() > 0)
    p.forEachShown(0, 0, [&](int64_t i) {
      p.width = std::max(p.width,
                         formatValue(tensor.getKind(), tensor.get(i)).size());
    });
  p.print(os, 0, 0);
  os << '\n';
}
