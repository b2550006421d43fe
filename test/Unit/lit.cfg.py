# -*- Python -*-
# The C++ unit tests: each gtest case is one lit test.

import os

import lit.formats

config.name = "ACT-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.act_obj_root, "test", "Unit")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")

# Sanitizer builds: the same runtime options as the main suite.
if config.act_sanitize:
    import sys

    sys.path.insert(0, os.path.join(config.act_src_root, "test", "sanitizer"))
    import sanitizer_env

    sanitizer_env.configure(config)
