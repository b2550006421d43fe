# The sanitizer runtimes' options for the tests of a sanitizer build
# (ACT_SANITIZE), shared by test/lit.cfg.py and test/Unit/lit.cfg.py.
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def configure(config):
    # Stop at the first report with a stack, so that any finding fails its
    # test; leaks are reported except those lsan.supp lists (global state
    # of LLVM and MLIR, not act's).
    config.environment["ASAN_OPTIONS"] = ":".join(
        [
            # LLVM's BumpPtrAllocator poisons its slabs in code compiled with
            # ASan (its header's inline functions in act) but not in
            # Debian's uninstrumented libMLIR.so, whose allocations then
            # read as use-after-poison. act poisons nothing itself.
            "allow_user_poisoning=0",
            "abort_on_error=0",
            "halt_on_error=1",
            "detect_leaks=1",
            "detect_stack_use_after_return=0",
            "strict_string_checks=1",
            "check_initialization_order=1",
        ]
    )
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    config.environment["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
        HERE, "lsan.supp"
    )
    # The reports symbolize with LLVM's symbolizer.
    symbolizer = "/usr/lib/llvm-22/bin/llvm-symbolizer"
    if os.path.exists(symbolizer):
        config.environment["ASAN_SYMBOLIZER_PATH"] = symbolizer
    if "address" in config.act_sanitize:
        config.available_features.add("asan")
    if "undefined" in config.act_sanitize:
        config.available_features.add("ubsan")
