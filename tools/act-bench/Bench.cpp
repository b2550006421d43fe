//===- Bench.cpp - Timing harness, workloads and reports for act-bench ----===//

#include "Bench.h"

#include "act/Math/Activations.h"
#include "act/Reference/Reference.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Program.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>

using namespace act::bench;
namespace math = mlir::act::math;

//===----------------------------------------------------------------------===//
// Workloads.
//===----------------------------------------------------------------------===//

int64_t Workload::elements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string Workload::shapeString() const {
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

std::vector<Workload> act::bench::allWorkloads(int64_t eltwiseSize) {
  // Defaults everywhere except where the default is no work (linear is the
  // identity), would repeat another row (swish's beta = 1 is silu), or where
  // the op has no default (threshold).
  const std::vector<
      std::pair<std::string, std::vector<std::pair<std::string, double>>>>
      eltwise = {
          {"step", {}},
          {"threshold", {{"threshold", 0.1}, {"value", 20.0}}},
          {"linear", {{"alpha", 2.0}, {"beta", 1.0}}},
          {"sigmoid", {}},
          {"hard_sigmoid", {}},
          {"log_sigmoid", {}},
          {"tanh", {}},
          {"hard_tanh", {}},
          {"tanhshrink", {}},
          {"softshrink", {}},
          {"hardshrink", {}},
          {"softsign", {}},
          {"relu", {}},
          {"relu6", {}},
          {"leaky_relu", {}},
          {"prelu", {}},
          {"rrelu", {}},
          {"elu", {}},
          {"celu", {}},
          {"selu", {}},
          {"gelu", {}},
          {"gelu_tanh", {}},
          {"silu", {}},
          {"swish", {{"beta", 1.5}}},
          {"mish", {}},
          {"softplus", {}},
          {"hardswish", {}},
      };
  std::vector<Workload> workloads;
  for (const auto &[op, attrs] : eltwise)
    workloads.push_back({op, op, {eltwiseSize}, attrs});
  for (const char *op : {"softmax", "log_softmax"})
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{4096, 4096}, std::vector<int64_t>{32768, 512}}) {
      Workload w{"", op, shape, {}};
      w.name = std::string(op) + "/" + w.shapeString();
      workloads.push_back(w);
    }
  return workloads;
}

//===----------------------------------------------------------------------===//
// Inputs, buffers, clocks, the machine.
//===----------------------------------------------------------------------===//

void act::bench::fillUniform(float *data, int64_t n, uint64_t seed,
                             float bound) {
  uint64_t state = seed;
  float scale = bound / 2147483648.0f;
  for (int64_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    data[i] = float(int32_t(state >> 32)) * scale;
  }
}

Buffer::Buffer(int64_t n) {
  size_t align = 2 << 20;
  size_t bytes =
      (std::max<int64_t>(n, 1) * sizeof(float) + align - 1) / align * align;
  data.reset(static_cast<float *>(std::aligned_alloc(align, bytes)));
  if (!data)
    llvm::report_fatal_error("out of memory");
}

double act::bench::wallSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double act::bench::processCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

std::string act::bench::cpuModel() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown";
}

//===----------------------------------------------------------------------===//
// Timing.
//===----------------------------------------------------------------------===//

static double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Measurement act::bench::measure(const std::function<void()> &kernel, int warmup,
                                int reps) {
  Measurement m;
  double start = now();
  kernel();
  m.first = now() - start;
  for (int i = 0; i < warmup; ++i)
    kernel();
  std::vector<double> times;
  times.reserve(reps);
  for (int i = 0; i < reps; ++i) {
    start = now();
    kernel();
    times.push_back(now() - start);
  }
  if (times.empty())
    times.push_back(m.first);
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  m.min = times.front();
  m.max = times.back();
  m.median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  m.repetitions = reps;
  return m;
}

Measurement act::bench::measure(const std::function<void()> &kernel, int warmup,
                                int reps, double &cpuPerWall) {
  double cpu = processCpuSeconds(), wall = wallSeconds();
  Measurement m = measure(kernel, warmup, reps);
  cpuPerWall = (processCpuSeconds() - cpu) / (wallSeconds() - wall);
  return m;
}

