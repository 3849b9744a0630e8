#include "streaming/IcyInterleaver.h"

namespace veza::streaming {

namespace {
constexpr qsizetype kMaxBlockBytes = 255 * 16;
}

IcyInterleaver::IcyInterleaver(int metaint)
    : m_metaint(qMax(1, metaint))
    , m_untilBlock(m_metaint)
{
}

QByteArray IcyInterleaver::block(const QByteArray &title)
{
    QByteArray text = "StreamTitle='";
    const QByteArray tail = "';";
    text += title.left(kMaxBlockBytes - text.size() - tail.size());
    text += tail;
    const qsizetype units = (text.size() + 15) / 16;
    text.append(units * 16 - text.size(), '\0');
    text.prepend(char(units));
    return text;
}

void IcyInterleaver::feed(QByteArrayView audio, const QByteArray &title, QByteArray &out)
{
    while (!audio.isEmpty()) {
        const qsizetype take = qMin<qsizetype>(audio.size(), m_untilBlock);
        out.append(audio.data(), take);
        audio = audio.sliced(take);
        m_untilBlock -= int(take);
        if (m_untilBlock > 0)
            break;
        if (!m_sentAny || title != m_sentTitle) {
            out.append(block(title));
            m_sentTitle = title;
            m_sentAny = true;
        } else {
            out.append('\0');
        }
        m_untilBlock = m_metaint;
    }
}

} // namespace veza::streaming
