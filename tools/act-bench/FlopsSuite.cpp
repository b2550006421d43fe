//===- FlopsSuite.cpp - What the dense and attention suites share ---------===//

#include "FlopsSuite.h"

#include "Act.h"
#include "ActWorker.h"
#include "OneDnn.h"
#include "Torch.h"

#include "llvm/Support/Format.h"

#include <algorithm>

using namespace act::bench;

//===----------------------------------------------------------------------===//
// Measurements.
//===----------------------------------------------------------------------===//

InputBuffers::InputBuffers(std::vector<DenseInput> specsArg,
                           llvm::function_ref<void(size_t, float *)> fill)
    : specs(std::move(specsArg)) {
  for (size_t i = 0; i < specs.size(); ++i) {
    buffers.push_back(std::make_unique<Buffer>(specs[i].elements()));
    fill(i, buffers.back()->get());
    inputs.push_back(buffers.back()->get());
  }
}

int act::bench::serveFlopsWorker(
    llvm::StringRef moduleText, const InputBuffers &inputs,
    const std::vector<int64_t> &outShape, int threads, llvm::StringRef outFile,
    int repetitions, int warmup, mlir::act::math::MathMode math,
    llvm::StringRef mallocNote, llvm::StringRef inPlaceNote) {
  int64_t outFloats = 1;
  for (int64_t d : outShape)
    outFloats *= d;
  Buffer out(outFloats);
  std::fill(out.get(), out.get() + outFloats, NAN);
  std::vector<std::pair<const void *, std::vector<int64_t>>> args;
  for (size_t i = 0; i < inputs.specs.size(); ++i)
    args.push_back({inputs.inputs[i], inputs.specs[i].shape});
  args.push_back({out.get(), outShape});
  return serveActWorker(moduleText, args, out.get(), outFloats, threads,
                        outFile, repetitions, warmup, math, mallocNote,
                        inPlaceNote);
}

/// act's kernel for `r`'s workload at r.threads, compiled and measured by a
/// child process (this program with `args`, ActWorker.h); its output lands
/// in `out`, `outFloats` floats.
static FlopsResult measureActChild(const FlopsSuiteOptions &o, FlopsResult r,
                                   std::vector<std::string> args, float *out,
                                   int64_t outFloats) {
  ActChildRequest request;
  request.self = o.self;
  request.args = std::move(args);
  request.threads = r.threads;
  request.repetitions = o.repetitions;
  request.warmup = o.warmup;
  request.math = o.math;
  request.compileTimeout = o.compileTimeout;
  request.runTimeout = o.runTimeout;
  request.out = out;
  request.outFloats = outFloats;
  ActChildResult child = runActChild(request);
  r.measured = child.measured;
  r.time = child.time;
  r.setupSeconds = child.setupSeconds;
  r.cpuPerWall = child.cpuPerWall;
  r.note = child.note;
  return r;
}

/// oneDNN's kernel for `r`'s workload, made by `make` at r.threads and
/// measured in this process.
static FlopsResult measureOneDnnKernel(
    const FlopsSuiteOptions &o, FlopsResult r,
    llvm::function_ref<std::optional<Kernel>(std::string *)> make) {
  if (!setOneDnnThreads(r.threads)) {
    r.note = "cannot set oneDNN's threads (" + oneDnnRuntime() + " runtime)";
    return r;
  }
  std::string why;
  std::optional<Kernel> kernel = make(&why);
  if (!kernel) {
    r.note = why;
    return r;
  }
  r.setupSeconds = kernel->setupSeconds;
  r.note = kernel->note + ", " + oneDnnRuntime() + " " +
           std::to_string(r.threads) + " thread" + (r.threads == 1 ? "" : "s");
  r.time = measure(kernel->run, o.warmup, o.repetitions, r.cpuPerWall);
  r.measured = true;
  return r;
}

/// "  WORKLOAD IMPL THREADS thr MEDIAN ms GFLOP/s cpu/wall" (or the note of
/// a row that did not run) on stderr, the workload in `nameWidth` columns.
static void printProgress(const FlopsResult &r, int nameWidth) {
  if (!r.measured) {
    llvm::errs() << llvm::format("  %-*s %-13s %2d thr  %s\n", nameWidth,
                                 r.workload.c_str(), r.impl.c_str(), r.threads,
                                 r.note.c_str());
    return;
  }
  llvm::errs() << llvm::format("  %-*s %-13s %2d thr %10.4f ms %8.1f "
                               "GFLOP/s  cpu/wall %.2f\n",
                               nameWidth, r.workload.c_str(), r.impl.c_str(),
                               r.threads, r.time.median * 1e3, r.gflops(),
                               r.cpuPerWall);
}