llvm::json::Object FlopsResult::json() const {
  return llvm::json::Object{
      {"workload", workload},
      {"impl", impl},
      {"threads", threads},
      {"measured", measured},
      {"min_s", finiteOrNull(measured ? time.min : NAN)},
      {"median_s", finiteOrNull(measured ? time.median : NAN)},
      {"max_s", finiteOrNull(measured ? time.max : NAN)},
      {"first_s", finiteOrNull(measured ? time.first : NAN)},
      {"gflops", finiteOrNull(gflops())},
      {"setup_s", finiteOrNull(setupSeconds)},
      {"cpu_per_wall", finiteOrNull(cpuPerWall)},
      {"error", error ? finiteOrNull(*error) : nullptr},
      {"wrong", wrong()},
      {"note", note}};
}

//===----------------------------------------------------------------------===//
// Output check against act's double-precision reference.
//===----------------------------------------------------------------------===//

static double attr(const Workload &w, llvm::StringRef name, double dflt) {
  for (const auto &[key, value] : w.attrs)
    if (key == name)
      return value;
  return dflt;
}

/// The op at T = double with the workload's attributes (the op defaults from
/// ActOps.td otherwise); null for an op not listed.
static std::function<double(double)> reference(const Workload &w) {
  const std::string &op = w.op;
  if (op == "step")
    return [](double x) { return math::step(x); };
  if (op == "threshold") {
    double t = attr(w, "threshold", 0), v = attr(w, "value", 0);
    return [=](double x) { return math::threshold(x, t, v); };
  }
  if (op == "linear") {
    double a = attr(w, "alpha", 1), b = attr(w, "beta", 0);
    return [=](double x) { return math::linear(x, a, b); };
  }
  if (op == "sigmoid")
    return [](double x) { return math::sigmoid(x); };
  if (op == "hard_sigmoid") {
    double a = attr(w, "alpha", 1.0 / 6.0), b = attr(w, "beta", 0.5);
    return [=](double x) { return math::hardSigmoid(x, a, b); };
  }
  if (op == "log_sigmoid")
    return [](double x) { return math::logSigmoid(x); };
  if (op == "tanh")
    return [](double x) { return math::tanhActivation(x); };
  if (op == "hard_tanh") {
    double lo = attr(w, "min_val", -1), hi = attr(w, "max_val", 1);
    return [=](double x) { return math::hardTanh(x, lo, hi); };
  }
  if (op == "tanhshrink")
    return [](double x) { return math::tanhShrink(x); };
  if (op == "softshrink") {
    double l = attr(w, "lambd", 0.5);
    return [=](double x) { return math::softShrink(x, l); };
  }
  if (op == "hardshrink") {
    double l = attr(w, "lambd", 0.5);
    return [=](double x) { return math::hardShrink(x, l); };
  }
  if (op == "softsign")
    return [](double x) { return math::softsign(x); };
  if (op == "relu")
    return [](double x) { return math::relu(x); };
  if (op == "relu6")
    return [](double x) { return math::relu6(x); };
  if (op == "leaky_relu") {
    double s = attr(w, "negative_slope", 0.01);
    return [=](double x) { return math::leakyRelu(x, s); };
  }
  if (op == "prelu")
    return [](double x) { return math::prelu(x, double(kPreluSlope)); };
  if (op == "rrelu") {
    double lo = attr(w, "lower", 1.0 / 8.0), hi = attr(w, "upper", 1.0 / 3.0);
    return [=](double x) { return math::rrelu(x, lo, hi); };
  }
  if (op == "elu") {
    double a = attr(w, "alpha", 1);
    return [=](double x) { return math::elu(x, a); };
  }
  if (op == "celu") {
    double a = attr(w, "alpha", 1);
    return [=](double x) { return math::celu(x, a); };
  }
  if (op == "selu")
    return [](double x) { return math::selu(x); };
  if (op == "gelu")
    return [](double x) { return math::geluErf(x); };
  if (op == "gelu_tanh")
    return [](double x) { return math::geluTanh(x); };
  if (op == "silu")
    return [](double x) { return math::silu(x); };
  if (op == "swish") {
    double b = attr(w, "beta", 1);
    return [=](double x) { return math::swish(x, b); };
  }
  if (op == "mish")
    return [](double x) { return math::mish(x); };
  if (op == "softplus") {
    double b = attr(w, "beta", 1), t = attr(w, "threshold", 20);
    return [=](double x) { return math::softplus(x, b, t); };
  }
  if (op == "hardswish")
    return [](double x) { return math::hardswish(x); };
  return nullptr;
}

