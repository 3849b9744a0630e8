#include "net/ws/Utf8Validator.h"

#include <array>
#include <cstring>

namespace veza::net::ws {

namespace {

// What the validator expects next. The "After.." states are the lead bytes whose first
// continuation byte has a narrower range (RFC 3629 §4): that is where overlongs (E0, F0),
// surrogates (ED) and code points above U+10FFFF (F4) are cut off.
enum State : quint8 {
    Accept,  // between characters
    Need1,   // one continuation byte 80..BF left
    Need2,   // two left
    Need3,   // three left
    AfterE0, // next A0..BF, then one more
    AfterED, // next 80..9F, then one more
    AfterF0, // next 90..BF, then two more
    AfterF4, // next 80..8F, then two more
    Reject,
};

struct Continuation
{
    quint8 low;
    quint8 high;
    State next;
};

// Indexed by State; Accept and Reject never look at this table.
constexpr Continuation kContinuation[] = {
    {0, 0, Reject},      {0x80, 0xBF, Accept}, {0x80, 0xBF, Need1}, {0x80, 0xBF, Need2},
    {0xA0, 0xBF, Need1}, {0x80, 0x9F, Need1},  {0x90, 0xBF, Need2}, {0x80, 0x8F, Need2},
};

constexpr State stateAfterLead(quint8 byte)
{
    if (byte < 0x80)
        return Accept;
    if (byte < 0xC2) // stray continuation byte, or C0/C1 (always overlong)
        return Reject;
    if (byte < 0xE0)
        return Need1;
    if (byte == 0xE0)
        return AfterE0;
    if (byte == 0xED)
        return AfterED;
    if (byte < 0xF0)
        return Need2;
    if (byte == 0xF0)
        return AfterF0;
    if (byte < 0xF4)
        return Need3;
    if (byte == 0xF4)
        return AfterF4;
    return Reject; // F5..FF would encode above U+10FFFF
}

constexpr std::array<State, 256> makeLeadTable()
{
    std::array<State, 256> table{};
    for (int byte = 0; byte < 256; ++byte)
        table[byte] = stateAfterLead(quint8(byte));
    return table;
}

constexpr std::array<State, 256> kLead = makeLeadTable();

constexpr quint64 kHighBits = 0x8080808080808080ULL;

Utf8Validator::Result resultOf(quint8 state)
{
    if (state == Accept)
        return Utf8Validator::Result::Valid;
    if (state == Reject)
        return Utf8Validator::Result::Invalid;
    return Utf8Validator::Result::Incomplete;
}

} // namespace

Utf8Validator::Result Utf8Validator::feed(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const quint8 *>(bytes.data());
    const auto *const end = p + bytes.size();
    State state = State(m_state);
    while (p != end && state != Reject) {
        if (state == Accept) {
            // Chat traffic is mostly ASCII: skip it a word at a time.
            while (end - p >= 8) {
                quint64 word;
                std::memcpy(&word, p, sizeof word);
                if (word & kHighBits)
                    break;
                p += 8;
            }
            while (p != end && *p < 0x80) // at most 7 bytes: up to the one the word flagged
                ++p;
            if (p == end)
                break;
            state = kLead[*p++];
            continue;
        }
        const Continuation &expected = kContinuation[state];
        const quint8 byte = *p++;
        state = (byte >= expected.low && byte <= expected.high) ? expected.next : Reject;
    }
    m_state = state;
    return resultOf(m_state);
}

Utf8Validator::Result Utf8Validator::result() const
{
    return resultOf(m_state);
}

bool Utf8Validator::isValid(QByteArrayView bytes)
{
    Utf8Validator validator;
    return validator.feed(bytes) == Result::Valid;
}

} // namespace veza::net::ws
