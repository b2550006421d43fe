# -*- Python -*-

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ACT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".py", ".test"]
config.excludes = ["Unit", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

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

# torch-mlir (the importer, not a dependency of act) is optional in that
# environment: tests that export models with it say `REQUIRES: torch-mlir`.
import subprocess

if os.path.exists(config.python_venv) and subprocess.run(
    [config.python_venv, "-c", "import torch_mlir"],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
).returncode == 0:
    config.available_features.add("torch-mlir")

tool_dirs = [config.act_tools_dir, config.llvm_tools_dir]
tools = [
    "act-opt",
    "act-accuracy",
    "act-run",
    "act-bench",
    "act-train-mlp",
    ToolSubst("mlir-opt", unresolved="ignore"),
    ToolSubst("mlir-translate", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