/// |y - ref| relative to |ref|, but absolute below `floor`, so that values
/// near 0 (where f32 has no relative accuracy to offer) do not dominate.
/// Capped at kWrongOutput, which also marks NaN or Inf where ref has none
/// (e.g. an output left unwritten).
static double errorOf(double y, double ref, double floor) {
  if (std::isnan(ref) || std::isnan(y))
    return std::isnan(ref) && std::isnan(y) ? 0 : kWrongOutput;
  if (y == ref)
    return 0;
  double e = std::fabs(y - ref) / std::max(std::fabs(ref), floor);
  return std::isnan(e) ? kWrongOutput : std::min(e, kWrongOutput);
}

std::optional<double>
act::bench::checkOutput(const Workload &w, const float *in, const float *out) {
  double worst = 0;
  if (w.isRowOp()) {
    int64_t rows = w.shape[0], cols = w.shape[1];
    // softmax is checked relative (its values are small and all matter);
    // log_softmax's values are O(10), where absolute error is what f32 has.
    double floor = w.op == "softmax" ? 1e-30 : 1.0;
    std::vector<double> x(cols), y(cols);
    for (int64_t r = 0; r < rows; r += std::max<int64_t>(1, rows / 7)) {
      for (int64_t c = 0; c < cols; ++c)
        x[c] = in[r * cols + c];
      if (w.op == "softmax")
        mlir::act::reference::softmax(x.data(), y.data(), cols);
      else
        mlir::act::reference::logSoftmax(x.data(), y.data(), cols);
      for (int64_t c = 0; c < cols; ++c)
        worst = std::max(worst, errorOf(out[r * cols + c], y[c], floor));
    }
    return worst;
  }
  std::function<double(double)> ref = reference(w);
  if (!ref)
    return std::nullopt;
  // A prime stride, so the sample does not alias any vector width.
  int64_t n = w.elements();
  for (int64_t i = 0; i < n; i += 997)
    worst = std::max(worst, errorOf(out[i], ref(in[i]), 1.0));
  worst = std::max(worst, errorOf(out[n - 1], ref(in[n - 1]), 1.0));
  return worst;
}

//===----------------------------------------------------------------------===//
// Reports.
//===----------------------------------------------------------------------===//

std::string act::bench::fmt(double v, const char *spec) {
  if (!std::isfinite(v))
    return "-";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format(spec, v);
  return s;
}

std::string act::bench::milliseconds(double seconds) {
  double ms = seconds * 1e3;
  return fmt(ms, ms >= 1 ? "%.3f" : ms >= 0.01 ? "%.4f" : "%.6f");
}

std::string act::bench::joinThreads(llvm::ArrayRef<int> threads) {
  return llvm::join(
      llvm::map_range(threads, [](int t) { return std::to_string(t); }), ",");
}

llvm::json::Value act::bench::finiteOrNull(double v) {
  return std::isfinite(v) ? llvm::json::Value(v) : llvm::json::Value(nullptr);
}

void act::bench::printTable(llvm::raw_ostream &os,
                            const std::vector<std::vector<std::string>> &rows,
                            size_t leftColumns, bool lastIsText) {
  std::vector<size_t> width;
  for (const auto &row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      width.resize(std::max(width.size(), row.size()));
      width[i] = std::max(width[i], row[i].size());
    }
  for (const auto &row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - row[i].size(), ' ');
      bool last = i + 1 == row.size();
      if (i < leftColumns || (last && lastIsText))
        line += row[i] + (last ? "" : pad);
      else
        line += pad + row[i];
      if (!last)
        line += "  ";
    }
    os << line << "\n";
  }
}

