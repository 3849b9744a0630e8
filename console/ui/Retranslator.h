#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace veza::console {

// Retranslator: a widget's texts, each set by a function that calls tr(), kept next to the
// widget they label. add() sets the text at once; retranslate() sets every text again, from
// the widget's changeEvent on QEvent::LanguageChange (the language changed while it runs).
// GUI thread.
class Retranslator
{
public:
    void add(std::function<void()> setText)
    {
        setText();
        m_setters.push_back(std::move(setText));
    }
    void retranslate() const
    {
        for (const auto &setText : m_setters)
            setText();
    }

private:
    std::vector<std::function<void()>> m_setters;
};

} // namespace veza::console
