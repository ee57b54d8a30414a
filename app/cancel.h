#pragma once
#include "common/progress.h"

namespace teamor::app {
/// The process-wide cancel token, set by Ctrl-C (install_interrupt_handler()).
CancelToken& cancel_token();
}  // namespace teamor::app
