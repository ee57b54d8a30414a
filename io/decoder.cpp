#include "io/decoder.h"

namespace teamor::io::detail {

Decoder::Decoder(const AVStream& stream, int threads, bool keyframes_only,
                 const std::filesystem::path& path) {
  const AVCodecParameters& parameters = *stream.codecpar;
  const AVCodec* codec = avcodec_find_decoder(parameters.codec_id);
  if (!codec) {
    throw IoError(std::string("expected a video codec FFmpeg can decode, found '") +
                      avcodec_get_name(parameters.codec_id) + "' with no decoder installed",
                  path.string());
  }
  context_.reset(avcodec_alloc_context3(codec));
  if (!context_) throw IoError("could not allocate a decoder (out of memory)", path.string());
  check_av(avcodec_parameters_to_context(context_.get(), &parameters),
           "copying the stream's codec parameters", path);
  // Timestamps on frames (best_effort_timestamp) are only right when the decoder knows the time
  // base.
  context_->pkt_timebase = stream.time_base;
  context_->thread_count = threads > 0 ? threads : 0;
  // Frame threading decodes several frames at once (the big win for H.264/HEVC); slice threading
  // helps intra-only and single-frame latency. FFmpeg picks what the codec supports.
  context_->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  if (keyframes_only) context_->skip_frame = AVDISCARD_NONKEY;
  check_av(avcodec_open2(context_.get(), codec, nullptr),
           std::string("opening the ") + codec->name + " decoder", path);
}

int Decoder::send(const AVPacket* packet) {
  return avcodec_send_packet(context_.get(), packet);
}

int Decoder::receive(AVFrame* frame) {
  return avcodec_receive_frame(context_.get(), frame);
}

void Decoder::flush() {
  avcodec_flush_buffers(context_.get());
}

std::string Decoder::codec_name() const {
  return avcodec_get_name(context_->codec_id);
}

}  // namespace teamor::io::detail
