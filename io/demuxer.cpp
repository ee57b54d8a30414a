#include "io/demuxer.h"

#include <algorithm>

namespace teamor::io::detail {
namespace {

/// Demuxers on files rarely answer EAGAIN; a bounded retry keeps a broken one from spinning
/// forever.
constexpr int kMaxEagainRetries = 1000;

}  // namespace

Demuxer::Demuxer(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw IoError("the video file does not exist", path.string());
  if (std::filesystem::is_directory(path, ec))
    throw IoError("expected a video file, found a folder", path.string());

  AVFormatContext* raw = nullptr;
  const int opened = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  context_.reset(raw);  // null after a failed open (FFmpeg frees it), owned otherwise
  check_av(opened, "opening the file as a media container", path);
  check_av(avformat_find_stream_info(context_.get(), nullptr), "reading the stream information",
           path);

  const int best = av_find_best_stream(context_.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (best < 0 || (context_->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
    throw IoError("expected a video stream, found none (container '" +
                      std::string(context_->iformat->name) + "' with " +
                      std::to_string(context_->nb_streams) + " streams)",
                  path.string());
  }
  stream_index_ = best;
  // Let the demuxer skip audio, subtitles and data at the source instead of handing them to us.
  for (unsigned i = 0; i < context_->nb_streams; ++i)
    if (static_cast<int>(i) != stream_index_) context_->streams[i]->discard = AVDISCARD_ALL;
}

ReadResult Demuxer::read(AVPacket* packet) {
  int eagain = 0;
  for (;;) {
    av_packet_unref(packet);
    const int ret = av_read_frame(context_.get(), packet);
    if (ret == AVERROR(EAGAIN)) {
      if (++eagain > kMaxEagainRetries) return {ReadStatus::Error, ret};
      continue;
    }
    if (ret == AVERROR_EOF) {
      // EOF after an I/O error (disk, network share) is damage, not a clean end.
      if (context_->pb && context_->pb->error < 0) return {ReadStatus::Error, context_->pb->error};
      return {ReadStatus::End, 0};
    }
    if (ret < 0) return {ReadStatus::Error, ret};
    // Each packet of another stream consumes file data, so this loop ends with the file.
    if (packet->stream_index != stream_index_) continue;
    return {ReadStatus::Packet, 0};
  }
}

bool Demuxer::seek_to_key_frame_before(std::int64_t pts) {
  return av_seek_frame(context_.get(), stream_index_, pts, AVSEEK_FLAG_BACKWARD) >= 0;
}

bool Demuxer::rewind() {
  const AVStream* st = stream();
  const std::int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
  if (av_seek_frame(context_.get(), stream_index_, start, AVSEEK_FLAG_BACKWARD) >= 0) return true;
  return av_seek_frame(context_.get(), -1, 0, AVSEEK_FLAG_BYTE) >= 0;
}

PacketIndex scan_packet_index(const std::filesystem::path& path) {
  Demuxer demuxer(path);
  PacketPtr packet = make_packet();
  PacketIndex index;
  int consecutive_errors = 0;
  for (;;) {
    const ReadResult result = demuxer.read(packet.get());
    if (result.status == ReadStatus::End) break;
    if (result.status == ReadStatus::Error) {
      if (index.stop_reason.empty())
        index.stop_reason =
            "packet " + std::to_string(index.pts.size()) + ": " + av_error_text(result.error);
      // Some demuxers resynchronise after a bad packet; a run of failures means the data is gone.
      if (++consecutive_errors >= kMaxConsecutiveDemuxErrors) {
        index.complete = false;
        break;
      }
      continue;
    }
    consecutive_errors = 0;
    if (packet->flags & AV_PKT_FLAG_DISCARD) continue;  // decoded for references only, never shown
    const std::int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    if (ts != AV_NOPTS_VALUE) index.pts.push_back(ts);
  }
  if (index.complete) index.stop_reason.clear();
  std::sort(index.pts.begin(), index.pts.end());
  return index;
}

}  // namespace teamor::io::detail
