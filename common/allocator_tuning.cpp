#include "common/allocator_tuning.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace teamor {

void tune_allocator_for_large_buffers() {
#ifdef __GLIBC__
  // 1 GiB: larger than any single tensor of a long surgery's forward pass at fp32.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace teamor