/// oneDNN's implementations (in this process) and act's (in a child) on
/// workload `w` of `suite` at `threads`, into `results`.
static void measureWorkload(const FlopsSuite &suite, const FlopsWorkload &w,
                            int threads, std::vector<FlopsResult> &results) {
  const FlopsSuiteOptions &o = suite.options;
  const FlopsSuite::Description &d = suite.description;
  InputBuffers data = w.inputs();
  // One output for all the runs, NaN before each, so that a kernel that
  // writes nothing (or only part) fails the checks instead of inheriting the
  // last one's output.
  Buffer out(w.outFloats);
  auto fresh = [&] {
    std::fill(out.get(), out.get() + w.outFloats, NAN);
    return out.get();
  };
  // The first oneDNN output (weights as given) at this thread count is what
  // the others are compared with.
  std::optional<std::vector<float>> reference;
  auto add = [&](FlopsResult r, bool isReference) {
    if (r.measured) {
      r.error = w.referenceError(data.inputs, out.get());
      if (isReference)
        reference.emplace(out.get(), out.get() + w.outFloats);
      else if (reference)
        r.vsOneDnn = relativeMaxDiff(out.get(), reference->data(), w.outFloats);
    }
    printProgress(r, d.nameWidth);
    results.push_back(std::move(r));
  };
  auto row = [&](llvm::StringRef impl) {
    return FlopsResult(w.name, impl.str(), threads, w.flops, d.tolerance);
  };
  for (llvm::StringRef impl : d.oneDnnImpls) {
    if (!o.wants(impl))
      continue;
    float *y = fresh();
    add(measureOneDnnKernel(o, row(impl),
                            [&](std::string *why) {
                              return w.makeOneDnn(impl, data.inputs, y, why);
                            }),
        /*isReference=*/impl == d.oneDnnImpls.front());
  }
  if (o.wants("act")) {
    float *y = fresh();
    std::vector<std::string> args(d.workerArgs.begin(), d.workerArgs.end());
    args.push_back("--act-worker=" + w.name);
    add(measureActChild(o, row("act"), std::move(args), y, w.outFloats),
        /*isReference=*/false);
  }
}

/// The "flops" of the workload named `name` in the peers' request.
static std::optional<double> requestedFlops(const llvm::json::Array &workloads,
                                            llvm::StringRef name) {
  for (const llvm::json::Value &v : workloads)
    if (const llvm::json::Object *w = v.getAsObject())
      if (w->getString("name") == name)
        return w->getNumber("flops");
  return std::nullopt;
}

void act::bench::measurePythonPeers(const FlopsSuiteOptions &o,
                                    llvm::StringRef script,
                                    llvm::ArrayRef<const char *> impls,
                                    const llvm::json::Array &workloads,
                                    llvm::ArrayRef<std::string> env,
                                    double tolerance, FlopsRun &run) {
  llvm::json::Array want;
  for (const char *impl : impls)
    if (o.wants(impl))
      want.push_back(impl);
  if (want.empty())
    return;
  llvm::json::Value request =
      llvm::json::Object{{"workloads", llvm::json::Array(workloads)},
                         {"threads", llvm::json::Array(o.threads)},
                         {"repetitions", o.repetitions},
                         {"warmup", o.warmup},
                         {"impls", std::move(want)}};
  llvm::Expected<llvm::json::Value> reply =
      runPeers(o.python, script, request, env);
  if (!reply) {
    run.errors.push_back(llvm::toString(reply.takeError()));
    return;
  }
  const llvm::json::Object &root = *reply->getAsObject();
  for (const llvm::json::Object *r : peerRows(root)) {
    std::string workload = r->getString("workload").value_or("").str();
    std::optional<double> flops = requestedFlops(workloads, workload);
    if (!flops) {
      run.errors.push_back(llvm::toString(unknownPeerWorkload(workload)));
      return;
    }
    FlopsResult p(workload, r->getString("impl").value_or("").str(),
                  int(r->getInteger("threads").value_or(1)), *flops, tolerance);
    readPeerResult(*r, o.repetitions, p);
    run.results.push_back(std::move(p));
  }
  readPeerSkipped(root, run.skipped);
  readPeerInfo(root, run.info);
}

//===----------------------------------------------------------------------===//
// Reports.
//===----------------------------------------------------------------------===//

/// "act-bench --suite=SUITE: CPU, N cores, ISA; ONEDNN; threads T; R
/// repetitions after 1 + W warm-up calls".
static void printBanner(llvm::raw_ostream &os, llvm::StringRef suite,
                        llvm::StringRef dnnlInfo, const FlopsSuiteOptions &o) {
  IsaFlags isa = hostIsa();
  os << "act-bench --suite=" << suite << ": " << cpuModel() << ", "
     << hostCores() << " cores, avx2 " << (isa.avx2 ? "yes" : "no") << ", fma "
     << (isa.fma ? "yes" : "no") << ", avx512f " << (isa.avx512f ? "yes" : "no")
     << "; " << dnnlInfo << "; threads " << joinThreads(o.threads) << "; "
     << o.repetitions << " repetitions after 1 + " << o.warmup
     << " warm-up calls\n";
  // Before the children and the Python peers write to the same terminal.
  os.flush();
}

