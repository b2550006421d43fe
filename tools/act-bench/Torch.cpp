//===- Torch.cpp - PyTorch's kernels as act-bench peers -------------------===//

#include "Torch.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

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
      return fail("results for an unknown workload '" + *name + "'");
    Result r;
    r.workload = w->name;
    r.impl = "torch";
    r.shape = w->shapeString();
    r.bytes = w->bytes();
    r.time.min = o->getNumber("min").value_or(NAN);
    r.time.median = o->getNumber("median").value_or(NAN);
    r.time.max = o->getNumber("max").value_or(NAN);
    r.time.first = o->getNumber("first").value_or(NAN);
    r.time.repetitions = repetitions;
    r.note = o->getString("note").value_or("").str();
    r.cpuPerWall = o->getNumber("cpu_per_wall").value_or(NAN);
    results.push_back(std::move(r));
  }
  return results;
}
