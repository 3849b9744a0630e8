// HeadProgress: whether the bytes of a request head received since the last look can change
// what parseRequestHead answers: only the end of the request line, the end of the head or the
// size limit can. A connection asks it before parsing again, so a head trickled in one byte per
// read is searched once rather than once per read (before: 16 KiB sent a byte at a time cost a
// network thread 200 ms, quadratic in the size). One per connection, on its thread.
#pragma once

#include <QByteArrayView>

namespace veza::net::http {

class HeadProgress
{
public:
    // `head`: every byte of the head received so far, the ones seen at the last call first.
    bool worthParsing(QByteArrayView head, qsizetype maxHeadBytes);
    // The head was parsed (or dropped): the next bytes start a new one.
    void reset() { *this = HeadProgress(); }

private:
    int m_searched = 0;       // bytes already searched for line and head ends (heads are small)
    bool m_lineEnded = false; // the request line's CRLF was among them
};

} // namespace veza::net::http