/// The best non-act result of `workload` at `threads` (by GFLOP/s), among
/// those with a correct output.
static const FlopsResult *bestPeer(const std::vector<FlopsResult> &results,
                                   llvm::StringRef workload, int threads) {
  const FlopsResult *best = nullptr;
  for (const FlopsResult &r : results)
    if (r.workload == workload && r.threads == threads && r.impl != "act" &&
        r.measured && !r.wrong() && (!best || r.gflops() > best->gflops()))
      best = &r;
  return best;
}

std::string act::bench::whyNotRun(const FlopsResult &r) {
  return llvm::StringRef(r.note)
      .split(" (")
      .first.split(':')
      .first.split(';')
      .first.str();
}

FlopsSummary::FlopsSummary(const std::vector<FlopsResult> &results,
                           llvm::StringRef workload, int threads)
    : workload(workload.str()), threads(threads),
      best(bestPeer(results, workload, threads)),
      act(findResult(results, workload, "act", threads)) {
  bestGflops = best ? best->gflops() : NAN;
  actGflops = act ? act->gflops() : NAN;
}

llvm::json::Object FlopsSummary::json() const {
  return llvm::json::Object{
      {"workload", workload},
      {"threads", threads},
      {"best_peer", best ? llvm::json::Value(best->impl) : nullptr},
      {"best_peer_gflops", finiteOrNull(bestGflops)},
      {"act_gflops", finiteOrNull(actGflops)},
      {"act_vs_best_peer", finiteOrNull(actGflops / bestGflops)},
      {"act_matches_onednn",
       act && act->vsOneDnn
           ? llvm::json::Value(*act->vsOneDnn <= act->tolerance)
           : nullptr}};
}

std::vector<FlopsSummary> FlopsSuite::summaries(const FlopsRun &run) const {
  std::vector<FlopsSummary> all;
  for (int t : options.threads)
    for (const FlopsWorkload &w : workloads)
      all.emplace_back(run.results, w.name, t);
  return all;
}

/// The "vs oneDNN" cell: "ok 1.2e-07", "MISMATCH 3.0e-02" or "-".
static std::string checkCell(const FlopsResult &r) {
  if (!r.vsOneDnn)
    return "-";
  return (*r.vsOneDnn <= r.tolerance ? "ok " : "MISMATCH ") +
         fmt(*r.vsOneDnn, "%.1e");
}

/// A table per thread count (its ceilings, then every result of the suite's
/// implementations, in table order, on each workload), then the notes on
/// FMA peaks that do not scale with the threads.
static void printTables(llvm::raw_ostream &os, const FlopsSuite &suite,
                        const FlopsRun &run) {
  for (int t : suite.options.threads) {
    const Ceiling *c = ceilingAt(run.ceilings, t);
    printCeilingHeader(os, *c);
    std::vector<std::vector<std::string>> rows = {
        {"workload", "impl", "threads", "median ms", "min ms", "GFLOP/s",
         "peak", "/best", "compile s", "cpu/wall", "error", "vs oneDNN",
         "note"}};
    for (const FlopsWorkload &w : suite.workloads) {
      const FlopsResult *best = bestPeer(run.results, w.name, t);
      for (const char *impl : suite.description.impls) {
        const FlopsResult *r = findResult(run.results, w.name, impl, t);
        if (!r)
          continue;
        double g = r->gflops();
        rows.push_back(
            {w.name, r->impl, std::to_string(t),
             r->measured ? milliseconds(r->time.median) : "-",
             r->measured ? milliseconds(r->time.min) : "-", fmt(g, "%.1f"),
             fmt(g / c->peak()), best ? fmt(g / best->gflops()) : "-",
             fmt(r->setupSeconds, "%.3f"), fmt(r->cpuPerWall),
             r->error ? fmt(*r->error, "%.1e") : "-", checkCell(*r), r->note});
      }
    }
    printTable(os, rows, 2, /*lastIsText=*/true);
  }
  printUnscaledPeakNotes(os, run.ceilings);
}

