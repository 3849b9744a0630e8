#pragma once

#include <QtGlobal>
#include <deque>

namespace veza::audio {

// Remembers which input block each sample position came from, so that an encoder whose packets
// come out later than their audio went in (encoder delay, frame buffering) can still stamp each
// packet with the capture time of the audio it holds.
class CaptureTimeline
{
public:
    // The next `frames` input samples (per channel) arrived with `captureNs`.
    void append(int frames, qint64 captureNs);
    // Capture time of the block holding input sample `position`. Positions only move forward:
    // blocks before `position` are forgotten.
    qint64 captureNsAt(qint64 position);

private:
    struct Span
    {
        qint64 end; // one past the block's last sample position
        qint64 captureNs;
    };
    std::deque<Span> m_spans;
    qint64 m_end = 0;
};

} // namespace veza::audio
