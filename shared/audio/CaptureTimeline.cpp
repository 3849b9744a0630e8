#include "CaptureTimeline.h"

namespace veza::audio {

void CaptureTimeline::append(int frames, qint64 captureNs)
{
    if (frames <= 0)
        return;
    m_end += frames;
    m_spans.push_back({m_end, captureNs});
}

qint64 CaptureTimeline::captureNsAt(qint64 position)
{
    // Keep the last span even when the position is past it: it is the best guess there is.
    while (m_spans.size() > 1 && m_spans.front().end <= position)
        m_spans.pop_front();
    return m_spans.empty() ? 0 : m_spans.front().captureNs;
}

} // namespace veza::audio