/// Lists the wrong outputs among `results` (the tolerance said to be of
/// `scale`, e.g. "max |Y|"); whether there were any.
static bool printWrongOutputs(llvm::raw_ostream &os,
                              const std::vector<FlopsResult> &results,
                              double tolerance, llvm::StringRef scale) {
  bool wrong = false;
  for (const FlopsResult &r : results)
    if (r.wrong()) {
      if (!wrong)
        os << "\nWRONG OUTPUT / MISMATCH (tolerance " << tolerance << " of "
           << scale << ", against the double reference and oneDNN):\n";
      wrong = true;
      os << "  " << r.workload << " (" << r.impl << ", " << r.threads
         << " thread" << (r.threads == 1 ? "" : "s") << "): error "
         << (r.error ? fmt(*r.error, "%.3g") : std::string("-"))
         << ", vs oneDNN "
         << (r.vsOneDnn ? fmt(*r.vsOneDnn, "%.3g") : std::string("-")) << "\n";
    }
  return wrong;
}

llvm::json::Object act::bench::flopsMetaJson(
    llvm::StringRef suite, const FlopsSuiteOptions &o, double tolerance,
    llvm::StringRef gflops,
    const std::vector<std::pair<std::string, std::string>> &info) {
  llvm::json::Object meta{
      {"suite", suite.str()},     {"repetitions", o.repetitions},
      {"warmup", o.warmup},       {"threads", llvm::json::Array(o.threads)},
      {"math", mathName(o.math)}, {"tolerance", tolerance},
      {"gflops", gflops.str()}};
  for (const auto &[key, value] : info)
    meta[key] = value;
  return meta;
}

llvm::json::Value act::bench::flopsReportJson(llvm::json::Object meta,
                                              const FlopsRun &run,
                                              llvm::json::Array workloads,
                                              llvm::json::Array summary) {
  llvm::json::Array rows;
  for (const FlopsResult &r : run.results) {
    const Ceiling *c = ceilingAt(run.ceilings, r.threads);
    const FlopsResult *best = bestPeer(run.results, r.workload, r.threads);
    double g = r.gflops();
    llvm::json::Object row = r.json();
    row["flops"] = r.flops;
    row["repetitions"] = r.time.repetitions;
    row["gflops_min_time"] = finiteOrNull(r.minGflops());
    row["peak_fraction"] = finiteOrNull(c ? g / c->peak() : NAN);
    row["vs_best_peer"] = finiteOrNull(best ? g / best->gflops() : NAN);
    row["best_peer"] = best ? llvm::json::Value(best->impl) : nullptr;
    row["vs_onednn"] = r.vsOneDnn ? finiteOrNull(*r.vsOneDnn) : nullptr;
    rows.push_back(std::move(row));
  }
  return llvm::json::Object{{"meta", std::move(meta)},
                            {"machine", machineJson(run.ceilings)},
                            {"workloads", std::move(workloads)},
                            {"rows", std::move(rows)},
                            {"summary", std::move(summary)}};
}

//===----------------------------------------------------------------------===//
// The suite.
//===----------------------------------------------------------------------===//

int act::bench::runFlopsSuite(const FlopsSuite &suite) {
  const FlopsSuiteOptions &o = suite.options;
  const FlopsSuite::Description &d = suite.description;
  initOneDnn();
  std::string dnnlInfo = oneDnnVersion();
  printBanner(llvm::outs(), d.name, dnnlInfo, o);

  // The ceilings before and after the kernels, the better of the two: on a
  // shared machine a peak measured while another job ran would understate
  // what the kernels had at other times.
  FlopsRun run;
  measureCeilings(o.threads, o.copyFloats, o.warmup, o.repetitions,
                  run.ceilings, "before");

  llvm::errs() << "measuring (median time):\n";
  // Thread counts outermost: after a threaded run, its pool's threads spin
  // for a while, and on a small machine they would steal from the
  // single-threaded runs that follow.
  for (int t : o.threads)
    for (const FlopsWorkload &w : suite.workloads)
      measureWorkload(suite, w, t, run.results);

  // The Python peers last.
  run.info = {{"onednn", dnnlInfo}, {"onednn_runtime", oneDnnRuntime()}};
  size_t before = run.results.size();
  suite.measurePeers(run);
  for (size_t i = before; i < run.results.size(); ++i)
    printProgress(run.results[i], d.nameWidth);

  measureCeilings(o.threads, o.copyFloats, o.warmup, o.repetitions,
                  run.ceilings, "after");
  printTables(llvm::outs(), suite, run);
  suite.printSummary(llvm::outs(), run);
  printNotes(llvm::outs(), "skipped", run.skipped);
  bool wrong =
      printWrongOutputs(llvm::outs(), run.results, d.tolerance, d.scale);

  // The JSON, and from it the chart.
  return finishSuite(suite.jsonReport(run), o.jsonFile, o.chartFile,
                     o.chartPython, d.chartScript,
                     std::string("act-bench-") + d.name, run.errors, wrong);
}
