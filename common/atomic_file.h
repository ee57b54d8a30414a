#pragma once
// Files the user keeps are never half-written: data goes to a temporary file in the same folder, is
// flushed and fsync'ed, then renamed over the target (rename is atomic on POSIX file systems). A crash
// at any point leaves either the old file or the new one.

#include <filesystem>
#include <fstream>
#include <string_view>

namespace teamor {

/// @brief Writes @p data to @p path atomically (temp file + fsync + rename).
/// @throws IoError naming the path when the folder is not writable or the disk is full.
void write_file_atomically(const std::filesystem::path& path, std::string_view data);

/// @brief Streams into a temporary file; commit() publishes it under the final name.
/// Destroying the writer without commit() removes the temporary file and leaves the target untouched.
///
///   AtomicFileWriter out("results.json");
///   out.stream() << json.dump(2);
///   out.commit();
class AtomicFileWriter {
 public:
  /// @param path final path; its folder must exist
  /// @param binary open the stream in binary mode
  explicit AtomicFileWriter(std::filesystem::path path, bool binary = true);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  std::ostream& stream() { return stream_; }
  /// @brief Flushes, fsyncs and renames the temporary file to the final path.
  /// @throws IoError when any of these fail (the target keeps its old content).
  void commit();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::ofstream stream_;
  bool committed_ = false;
};

}  // namespace teamor
