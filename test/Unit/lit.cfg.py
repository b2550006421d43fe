# -*- Python -*-
# The C++ unit tests: each gtest case is one lit test.

import os

import lit.formats

config.name = "ACT-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.act_obj_root, "test", "Unit")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
