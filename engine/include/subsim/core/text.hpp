#pragma once
/// Text shown to people comes in two languages: Vietnamese (the default) and English.
#include <string>

namespace subsim {

/// The language of messages, help and reports (`--lang vi|en`).
enum class Lang { vi, en };

/// A text in both languages: a label from a scenario, or a rendered message.
struct Text {
    std::string vi;
    std::string en;
    const std::string& in(Lang lang) const { return lang == Lang::vi ? vi : en; }
    bool operator==(const Text&) const = default;
};

/// The same words in both languages (codes, ids, file names, numbers).
inline Text same_text(std::string s) { return Text{s, std::move(s)}; }

}  // namespace subsim
