# -*- Python -*-

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ACT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".py", ".test"]
config.excludes = ["Unit", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "sanitizer_env.py"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.act_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%act_src_root", config.act_src_root))
config.substitutions.append(("%act_obj_root", config.act_obj_root))
config.substitutions.append(("%mlir_lib_dir", config.llvm_lib_dir))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))

# Python tests compare against independent references (mpmath, PyTorch)
# installed in the project's virtual environment by tools/setup.sh. (Not
# %python: lit's default substitutions already define that one.)
config.substitutions.append(("%act_python", config.python_venv))

# The import group (tools/requirements-import.txt): act-import and the model
# tests need it; without it they are reported unsupported.
import subprocess

for feature, module in [("torch-mlir", "torch_mlir"), ("onnx", "onnxruntime")]:
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec('{module}') is None)"
    if (
        os.path.exists(config.python_venv)
        and subprocess.run([config.python_venv, "-c", probe]).returncode == 0
    ):
        config.available_features.add(feature)

# Sanitizer builds (ACT_SANITIZE; docs/Testing.md, "Sanitizer builds"): the
# runtimes' options, features asan and ubsan, and for an uninstrumented host
# (Debian's mlir-opt) loading act's instrumented plugin, the shared runtime
# preloaded (%sanitizer_preload, empty otherwise).
preload = ""
if config.act_sanitize:
    import sys

    sys.path.insert(0, os.path.join(config.act_src_root, "test", "sanitizer"))
    import sanitizer_env

    sanitizer_env.configure(config)
    if config.act_asan_runtime and os.path.exists(config.act_asan_runtime):
        preload = "env LD_PRELOAD=" + config.act_asan_runtime
config.substitutions.append(("%sanitizer_preload", preload))

# act-fuzz (tools/act-fuzz), built in sanitizer builds with clang.
if config.act_build_fuzzer:
    config.available_features.add("act-fuzzer")

# The mlir-opt plugin (tools/act-plugin).
config.substitutions.append(
    (
        "%act_plugin",
        os.path.join(config.act_obj_root, "lib", "ActPlugin" + config.llvm_shlib_ext),
    )
)

# test/Embedding/consumer.test configures a project against installed act
# with the compiler, launcher, linker and MLIR act's build uses.
config.substitutions.append(("%cmake", config.cmake_command))
consumer_flags = [
    "-G Ninja",
    "-DCMAKE_MAKE_PROGRAM=" + config.make_program,
    "-DCMAKE_BUILD_TYPE=Release",
    "-DCMAKE_CXX_COMPILER=" + config.cxx_compiler,
    "-DMLIR_DIR=" + config.mlir_dir,
]
if config.cxx_compiler_launcher:
    consumer_flags.append("-DCMAKE_CXX_COMPILER_LAUNCHER=" + config.cxx_compiler_launcher)
# act's libraries from a sanitizer build call the sanitizer runtimes: the
# consumer is built with the same flags, as any user of such a build must.
link_flags = []
if config.llvm_use_linker:
    link_flags.append("-fuse-ld=" + config.llvm_use_linker)
if config.act_sanitize:
    consumer_flags.append("'-DCMAKE_CXX_FLAGS=%s'" % config.act_sanitize_flags)
    link_flags.append(config.act_sanitize_flags)
if link_flags:
    consumer_flags.append("'-DCMAKE_EXE_LINKER_FLAGS=%s'" % " ".join(link_flags))
config.substitutions.append(("%consumer_cmake_flags", " ".join(consumer_flags)))

tool_dirs = [config.act_tools_dir, config.llvm_tools_dir]
tools = [
    "act-opt",
    "act-accuracy",
    "act-run",
    "act-import",
    "act-bench",
    "act-train-mlp",
    ToolSubst("act-fuzz", unresolved="ignore"),
    ToolSubst("act-fuzz-structured", unresolved="ignore"),
    ToolSubst("mlir-opt", unresolved="ignore"),
    ToolSubst("mlir-translate", unresolved="ignore"),
    ToolSubst("llvm-nm", unresolved="ignore"),
    ToolSubst("llvm-readelf", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
