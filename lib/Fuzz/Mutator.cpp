//===- Mutator.cpp - Structure-aware mutation of act programs -------------===//
//
// Byte-level mutation of MLIR text rarely survives the parser. These edits
// keep the text's structure: they swap whole tokens (op names, numbers,
// element types, shapes) for others of the same kind, add and remove
// attributes of act ops, and change a type everywhere it appears so that the
// values using it still agree.
//
//===----------------------------------------------------------------------===//

#include "act/Fuzz/Fuzz.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::act;

namespace {
using Rng = std::minstd_rand;

// Every act op (include/act/Dialect/Act/IR/ActOps.td); the backward ops are
// spelled NAME_grad.
const char *const kOps[] = {
    "celu",        "elu",         "gelu",      "glu",        "hard_sigmoid",
    "hard_tanh",   "hardshrink",  "hardswish", "leaky_relu", "linear",
    "log_sigmoid", "log_softmax", "maxout",    "mish",       "prelu",
    "relu",        "rrelu",       "selu",      "sigmoid",    "silu",
    "softmax",     "softmin",     "softplus",  "softshrink", "softsign",
    "step",        "swish",       "tanh",      "tanhshrink", "threshold"};

// The attributes of act ops, with their types.
struct AttrKind {
  const char *name;
  const char *type; // "f64", "i64", "unit" or "gelu"
};
const AttrKind kAttrs[] = {{"alpha", "f64"},        {"beta", "f64"},
                           {"lambd", "f64"},        {"lower", "f64"},
                           {"upper", "f64"},        {"min_val", "f64"},
                           {"max_val", "f64"},      {"negative_slope", "f64"},
                           {"threshold", "f64"},    {"value", "f64"},
                           {"dim", "i64"},          {"groups", "i64"},
                           {"from_output", "unit"}, {"approximate", "gelu"}};

// Floats as MLIR spells them: hex for NaN and the infinities.
const char *const kFloats[] = {"0.0",
                               "-0.0",
                               "1.0",
                               "-1.0",
                               "0.5",
                               "2.0",
                               "-3.5",
                               "1.0e-300",
                               "1.0e300",
                               "-1.0e300",
                               "3.4028234663852886e38",
                               "1.0e-45",
                               "0x7FF8000000000000",
                               "0x7FF0000000000000",
                               "0xFFF0000000000000",
                               "0xFFF8000000000001",
                               "6.0",
                               "-6.0",
                               "1.0e-7",
                               "100.0"};
const char *const kInts[] = {"0",
                             "1",
                             "-1",
                             "2",
                             "-2",
                             "3",
                             "7",
                             "63",
                             "64",
                             "-65",
                             "4097",
                             "9223372036854775807",
                             "-9223372036854775808",
                             "2147483648"};
const char *const kDims[] = {
    "0",    "1", "1",  "2",          "3",
    "7",    "8", "17", "32",         "33",
    "4096", "?", "?",  "1000000000", "9223372036854775807"};
const char *const kElementTypes[] = {"f32", "f64", "f16",      "bf16",
                                     "i32", "i1",  "f8E4M3FN", "index"};

template <typename T, size_t N>
const T &pick(Rng &rng, const T (&a)[N]) {
  return a[rng() % N];
}

struct Match {
  size_t pos, len;
};

// Hand-written scanners rather than std::regex, whose recursive matcher can
// overflow the stack on a long line.
bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         c == '$';
}
bool startsToken(const std::string &text, size_t pos) {
  return pos == 0 || !(isIdentChar(text[pos - 1]) || text[pos - 1] == '%' ||
                       text[pos - 1] == '-' || text[pos - 1] == '#');
}
size_t skipWhile(const std::string &text, size_t pos, int (*pred)(int)) {
  while (pos < text.size() && pred(static_cast<unsigned char>(text[pos])))
    ++pos;
  return pos;
}

/// "act.NAME" tokens.
std::vector<Match> findActOps(const std::string &text) {
  std::vector<Match> matches;
  for (size_t pos = text.find("act."); pos != std::string::npos;
       pos = text.find("act.", pos + 1)) {
    if (!startsToken(text, pos))
      continue;
    size_t end = pos + 4;
    while (end < text.size() && (std::islower(text[end]) || text[end] == '_'))
      ++end;
    if (end > pos + 4)
      matches.push_back({pos, end - pos});
  }
  return matches;
}

