#include "common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "common/error.h"

namespace teamor {
namespace {

std::filesystem::path make_temp_path(const std::filesystem::path& path) {
  std::random_device device;
  const auto suffix = std::to_string(static_cast<unsigned>(device()) ^ static_cast<unsigned>(getpid()));
  auto name = "." + path.filename().string() + ".tmp-" + suffix;
  return path.parent_path() / name;
}

void fsync_path(const std::filesystem::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) {
    if (directory) return;  // some file systems do not allow opening folders; the rename still holds
    throw IoError(std::string("cannot reopen temporary file to flush it: ") + std::strerror(errno),
                  path.string());
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0 && !directory)
    throw IoError(std::string("cannot flush file to disk: ") + std::strerror(saved), path.string());
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path, bool binary)
    : path_(std::move(path)), temp_path_(make_temp_path(path_)) {
  stream_.open(temp_path_, binary ? std::ios::out | std::ios::binary | std::ios::trunc
                                  : std::ios::out | std::ios::trunc);
  if (!stream_)
    throw IoError(std::string("cannot create file for writing: ") + std::strerror(errno),
                  path_.string());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_) {
    stream_.close();
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
}

void AtomicFileWriter::commit() {
  TEAMOR_ASSERT(!committed_);
  stream_.flush();
  const bool ok = static_cast<bool>(stream_);
  stream_.close();
  if (!ok || stream_.fail()) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
    throw IoError("writing failed (disk full or file system error); the previous file is kept",
                  path_.string());
  }
  fsync_path(temp_path_, false);
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) {
    std::filesystem::remove(temp_path_, ec);
    throw IoError("cannot replace the file: " + ec.message(), path_.string());
  }
  committed_ = true;
  fsync_path(path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path(), true);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view data) {
  AtomicFileWriter writer(path);
  writer.stream().write(data.data(), static_cast<std::streamsize>(data.size()));
  writer.commit();
}

}  // namespace teamor
