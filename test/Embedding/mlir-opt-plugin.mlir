// Debian's mlir-opt (linked to libMLIR.so) with act loaded as a plugin: the
// dialect (parsing act ops), act's passes and the act-to-llvm pipeline.

// RUN: %sanitizer_preload mlir-opt %s --load-dialect-plugin=%act_plugin | FileCheck --check-prefix=PARSE %s
// RUN: %sanitizer_preload mlir-opt %s --load-dialect-plugin=%act_plugin --load-pass-plugin=%act_plugin \
// RUN:   --pass-pipeline="builtin.module(convert-act-to-linalg)" | FileCheck --check-prefix=LINALG %s
// RUN: %sanitizer_preload mlir-opt %s --load-dialect-plugin=%act_plugin --load-pass-plugin=%act_plugin \
// RUN:   --pass-pipeline="builtin.module(act-to-llvm{target-cpu=skylake-avx512 threads=1})" \
// RUN:   | FileCheck --check-prefix=LLVM %s

// The plugin takes MLIR from libMLIR.so, as mlir-opt does, instead of
// carrying a second copy of it.
// RUN: llvm-readelf --dynamic %act_plugin | FileCheck --check-prefix=NEEDED %s
// RUN: llvm-nm --defined-only --demangle %act_plugin | FileCheck --check-prefix=SYMBOLS %s \
// RUN:   --implicit-check-not="mlir::MLIRContext::MLIRContext(" \
// RUN:   --implicit-check-not="mlir::PassManager::run("

func.func @ffn(%h: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %g = act.gelu %h approximate = tanh : tensor<8x64xf32>
  %y = act.leaky_relu %g {negative_slope = 0.2 : f64} : tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// PARSE-LABEL: func.func @ffn
// PARSE:         act.gelu %{{.*}} approximate = tanh : tensor<8x64xf32>
// PARSE:         act.leaky_relu %{{.*}} {negative_slope = 2.000000e-01 : f64} : tensor<8x64xf32>

// LINALG-LABEL: func.func @ffn
// LINALG-NOT:     act.
// LINALG:         linalg.generic
// LINALG:           math.roundeven
// LINALG:           linalg.yield
// LINALG:         linalg.generic
// LINALG:           arith.cmpf ogt
// LINALG:           arith.select

// LLVM-NOT:   act.
// LLVM-LABEL: llvm.func @ffn(
// LLVM-SAME:    target_cpu = "skylake-avx512"
// LLVM-NOT:     act.
// LLVM:         llvm.intr.fma{{.*}}vector<16xf32>

// NEEDED: (NEEDED) Shared library: [libMLIR.so.22.1]

// SYMBOLS: mlirGetDialectPluginInfo
// SYMBOLS: mlirGetPassPluginInfo
