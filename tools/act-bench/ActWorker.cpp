//===- ActWorker.cpp - act's kernels measured in a child process ----------===//

#include "ActWorker.h"

#include "Act.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

extern char **environ;

using namespace act::bench;

std::vector<std::string>
act::bench::environmentWithout(llvm::ArrayRef<llvm::StringRef> drop,
                               llvm::ArrayRef<std::string> set) {
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e) {
    llvm::StringRef entry(*e);
    if (!llvm::is_contained(drop, entry.split('=').first))
      env.push_back(entry.str());
  }
  env.insert(env.end(), set.begin(), set.end());
  return env;
}

void act::bench::sayToParent(const std::string &line) {
  std::string flat = line;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  llvm::outs() << flat << "\n";
  llvm::outs().flush();
}

int act::bench::serveActWorker(
    llvm::StringRef moduleText,
    llvm::ArrayRef<std::pair<const void *, std::vector<int64_t>>> args,
    const float *out, int64_t outFloats, int threads, llvm::StringRef outFile,
    int repetitions, int warmup, mlir::act::math::MathMode math,
    llvm::StringRef mallocNote, llvm::StringRef inPlaceNote) {
  std::string options =
      actMathOption(math) + " threads=" + std::to_string(threads);
  std::string why;
  std::optional<ActCompiled> compiled = compileAct(moduleText, options, &why);
  if (!compiled) {
    sayToParent("failed " + why);
    return 1;
  }
  std::string note = actJitNote(*compiled, math, mallocNote, inPlaceNote) +
                     ", act-to-llvm{threads=" + std::to_string(threads) + "}";
  sayToParent(llvm::formatv("compiled {0:e9}\t{1}",
                            compiled->pipelineSeconds + compiled->jitSeconds,
                            note)
                  .str());

  std::function<void()> run = bindAct(*compiled, args);
  double cpu = processCpuSeconds(), wall = wallSeconds();
  Measurement m = measure(run, warmup, repetitions);
  double cpuPerWall = (processCpuSeconds() - cpu) / (wallSeconds() - wall);

  std::error_code ec;
  llvm::raw_fd_ostream os(outFile, ec, llvm::sys::fs::OF_None);
  if (ec) {
    sayToParent("failed cannot write " + outFile.str() + ": " + ec.message());
    return 1;
  }
  os.write(reinterpret_cast<const char *>(out), outFloats * sizeof(float));
  os.close();
  sayToParent(llvm::formatv("measured {0:e9} {1:e9} {2:e9} {3:e9} {4:e9}",
                            m.min, m.median, m.max, m.first, cpuPerWall)
                  .str());
  return 0;
}

/// The last non-empty line of `file`, shortened: what a crashing compiler
/// said last (an assertion, "LLVM ERROR: ...").
static std::string lastLine(llvm::StringRef file) {
  auto buffer = llvm::MemoryBuffer::getFile(file);
  if (!buffer)
    return "";
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  for (llvm::StringRef line : llvm::reverse(lines)) {
    line = line.trim();
    // LLVM's crash handler ends with the stack; its first line is the news.
    if (line.empty() || line.starts_with("#") ||
        line.starts_with("Stack dump") || line.starts_with("PLEASE") ||
        line.starts_with("0.") || line.starts_with("1."))
      continue;
    return line.size() > 160 ? line.take_front(157).str() + "..." : line.str();
  }
  return "";
}

