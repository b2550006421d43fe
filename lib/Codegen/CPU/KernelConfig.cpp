//===- KernelConfig.cpp - Tile sizes of act's CPU kernels -----------------===//

#include "act/Codegen/CPU/KernelConfig.h"

#include <algorithm>

using namespace mlir;

/// B's elements from which a few rows are computed by streaming B (1 MiB of
/// f32): below, B stays in L2 and the tiled form is as fast.
static constexpr int64_t kStreamMinElements = int64_t(1) << 18;

act::ContractionConfig act::selectContractionConfig(
    unsigned vectorBits, unsigned computeBits, int64_t m, int64_t n, int64_t k,
    bool bContiguousAlongN, bool bContiguousAlongK, bool bConstant) {
  ContractionConfig config;
  config.lanes = std::max<int64_t>(1, vectorBits / computeBits);
  // Registers for accumulators: of 16 (AVX2), two hold a row of B and one a
  // broadcast of A; AVX-512 has 32 and folds the broadcast into the FMA.
  int64_t accumulators = vectorBits >= 512 ? 24 : 12;
  // A matrix-vector product (or a few rows) against a transposed weight
  // given at run time: packing would gather each element of B to use it
  // M times. Dot products along K read B once, in order.
  if (!bContiguousAlongN && bContiguousAlongK && !bConstant && m >= 1 &&
      m <= 4) {
    config.dotForm = true;
    config.mr = m;
    // Eight rows of B streamed at once read as fast as sixteen (measured,
    // Zen 5) and leave registers to the rows of A.
    config.dotColumns =
        std::max<int64_t>(1, std::min<int64_t>(8, accumulators / m));
    return config;
  }
  // A matrix-vector product (or a few rows) against a large weight as given:
  // a tile of columns would read each row of B in short pieces, N apart, one
  // page each (measured at a third of numpy's sgemv). Whole rows of B in
  // order are one stream the prefetchers follow.
  if (bContiguousAlongN && !bConstant && m >= 1 && m <= 4 &&
      n * k >= kStreamMinElements) {
    config.streamForm = true;
    config.mr = m;
    // Chunks of at least 256 rows, at most 16: enough for 16 cores, and
    // their partials (16 M N elements) stay small next to B.
    config.kChunks = std::clamp<int64_t>(k / 256, 1, 16);
    return config;
  }
  // The tile of the BLIS/oneDNN kernels: two registers of B per row.
  int64_t mr = accumulators / 2;
  int64_t vectorsPerRow = 2;
  if (m >= 0 && m < mr) {
    // Few rows (M = 1 is a matrix-vector product): wider rows keep as many
    // FMAs independent.
    mr = m == 0 ? 1 : m;
    vectorsPerRow =
        std::min<int64_t>(8, std::max<int64_t>(2, accumulators / mr));
  }
  // No wider than N needs.
  int64_t nVectors = (n + config.lanes - 1) / config.lanes;
  vectorsPerRow = std::max<int64_t>(1, std::min(vectorsPerRow, nVectors));
  config.mr = mr;
  config.nr = vectorsPerRow * config.lanes;
  // A panel is reused by every row block: copying it pays once there are
  // several, and turns B's rows (N apart, often a multiple of the cache's
  // set stride) into one contiguous, conflict-free stream.
  config.packB = !bContiguousAlongN || m < 0 || m >= 4 * config.mr;
  // A row block is read once per panel: copying it pays when there are
  // several panels and row blocks.
  int64_t panels = (n + config.nr - 1) / config.nr;
  config.packA = (m < 0 || m >= 2 * config.mr) && panels >= 4;
  return config;
}

act::AttentionConfig act::selectAttentionConfig(unsigned vectorBits, int64_t m,
                                                int64_t n, int64_t k,
                                                int64_t dv) {
  // The score tile is a contraction's tile (f32, B packed).
  ContractionConfig tile =
      selectContractionConfig(vectorBits, 32, m, n, k, /*bContiguous=*/false);
  AttentionConfig config;
  config.mr = tile.mr;
  config.lanes = tile.lanes;
  config.nr = tile.nr;
  int64_t rowTiles = 4;
  if (dv == 0) {
    // A block's scores (rows x n) stay in L2 between the passes of the
    // softmax: 256 KiB, half of the smallest L2 act targets (Zen 3).
    int64_t budget = (int64_t(256) << 10) / 4;
    rowTiles =
        std::clamp<int64_t>(budget / std::max<int64_t>(n, 1) / config.mr, 1, 4);
  }
  config.rowsPerBlock = rowTiles * config.mr;
  // Keys per block: 8 panels (256 on AVX-512, 128 on AVX2), fewer if the
  // keys are fewer; the rescaling of the output runs once per block.
  int64_t panels = (n + config.nr - 1) / config.nr;
  config.keysPerBlock =
      std::min<int64_t>(8, std::max<int64_t>(panels, 1)) * config.nr;
  return config;
}