/// Number literals followed by `suffix` (" : f" for floats, " : i" for
/// integers): the values of typed attributes.
std::vector<Match> findNumbers(const std::string &text, bool floats) {
  std::vector<Match> matches;
  const char *suffix = floats ? " : f" : " : i";
  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-') ||
        (pos > 0 && (isIdentChar(text[pos - 1]) || text[pos - 1] == '%' ||
                     text[pos - 1] == '-')))
      continue;
    size_t end = pos + (c == '-');
    bool isFloat = false;
    if (text.compare(end, 2, "0x") == 0) {
      end = skipWhile(text, end + 2, isxdigit);
      isFloat = true;
    } else {
      size_t digits = skipWhile(text, end, isdigit);
      if (digits == end)
        continue;
      end = digits;
      if (end < text.size() && text[end] == '.') {
        isFloat = true;
        end = skipWhile(text, end + 1, isdigit);
        if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
          size_t exp = end + 1;
          if (exp < text.size() && (text[exp] == '+' || text[exp] == '-'))
            ++exp;
          size_t expEnd = skipWhile(text, exp, isdigit);
          if (expEnd > exp)
            end = expEnd;
        }
      }
    }
    if (isFloat == floats && text.compare(end, 4, suffix) == 0)
      matches.push_back({pos, end - pos});
    pos = end;
  }
  return matches;
}

/// "tensor<DIMSxTYPE>" with `dims` "4x?x" and `element` "f32".
struct TensorTypeMatch {
  Match match;
  std::string dims, element;
};
std::vector<TensorTypeMatch> findTensorTypes(const std::string &text) {
  std::vector<TensorTypeMatch> matches;
  for (size_t pos = text.find("tensor<"); pos != std::string::npos;
       pos = text.find("tensor<", pos + 1)) {
    size_t at = pos + 7, dimsEnd = at;
    while (true) {
      size_t d = at;
      while (
          d < text.size() &&
          (std::isdigit(static_cast<unsigned char>(text[d])) || text[d] == '?'))
        ++d;
      if (d == at || d >= text.size() || text[d] != 'x')
        break;
      at = dimsEnd = d + 1;
    }
    size_t elemEnd = skipWhile(text, dimsEnd, isalnum);
    if (elemEnd == dimsEnd || elemEnd >= text.size() || text[elemEnd] != '>')
      continue;
    matches.push_back({{pos, elemEnd + 1 - pos},
                       text.substr(pos + 7, dimsEnd - pos - 7),
                       text.substr(dimsEnd, elemEnd - dimsEnd)});
  }
  return matches;
}

/// The float types as words.
std::vector<Match> findFloatTypes(const std::string &text) {
  std::vector<Match> matches;
  for (const char *name : {"f16", "bf16", "f32", "f64"}) {
    size_t len = std::strlen(name);
    for (size_t pos = text.find(name); pos != std::string::npos;
         pos = text.find(name, pos + 1))
      if ((pos == 0 ||
           !std::isalnum(static_cast<unsigned char>(text[pos - 1]))) &&
          (pos + len == text.size() ||
           !std::isalnum(static_cast<unsigned char>(text[pos + len]))))
        matches.push_back({pos, len});
  }
  return matches;
}

/// Lines "  %NAME = act.OP ...": the match spans the line with its leading
/// newline; `name` is its result.
std::vector<std::pair<Match, std::string>>
findActDefs(const std::string &text) {
  std::vector<std::pair<Match, std::string>> defs;
  for (size_t nl = text.find('\n'); nl != std::string::npos;
       nl = text.find('\n', nl + 1)) {
    size_t lineEnd = text.find('\n', nl + 1);
    if (lineEnd == std::string::npos)
      lineEnd = text.size();
    size_t name = text.find_first_not_of(' ', nl + 1);
    if (name >= lineEnd || text[name] != '%')
      continue;
    size_t nameEnd = name + 1;
    while (nameEnd < lineEnd &&
           (std::isalnum(static_cast<unsigned char>(text[nameEnd])) ||
            text[nameEnd] == '_'))
      ++nameEnd;
    if (text.compare(nameEnd, 7, " = act.") != 0)
      continue;
    defs.push_back({{nl, lineEnd - nl}, text.substr(name, nameEnd - name)});
  }
  return defs;
}

