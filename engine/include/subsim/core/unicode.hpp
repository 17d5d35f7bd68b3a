#pragma once
/// Text is UTF-8. Input that is not (a CSV saved as Windows-1258 or UTF-16, NUL bytes)
/// is refused; codes, names and attribute values are compared in Unicode NFC, so the
/// same words typed on two keyboards (precomposed "ộ" or "o" + two combining marks)
/// are the same words. Uses utf8proc.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace subsim {

/// The first byte of `text` that makes it something other than UTF-8 text.
struct Utf8Problem {
    enum class Kind { invalid, nul, utf16 };
    Kind kind = Kind::invalid;
    std::size_t offset = 0;  ///< byte offset of the culprit
};

/// nullopt if `text` is valid UTF-8 without NUL bytes (a UTF-8 BOM is fine).
std::optional<Utf8Problem> check_utf8(std::string_view text);

/// 1-based line and column (in characters) of a byte offset.
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

bool is_ascii(std::string_view text);

/// `text` in Unicode Normalization Form C (ASCII and text already in NFC come back
/// unchanged). `text` must be valid UTF-8.
std::string to_nfc(std::string_view text);

/// Levenshtein distance in bytes, for "did you mean" hints (error paths only).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace subsim
