#include "app/cancel.h"

namespace teamor::app {
CancelToken& cancel_token() {
  static CancelToken token;
  return token;
}
}  // namespace teamor::app