void replaceEverywhere(std::string &text, const std::string &from,
                       const std::string &to) {
  if (from.empty())
    return;
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

std::string attrValue(Rng &rng, const AttrKind &kind) {
  StringRef type = kind.type;
  if (type == "f64")
    return std::string(pick(rng, kFloats)) + " : f64";
  if (type == "i64")
    return std::string(pick(rng, kInts)) + " : i64";
  if (type == "gelu")
    return rng() % 2 ? "#act<gelu_approximation tanh>"
                     : "#act<gelu_approximation none>";
  return "";
}

/// The [begin, end) of the line holding an act op, picked at random.
bool pickActOpLine(const std::string &text, Rng &rng, size_t &opPos,
                   size_t &lineEnd) {
  std::vector<Match> ops = findActOps(text);
  if (ops.empty())
    return false;
  opPos = ops[rng() % ops.size()].pos;
  lineEnd = text.find('\n', opPos);
  if (lineEnd == std::string::npos)
    lineEnd = text.size();
  return true;
}

bool mutateOpName(std::string &text, Rng &rng) {
  std::vector<Match> ops = findActOps(text);
  if (ops.empty())
    return false;
  Match m = ops[rng() % ops.size()];
  std::string name = std::string("act.") + pick(rng, kOps);
  text.replace(m.pos, m.len, rng() % 4 == 0 ? name + "_grad" : name);
  return true;
}

bool mutateNumber(std::string &text, Rng &rng) {
  bool floats = rng() % 3;
  std::vector<Match> numbers = findNumbers(text, floats);
  if (numbers.empty())
    return false;
  Match m = numbers[rng() % numbers.size()];
  text.replace(m.pos, m.len, floats ? pick(rng, kFloats) : pick(rng, kInts));
  return true;
}

bool insertAttribute(std::string &text, Rng &rng) {
  size_t opPos, lineEnd;
  if (!pickActOpLine(text, rng, opPos, lineEnd))
    return false;
  const AttrKind &kind = pick(rng, kAttrs);
  std::string entry = kind.name;
  std::string value = attrValue(rng, kind);
  if (!value.empty())
    entry += " = " + value;
  size_t brace = text.find('{', opPos);
  if (brace != std::string::npos && brace < lineEnd) {
    text.insert(brace + 1, entry + ", ");
    return true;
  }
  // Before the " : " of the op's types, where the attribute dictionary of
  // act's custom forms goes.
  size_t colon = text.find(" : ", opPos);
  if (colon == std::string::npos || colon >= lineEnd)
    return false;
  text.insert(colon, " {" + entry + "}");
  return true;
}

bool deleteAttribute(std::string &text, Rng &rng) {
  size_t opPos, lineEnd;
  if (!pickActOpLine(text, rng, opPos, lineEnd))
    return false;
  size_t open = text.find('{', opPos);
  if (open == std::string::npos || open >= lineEnd)
    return false;
  size_t close = text.find('}', open);
  if (close == std::string::npos || close >= lineEnd)
    return false;
  std::string body = text.substr(open + 1, close - open - 1);
  size_t comma = body.find(", ");
  if (comma == std::string::npos || rng() % 2) {
    // The whole dictionary (and the space before it).
    size_t from = open > 0 && text[open - 1] == ' ' ? open - 1 : open;
    text.erase(from, close + 1 - from);
  } else {
    // Its first entry.
    text.erase(open + 1, comma + 2);
  }
  return true;
}

/// A new shape for "tensor<...>" (without the element type).
std::string mutateShapeDims(const std::string &dims, Rng &rng) {
  std::vector<std::string> sizes;
  for (StringRef d : llvm::split(StringRef(dims), "x"))
    if (!d.empty())
      sizes.push_back(d.str());
  switch (rng() % 4) {
  case 0: // Add a dimension.
    sizes.insert(sizes.begin() + rng() % (sizes.size() + 1), pick(rng, kDims));
    break;
  case 1: // Drop one.
    if (!sizes.empty())
      sizes.erase(sizes.begin() + rng() % sizes.size());
    break;
  default: // Resize one.
    if (sizes.empty())
      sizes.push_back(pick(rng, kDims));
    else
      sizes[rng() % sizes.size()] = pick(rng, kDims);
  }
  std::string out;
  for (const std::string &s : sizes)
    out += s + "x";
  return out;
}

/// Changes a tensor type's shape or element type: everywhere the type is
/// spelled (so the program stays consistent), or at one place.
bool mutateTensorType(std::string &text, Rng &rng, bool shape) {
  std::vector<TensorTypeMatch> types = findTensorTypes(text);
  if (types.empty())
    return false;
  TensorTypeMatch m = types[rng() % types.size()];
  std::string old = text.substr(m.match.pos, m.match.len);
  std::string dims = m.dims, element = m.element;
  if (shape)
    dims = mutateShapeDims(dims, rng);
  else
    element = pick(rng, kElementTypes);
  std::string updated = "tensor<" + dims + element + ">";
  if (rng() % 4 == 0)
    text.replace(m.match.pos, m.match.len, updated);
  else
    replaceEverywhere(text, old, updated);
  return true;
}

bool mutateScalarType(std::string &text, Rng &rng) {
  std::vector<Match> types = findFloatTypes(text);
  if (types.empty())
    return false;
  Match m = types[rng() % types.size()];
  std::string old = text.substr(m.pos, m.len);
  std::string updated = pick(rng, kElementTypes);
  if (rng() % 2)
    text.replace(m.pos, m.len, updated);
  else
    replaceEverywhere(text, old, updated);
  return true;
}

/// Copies an act op's line, renaming its result and feeding it the
/// original's result, and makes the next use of the original use the copy:
/// the program grows a chain.
bool duplicateOpLine(std::string &text, Rng &rng) {
  auto defs = findActDefs(text);
  if (defs.empty())
    return false;
  auto [m, name] = defs[rng() % defs.size()];
  std::string copy = text.substr(m.pos, m.len);
  std::string fresh = name + "_f" + std::to_string(rng() % 1000);
  size_t at = copy.find(name);
  copy.replace(at, name.size(), fresh);
  size_t operand = copy.find('%', copy.find(" = ") + 3);
  if (operand == std::string::npos)
    return false;
  size_t operandEnd = copy.find_first_of(" ,:)\n", operand);
  if (operandEnd == std::string::npos)
    operandEnd = copy.size();
  copy.replace(operand, operandEnd - operand, name);
  size_t after = m.pos + m.len;
  text.insert(after, copy);
  // The next use of `name` (as a whole name) after the copy.
  for (size_t use = text.find(name, after + copy.size());
       use != std::string::npos; use = text.find(name, use + 1)) {
    size_t end = use + name.size();
    if (end < text.size() &&
        (std::isalnum(static_cast<unsigned char>(text[end])) ||
         text[end] == '_'))
      continue;
    text.replace(use, name.size(), fresh);
    break;
  }
  return true;
}
} // namespace