void act::bench::printNotes(llvm::raw_ostream &os, llvm::StringRef title,
                            const std::vector<std::string> &lines) {
  if (lines.empty())
    return;
  os << "\n" << title << ":\n";
  for (const std::string &line : lines)
    os << "  " << line << "\n";
}

const Result *act::bench::findResult(const std::vector<Result> &results,
                                     llvm::StringRef workload,
                                     llvm::StringRef impl) {
  for (const Result &r : results)
    if (r.workload == workload && r.impl == impl)
      return &r;
  return nullptr;
}

void act::bench::printSummary(llvm::raw_ostream &os,
                              const std::vector<Workload> &workloads,
                              const std::vector<Result> &results) {
  for (const Result &r : results)
    if (r.workload == "copy")
      os << llvm::format("copy %-12s %7.2f GB/s (median %.2f) on %s floats\n",
                         r.impl.c_str(), r.gbps(), r.medianGbps(),
                         r.shape.c_str());
  os << "GB/s = (input + output bytes) / min time; copy = the better copy of "
        "as many bytes.\n";

  std::vector<std::vector<std::string>> rows = {
      {"workload", "shape", "copy", "oneDNN", "torch", "act", "act/copy",
       "act/oneDNN", "act/torch"}};
  for (const Workload &w : workloads) {
    // The copy that moves the same bytes: cache residency, not the kernel,
    // would otherwise decide the ratio.
    double copy = NAN;
    for (const Result &r : results)
      if (r.workload == "copy" && r.bytes == w.bytes())
        copy = std::isnan(copy) ? r.gbps() : std::max(copy, r.gbps());
    const Result *dnnl = findResult(results, w.name, "onednn");
    const Result *torch = findResult(results, w.name, "torch");
    const Result *act = findResult(results, w.name, "act");
    double d = dnnl ? dnnl->gbps() : NAN, t = torch ? torch->gbps() : NAN,
           a = act ? act->gbps() : NAN;
    rows.push_back({w.name, w.shapeString(), fmt(copy), fmt(d), fmt(t), fmt(a),
                    fmt(a / copy), fmt(a / d), fmt(a / t)});
  }
  printTable(os, rows, 2);
}

void act::bench::printDetails(llvm::raw_ostream &os,
                              const std::vector<Result> &results) {
  std::vector<std::vector<std::string>> rows = {
      {"workload", "impl", "min ms", "median ms", "max ms", "first ms",
       "setup ms", "GB/s", "med GB/s", "cpu/wall", "error", "note"}};
  for (const Result &r : results)
    rows.push_back(
        {r.workload, r.impl, fmt(r.time.min * 1e3, "%.3f"),
         fmt(r.time.median * 1e3, "%.3f"), fmt(r.time.max * 1e3, "%.3f"),
         fmt(r.time.first * 1e3, "%.3f"), fmt(r.setupSeconds * 1e3, "%.3f"),
         fmt(r.gbps()), fmt(r.medianGbps()), fmt(r.cpuPerWall),
         r.error ? fmt(*r.error, "%.1e") : "-", r.note});
  printTable(os, rows, 2, /*lastIsText=*/true);
}

static std::string jsonString(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (static_cast<unsigned char>(c) < 0x20)
      out += llvm::formatv("\\u{0:x-4}", unsigned(c)).str();
    else
      out += c;
  }
  return out + "\"";
}

static std::string jsonNumber(double v) {
  return std::isfinite(v) ? fmt(v, "%.9g") : "null";
}

