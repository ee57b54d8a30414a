// A stand-in worker for the shard test: runs the real batch runner over a list file, and for each
// recording it is given appends the id to a shared log (O_APPEND, one write per line, so lines of
// concurrent processes never interleave) and writes a result file atomically. Ids containing
// "broken" fail, to check that failures are isolated.
//
//   teamor_batch_probe LIST OUT_DIR SHARD LOG [--resume] [--jobs N]

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "app/pipeline/batch_inputs.h"
#include "app/pipeline/batch_runner.h"
#include "common/atomic_file.h"
#include "common/error.h"

using namespace teamor::app::pipeline;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s LIST OUT_DIR SHARD LOG [--resume] [--jobs N]\n", argv[0]);
    return 2;
  }
  BatchOptions options;
  options.out_dir = argv[2];
  options.shard = parse_shard(argv[3]);
  const std::string log = argv[4];
  for (int i = 5; i < argc; ++i) {
    if (std::strcmp(argv[i], "--resume") == 0) options.resume = true;
    if (std::strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) options.jobs = std::atoi(argv[++i]);
  }
  try {
    const auto mine = select_shard(discover_batch_inputs(argv[1], options.out_dir), options.shard);
    teamor::CancelToken cancel;
    auto work = [&](const BatchInput& input, const std::filesystem::path& output,
                    const teamor::CancelToken&, const teamor::ProgressCallback&) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
      if (fd < 0) throw teamor::IoError("cannot open the log", log);
      const std::string line = input.id + " " + std::to_string(::getpid()) + "\n";
      const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
      ::close(fd);
      if (!ok) throw teamor::IoError("cannot write the log", log);
      // Give the other shard processes a chance to run at the same time.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (input.id.find("broken") != std::string::npos) {
        throw teamor::FormatError("recording is broken on purpose", input.path.string());
      }
      teamor::write_file_atomically(output, input.id + "\n");
      return ItemOutcome{1, 1.0};
    };
    const auto summary = run_batch(mine, options, work, cancel);
    write_batch_summary(summary, options, "probe");
    return summary.count(ItemStatus::Failed) > 0 ? 1 : 0;
  } catch (const teamor::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
