#pragma once
// Internal to io/: the libavformat layer of VideoReader. Owns one AVFormatContext, picks the best
// video stream and hands out its packets; every other stream is discarded at the source.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/ffmpeg_handles.h"

namespace teamor::io::detail {

/// Consecutive demuxer or decoder failures after which the data is taken as gone (truncated or
/// destroyed) and reading stops early; isolated bad packets below this are skipped.
inline constexpr int kMaxConsecutiveDemuxErrors = 64;

/// @brief Outcome of Demuxer::read().
enum class ReadStatus {
  Packet,  ///< a packet of the video stream was read
  End,     ///< clean end of the file
  Error,   ///< the container is damaged here (error code in ReadResult::error)
};

struct ReadResult {
  ReadStatus status = ReadStatus::End;
  int error = 0;  ///< FFmpeg error code when status == Error
};

/// @brief Opens a media file and reads the packets of its best video stream.
class Demuxer {
 public:
  /// @throws IoError naming @p path when it is missing, not a media file, or has no video stream
  explicit Demuxer(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  AVFormatContext* context() const { return context_.get(); }
  AVStream* stream() const { return context_->streams[stream_index_]; }
  int stream_index() const { return stream_index_; }

  /// @brief Reads the next packet of the video stream into @p packet (unreferenced first).
  /// Transient EAGAIN is retried a bounded number of times; other errors are returned, not thrown,
  /// so the caller can decode what came before the damage.
  ReadResult read(AVPacket* packet);

  /// @brief Seeks so that the next packet is the key frame at or before @p pts (stream time base).
  /// @return false when the container cannot seek there (the read position is then unspecified)
  bool seek_to_key_frame_before(std::int64_t pts);

  /// @brief Goes back to the first packet of the file (by timestamp, else by byte 0).
  /// @return false when neither works
  bool rewind();

 private:
  std::filesystem::path path_;
  FormatContextPtr context_;
  int stream_index_ = -1;
};

/// @brief Presentation timestamps of every packet of the video stream, from a packet scan (no
/// decoding). Used to count frames exactly, measure the frame rate, and map a pts to its frame
/// index.
struct PacketIndex {
  std::vector<std::int64_t> pts;  ///< sorted ascending, one per packet (dts where pts is missing)
  bool complete = true;           ///< false when the scan stopped on damage
  std::string stop_reason;        ///< why the scan stopped early, empty when complete
};

/// @brief Scans all packets of the best video stream of @p path with a separate demuxer.
/// @throws IoError when the file cannot be opened
PacketIndex scan_packet_index(const std::filesystem::path& path);

}  // namespace teamor::io::detail