size_t
fuzz::mutate(uint8_t *data, size_t size, size_t maxSize, unsigned seed,
             llvm::function_ref<size_t(uint8_t *, size_t, size_t)> fallback) {
  Rng rng(seed);
  // A share of plain byte mutations finds what token edits cannot (lexer and
  // parser corners), and mutates inputs that hold no act op.
  if (rng() % 8 == 0)
    return fallback(data, size, maxSize);
  std::string text(reinterpret_cast<const char *>(data), size);
  bool changed = false;
  for (int tries = 0; tries < 4 && !changed; ++tries) {
    switch (rng() % 9) {
    case 0:
      changed = mutateOpName(text, rng);
      break;
    case 1:
    case 2:
      changed = mutateNumber(text, rng);
      break;
    case 3:
      changed = insertAttribute(text, rng);
      break;
    case 4:
      changed = deleteAttribute(text, rng);
      break;
    case 5:
      changed = mutateTensorType(text, rng, /*shape=*/true);
      break;
    case 6:
      changed = mutateTensorType(text, rng, /*shape=*/false);
      break;
    case 7:
      changed = mutateScalarType(text, rng);
      break;
    case 8:
      changed = duplicateOpLine(text, rng);
      break;
    }
  }
  if (!changed || text.size() > maxSize)
    return fallback(data, size, maxSize);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

size_t fuzz::crossOver(const uint8_t *a, size_t sizeA, const uint8_t *b,
                       size_t sizeB, uint8_t *out, size_t maxSize,
                       unsigned seed) {
  Rng rng(seed);
  std::string textA(reinterpret_cast<const char *>(a), sizeA);
  std::string textB(reinterpret_cast<const char *>(b), sizeB);
  // An act op's name and attribute dictionary ("act.elu {alpha = 2.0 : f64}"
  // without the operands, which belong to its program).
  std::vector<Match> opsA = findActOps(textA), opsB = findActOps(textB);
  if (opsA.empty() || opsB.empty())
    return 0;
  Match ma = opsA[rng() % opsA.size()], mb = opsB[rng() % opsB.size()];
  std::string donor = textB.substr(mb.pos, mb.len);
  auto attrs = [](const std::string &text, size_t from) -> std::string {
    size_t lineEnd = text.find('\n', from);
    size_t open = text.find('{', from), close = text.find('}', from);
    if (open == std::string::npos || close == std::string::npos ||
        open > lineEnd || close > lineEnd || close < open)
      return "";
    return text.substr(open, close + 1 - open);
  };
  std::string donorAttrs = attrs(textB, mb.pos);
  // The mnemonic, then the donor's attributes in place of the recipient's.
  textA.replace(ma.pos, ma.len, donor);
  size_t lineEnd = textA.find('\n', ma.pos);
  size_t open = textA.find('{', ma.pos), close = textA.find('}', ma.pos);
  bool hasAttrs = open != std::string::npos && close != std::string::npos &&
                  open < lineEnd && close < lineEnd && open < close;
  if (hasAttrs)
    textA.replace(open, close + 1 - open, donorAttrs);
  else if (!donorAttrs.empty()) {
    size_t colon = textA.find(" : ", ma.pos);
    if (colon != std::string::npos && colon < lineEnd)
      textA.insert(colon, " " + donorAttrs);
  }
  if (textA.size() > maxSize)
    return 0;
  std::memcpy(out, textA.data(), textA.size());
  return textA.size();
}
