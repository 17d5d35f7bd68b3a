#include "subsim/core/unicode.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace subsim {

bool is_ascii(std::string_view text) {
    // Eight bytes at a time: the national tables are megabytes of ASCII.
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & 0x8080808080808080ull) return false;
    }
    for (; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
    return true;
}

namespace {

/// UTF-16 without a BOM: Latin text is every other byte zero ("y\0e\0a\0r\0").
bool looks_like_utf16(std::string_view text) {
    const std::size_t n = std::min<std::size_t>(text.size(), 256);
    std::size_t zero[2] = {0, 0};
    for (std::size_t i = 0; i < n; ++i)
        if (text[i] == '\0') ++zero[i % 2];
    const std::size_t pairs = n / 2;
    return pairs >= 2 && (zero[0] * 2 >= pairs || zero[1] * 2 >= pairs);
}

}  // namespace

std::optional<Utf8Problem> check_utf8(std::string_view text) {
    using Kind = Utf8Problem::Kind;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    if (text.size() >= 2 && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF)))
        return Utf8Problem{Kind::utf16, 0};
    std::size_t i = 0;
    while (i < text.size()) {
        // ASCII runs, eight bytes at a time.
        while (i + 8 <= text.size()) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, 8);
            // No high bit and no zero byte in the word.
            const bool high = (word & 0x8080808080808080ull) != 0;
            const bool zero = ((word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull) != 0;
            if (high || zero) break;
            i += 8;
        }
        if (i >= text.size()) break;
        const unsigned char c = byte(i);
        if (c == 0) return Utf8Problem{looks_like_utf16(text) ? Kind::utf16 : Kind::nul, i};
        if (c < 0x80) {
            ++i;
            continue;
        }
        utf8proc_int32_t codepoint = 0;
        const utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                                    static_cast<utf8proc_ssize_t>(text.size() - i), &codepoint);
        if (n <= 0 || codepoint < 0) return Utf8Problem{Kind::invalid, i};
        i += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition p;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++p.column;  // count characters, not continuation bytes
        }
    }
    return p;
}

std::string to_nfc(std::string_view text) {
    if (is_ascii(text)) return std::string(text);
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                     &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n < 0 || out == nullptr) {
        std::free(out);
        return std::string(text);  // not UTF-8: the caller checked before
    }
    std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return result;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace subsim
