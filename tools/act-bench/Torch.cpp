//===- Torch.cpp - PyTorch's kernels as act-bench peers -------------------===//

#include "Torch.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace act::bench;

std::string act::bench::defaultTorchPython() {
  std::string python = ACT_BENCH_VENV_PYTHON;
  return llvm::sys::fs::can_execute(python) ? python : "";
}

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError("--torch: " + message);
}

llvm::Expected<llvm::json::Value>
act::bench::runPythonJson(llvm::StringRef python, llvm::StringRef script,
                          const llvm::json::Value &request,
                          std::optional<llvm::ArrayRef<llvm::StringRef>> env) {
  llvm::SmallString<128> in, out;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("act-bench-py", "json", in))
    return fail("cannot create a temporary file: " + ec.message());
  llvm::scope_exit removeIn([&] { llvm::sys::fs::remove(in); });
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("act-bench-py", "json", out))
    return fail("cannot create a temporary file: " + ec.message());
  llvm::scope_exit removeOut([&] { llvm::sys::fs::remove(out); });
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(in, ec);
    if (ec)
      return fail("cannot write " + in + ": " + ec.message());
    os << request;
  }

  llvm::StringRef args[] = {python, script};
  std::optional<llvm::StringRef> redirects[] = {
      llvm::StringRef(in), llvm::StringRef(out), std::nullopt};
  std::string error;
  int status =
      llvm::sys::ExecuteAndWait(python, args, env, redirects, 0, 0, &error);
  if (status != 0)
    return fail(python + " " + script + " failed" +
                (error.empty() ? "" : ": " + error));

  auto buffer = llvm::MemoryBuffer::getFile(out);
  if (!buffer)
    return fail("cannot read the results: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> parsed =
      llvm::json::parse((*buffer)->getBuffer());
  if (!parsed)
    return fail("malformed results: " + llvm::toString(parsed.takeError()));
  return parsed;
}

llvm::Expected<llvm::json::Value>
act::bench::runPeers(llvm::StringRef python, llvm::StringRef script,
                     const llvm::json::Value &request,
                     llvm::ArrayRef<std::string> env) {
  std::vector<llvm::StringRef> envRefs(env.begin(), env.end());
  llvm::Expected<llvm::json::Value> reply =
      runPythonJson(python, script, request, envRefs);
  if (!reply)
    return reply.takeError();
  const llvm::json::Object *root = reply->getAsObject();
  if (!root || !root->getArray("results"))
    return fail("malformed results of " + script);
  return reply;
}

std::vector<const llvm::json::Object *>
act::bench::peerRows(const llvm::json::Object &answer) {
  std::vector<const llvm::json::Object *> rows;
  for (const llvm::json::Value &row : *answer.getArray("results"))
    if (const llvm::json::Object *r = row.getAsObject())
      rows.push_back(r);
  return rows;
}

Measurement act::bench::peerTimes(const llvm::json::Object &row,
                                  int repetitions) {
  Measurement m;
  m.min = row.getNumber("min").value_or(NAN);
  m.median = row.getNumber("median").value_or(NAN);
  m.max = row.getNumber("max").value_or(NAN);
  m.first = row.getNumber("first").value_or(NAN);
  m.repetitions = repetitions;
  return m;
}

void act::bench::readPeerResult(const llvm::json::Object &row, int repetitions,
                                FlopsResult &r) {
  r.time = peerTimes(row, repetitions);
  r.measured = std::isfinite(r.time.median);
  r.setupSeconds = row.getNumber("setup_s").value_or(NAN);
  r.cpuPerWall = row.getNumber("cpu_per_wall").value_or(NAN);
  r.error = row.getNumber("error");
  r.note = row.getString("note").value_or("").str();
}

void act::bench::readPeerSkipped(const llvm::json::Object &answer,
                                 std::vector<std::string> &skipped) {
  if (const llvm::json::Array *s = answer.getArray("skipped"))
    for (const llvm::json::Value &v : *s)
      if (std::optional<llvm::StringRef> line = v.getAsString())
        skipped.push_back(line->str());
}

void act::bench::readPeerInfo(
    const llvm::json::Object &answer,
    std::vector<std::pair<std::string, std::string>> &info) {
  if (const llvm::json::Object *i = answer.getObject("info"))
    for (const auto &[key, value] : *i)
      if (std::optional<llvm::StringRef> text = value.getAsString())
        info.push_back({key.str(), text->str()});
}

llvm::Error act::bench::unknownPeerWorkload(llvm::StringRef name) {
  return fail("results for an unknown workload '" + name + "'");
}

llvm::Expected<std::vector<Result>>
act::bench::measureTorch(llvm::StringRef python,
                         const std::vector<Workload> &workloads,
                         int repetitions, int warmup) {
  llvm::json::Array list;
  for (const Workload &w : workloads) {
    llvm::json::Array attrs;
    for (const auto &[name, value] : w.attrs)
      attrs.push_back(llvm::json::Array{name, value});
    list.push_back(llvm::json::Object{{"name", w.name},
                                      {"op", w.op},
                                      {"shape", llvm::json::Array(w.shape)},
                                      {"attrs", std::move(attrs)}});
  }
  llvm::json::Value request = llvm::json::Object{{"workloads", std::move(list)},
                                                 {"repetitions", repetitions},
                                                 {"warmup", warmup}};

  llvm::Expected<llvm::json::Value> parsed =
      runPythonJson(python, ACT_BENCH_TORCH_SCRIPT, request);
  if (!parsed)
    return parsed.takeError();
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Array *rows = root ? root->getArray("results") : nullptr;
  if (!rows)
    return fail("malformed results: no \"results\" array");

  std::vector<Result> results;
  for (const llvm::json::Value &row : *rows) {
    const llvm::json::Object *o = row.getAsObject();
    std::optional<llvm::StringRef> name =
        o ? o->getString("workload") : std::nullopt;
    if (!name)
      return fail("malformed results: a row without a workload");
    const Workload *w = nullptr;
    for (const Workload &candidate : workloads)
      if (candidate.name == *name)
        w = &candidate;
    if (!w)
      return unknownPeerWorkload(*name);
    Result r;
    r.workload = w->name;
    r.impl = "torch";
    r.shape = w->shapeString();
    r.bytes = w->bytes();
    r.time = peerTimes(*o, repetitions);
    r.note = o->getString("note").value_or("").str();
    r.cpuPerWall = o->getNumber("cpu_per_wall").value_or(NAN);
    results.push_back(std::move(r));
  }
  return results;
}