ActChildResult act::bench::runActChild(const ActChildRequest &o) {
  ActChildResult r;
  llvm::SmallString<128> stdoutFile, stderrFile, outFile;
  for (auto *f : {&stdoutFile, &stderrFile, &outFile})
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("act-bench-act", "txt", *f)) {
      r.note = "cannot create a temporary file: " + ec.message();
      return r;
    }
  llvm::scope_exit remove([&] {
    for (auto *f : {&stdoutFile, &stderrFile, &outFile})
      llvm::sys::fs::remove(*f);
  });

  std::vector<std::string> argv = {o.self};
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  argv.insert(argv.end(), {"--act-worker-out=" + outFile.str().str(),
                           "--act-worker-threads=" + std::to_string(o.threads),
                           "--repetitions=" + std::to_string(o.repetitions),
                           "--warmup=" + std::to_string(o.warmup),
                           "--math=" + mathName(o.math)});
  // The parent's oneDNN setting is not the child's: a threaded act kernel
  // on OpenMP would read it.
  std::vector<std::string> env = environmentWithout(
      {"OMP_NUM_THREADS"}, {"OMP_NUM_THREADS=" + std::to_string(o.threads)});
  std::vector<llvm::StringRef> argRefs(argv.begin(), argv.end()),
      envRefs(env.begin(), env.end());
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""),
                                                llvm::StringRef(stdoutFile),
                                                llvm::StringRef(stderrFile)};
  std::string error;
  bool failedToStart = false;
  llvm::sys::ProcessInfo pi = llvm::sys::ExecuteNoWait(
      o.self, argRefs, envRefs, redirects, 0, &error, &failedToStart);
  if (failedToStart) {
    r.note = "compile failed: cannot start " + o.self + ": " + error;
    return r;
  }

  // Poll: the child says "compiled" when act's pipeline and the JIT are
  // done; until then the compile timeout runs, after it the run timeout.
  double start = wallSeconds(), compiledAt = NAN;
  std::string compiledLine, measuredLine, failedLine;
  auto readStatus = [&] {
    auto buffer = llvm::MemoryBuffer::getFile(stdoutFile);
    if (!buffer)
      return;
    llvm::SmallVector<llvm::StringRef> lines;
    (*buffer)->getBuffer().split(lines, '\n', -1, false);
    for (llvm::StringRef line : lines) {
      if (line.starts_with("compiled ") && compiledLine.empty()) {
        compiledLine = line.str();
        compiledAt = wallSeconds();
      }
      if (line.starts_with("measured "))
        measuredLine = line.str();
      if (line.starts_with("failed "))
        failedLine = line.drop_front(7).str();
    }
  };
  std::string killedFor;
  llvm::sys::ProcessInfo done;
  for (;;) {
    done = llvm::sys::Wait(pi, 0, &error);
    if (done.Pid != 0)
      break;
    readStatus();
    double now = wallSeconds();
    if (compiledLine.empty() && now - start > o.compileTimeout)
      killedFor = llvm::formatv("compile timeout (> {0} s)", o.compileTimeout);
    else if (!compiledLine.empty() && now - compiledAt > o.runTimeout)
      killedFor = llvm::formatv("run timeout (> {0} s)", o.runTimeout);
    if (!killedFor.empty()) {
      ::kill(pi.Pid, SIGKILL);
      done = llvm::sys::Wait(pi, std::nullopt, &error);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  readStatus();

  if (!compiledLine.empty()) {
    auto [head, note] = llvm::StringRef(compiledLine).split('\t');
    double compile = NAN;
    if (!head.drop_front(9).trim().getAsDouble(compile))
      r.setupSeconds = compile;
    r.note = note.str();
  }
  if (!killedFor.empty()) {
    r.note = killedFor + (r.note.empty() ? "" : "; " + r.note);
    return r;
  }
  if (measuredLine.empty()) {
    std::string reason = !failedLine.empty() ? failedLine
                         : done.ReturnCode == -2
                             ? "crashed (" + error + ")"
                             : "exit " + std::to_string(done.ReturnCode);
    std::string said = lastLine(stderrFile);
    if (!said.empty() && failedLine.empty())
      reason += ": " + said;
    r.note = (compiledLine.empty() ? "compile failed: " : "run failed: ") +
             reason + (r.note.empty() ? "" : "; " + r.note);
    return r;
  }
  llvm::SmallVector<llvm::StringRef> fields;
  llvm::StringRef(measuredLine).drop_front(9).split(fields, ' ');
  double v[5] = {NAN, NAN, NAN, NAN, NAN};
  for (size_t i = 0; i < 5 && i < fields.size(); ++i)
    if (fields[i].getAsDouble(v[i]))
      v[i] = NAN;
  r.time.min = v[0];
  r.time.median = v[1];
  r.time.max = v[2];
  r.time.first = v[3];
  r.time.repetitions = o.repetitions;
  r.cpuPerWall = v[4];
  auto buffer = llvm::MemoryBuffer::getFile(outFile, /*IsText=*/false);
  if (!buffer ||
      (*buffer)->getBufferSize() != size_t(o.outFloats) * sizeof(float)) {
    r.note = "run failed: no output from the child; " + r.note;
    return r;
  }
  std::memcpy(o.out, (*buffer)->getBufferStart(), (*buffer)->getBufferSize());
  r.measured = true;
  return r;
}