void act::bench::writeJson(
    llvm::raw_ostream &os,
    const std::vector<std::pair<std::string, std::string>> &meta,
    const std::vector<Result> &results) {
  os << "{\n  \"meta\": {";
  for (size_t i = 0; i < meta.size(); ++i)
    os << (i ? ",\n    " : "\n    ") << jsonString(meta[i].first) << ": "
       << jsonString(meta[i].second);
  os << "\n  },\n  \"rows\": [";
  for (size_t i = 0; i < results.size(); ++i) {
    const Result &r = results[i];
    os << (i ? ",\n" : "\n") << "    {\"workload\": " << jsonString(r.workload)
       << ", \"impl\": " << jsonString(r.impl)
       << ", \"shape\": " << jsonString(r.shape)
       << ", \"bytes\": " << jsonNumber(r.bytes)
       << ", \"repetitions\": " << r.time.repetitions
       << ", \"min_s\": " << jsonNumber(r.time.min)
       << ", \"median_s\": " << jsonNumber(r.time.median)
       << ", \"max_s\": " << jsonNumber(r.time.max)
       << ", \"first_s\": " << jsonNumber(r.time.first)
       << ", \"setup_s\": " << jsonNumber(r.setupSeconds)
       << ", \"gbps\": " << jsonNumber(r.gbps())
       << ", \"median_gbps\": " << jsonNumber(r.medianGbps())
       << ", \"cpu_per_wall\": " << jsonNumber(r.cpuPerWall)
       << ", \"flops\": " << (r.flops ? jsonNumber(*r.flops) : "null")
       << ", \"error\": " << (r.error ? jsonNumber(*r.error) : "null")
       << ", \"note\": " << jsonString(r.note) << "}";
  }
  os << "\n  ]\n}\n";
}

void act::bench::writeReportAndChart(const llvm::json::Value &report,
                                     llvm::StringRef jsonFileArg,
                                     llvm::StringRef chartFile,
                                     llvm::StringRef chartPython,
                                     llvm::StringRef chartScript,
                                     llvm::StringRef tempPrefix,
                                     std::vector<std::string> &errors) {
  std::string jsonFile = jsonFileArg.str();
  llvm::SmallString<128> tempJson;
  llvm::scope_exit removeTemp([&] {
    if (!tempJson.empty())
      llvm::sys::fs::remove(tempJson);
  });
  if (jsonFile.empty() && !chartFile.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile(tempPrefix, "json", tempJson))
      errors.push_back("cannot create a temporary file: " + ec.message());
    jsonFile = tempJson.str().str();
  }
  if (!jsonFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(jsonFile, ec, llvm::sys::fs::OF_Text);
    if (ec)
      errors.push_back("cannot write " + jsonFile + ": " + ec.message());
    else
      os << llvm::formatv("{0:2}", report) << "\n";
  }
  if (chartFile.empty() || jsonFile.empty())
    return;
  llvm::StringRef args[] = {chartPython, chartScript, jsonFile, chartFile};
  std::string error;
  int status = chartPython.empty()
                   ? -1
                   : llvm::sys::ExecuteAndWait(chartPython, args, std::nullopt,
                                               {}, 0, 0, &error);
  if (status != 0)
    errors.push_back(
        "--chart: " +
        (chartPython.empty() ? std::string("no python") : chartPython.str()) +
        " " + chartScript.str() + " failed" +
        (error.empty() ? "" : ": " + error) +
        " (matplotlib: .venv/bin/pip install -r "
        "tools/requirements-bench.txt)");
  else
    llvm::outs() << "\nchart: " << chartFile << "\n";
}

int act::bench::finishSuite(const llvm::json::Value &report,
                            llvm::StringRef jsonFile, llvm::StringRef chartFile,
                            llvm::StringRef chartPython,
                            llvm::StringRef chartScript,
                            llvm::StringRef tempPrefix,
                            std::vector<std::string> &errors, bool wrong) {
  writeReportAndChart(report, jsonFile, chartFile, chartPython, chartScript,
                      tempPrefix, errors);
  for (const std::string &e : errors)
    llvm::errs() << "act-bench: error: " << e << "\n";
  if (wrong)
    return 2;
  return errors.empty() ? 0 : 1;
}
