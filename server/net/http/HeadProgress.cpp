#include "net/http/HeadProgress.h"

#include <QtGlobal>

namespace veza::net::http {

bool HeadProgress::worthParsing(QByteArrayView head, qsizetype maxHeadBytes)
{
    if (head.size() >= maxHeadBytes)
        return true; // complete within the limit, or refused: never incomplete
    // Three bytes back: a "\r\n\r\n" may straddle the old and the new bytes.
    const QByteArrayView fresh =
        head.sliced(qBound<qsizetype>(0, qsizetype(m_searched) - 3, head.size()));
    m_searched = int(head.size());
    const bool lineEnds = !m_lineEnded && fresh.contains("\r\n");
    m_lineEnded = m_lineEnded || lineEnds;
    return lineEnds || fresh.contains("\r\n\r\n");
}

} // namespace veza::net::http
