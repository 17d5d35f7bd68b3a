#pragma once
/// The message catalogue: every user-facing word (errors, warnings, help, report labels)
/// comes from one vi/en table (engine/src/i18n/catalogue.inc), looked up by key:
///
///     throw ScenarioError(where, "share", i18n::tr("value.not_percentage", {quote(s)}));
///
/// Placeholders are fmt's positional fields ({0}, {1}, …); an argument is either plain
/// text (the same in both languages: codes, ids, file names) or a Text rendered in each
/// language (a nested message, a number in the language's style).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "subsim/core/decimal.hpp"
#include "subsim/core/text.hpp"

namespace subsim::i18n {

/// One placeholder's value.
class Arg {
public:
    Arg(const char* s) : text_(same_text(s)) {}                       // NOLINT: implicit by design
    Arg(std::string_view s) : text_(same_text(std::string(s))) {}     // NOLINT
    Arg(const std::string& s) : text_(same_text(s)) {}                // NOLINT
    Arg(Text t) : text_(std::move(t)) {}                              // NOLINT
    Arg(int n) : text_(same_text(std::to_string(n))) {}               // NOLINT
    Arg(long n) : text_(same_text(std::to_string(n))) {}              // NOLINT
    Arg(long long n) : text_(same_text(std::to_string(n))) {}         // NOLINT
    Arg(unsigned long n) : text_(same_text(std::to_string(n))) {}     // NOLINT
    Arg(unsigned long long n) : text_(same_text(std::to_string(n))) {}  // NOLINT
    Arg(unsigned n) : text_(same_text(std::to_string(n))) {}          // NOLINT
    const Text& text() const { return text_; }

private:
    Text text_;
};

/// The catalogue entry `key` with its placeholders filled, in both languages.
/// An unknown key renders as "[key]" (a test checks every key used exists).
Text tr(std::string_view key, std::initializer_list<Arg> args = {});
Text tr(std::string_view key, const std::vector<Arg>& args);

/// The entry in one language (labels in reports).
std::string tr_in(Lang lang, std::string_view key, std::initializer_list<Arg> args = {});

/// True if the catalogue has `key`.
bool has_key(std::string_view key);

/// Every entry, for the catalogue's own tests.
struct Entry {
    std::string_view key;
    std::string_view vi;
    std::string_view en;
};
const std::vector<Entry>& entries();

// ---- numbers in each language's style --------------------------------------------

/// Whole number with thousands separators: "1.263.600" (vi), "1,263,600" (en).
Text grouped(std::int64_t n);
/// scaled / 10^scale rounded half-up (away from zero) to `decimals` places, grouped:
/// (1004167, 4, 2) → "100,42" (vi), "100.42" (en); (123456789, 2, 2) → "1.234.567,89".
Text fixed(std::int64_t scaled, int scale, int decimals);
/// Money: "1.263.600 đ" (vi), "1,263,600 VND" (en).
Text money(std::int64_t dong);
/// A fraction of one as a percentage with `decimals` places (half-up):
/// 0.9471 → "94,71%" (vi), "94.71%" (en). decimals < 0: trailing zeros trimmed.
Text percent(const Decimal& share, int decimals = -1);
/// Text in quotation marks, shortened to 60 characters: “near_poor” in both languages.
Text quoted(std::string_view s);
/// Why a file operation failed, in words a person can act on ("no space left on the
/// device" for ENOSPC); the system's own words for causes not in the catalogue.
Text system_error(const std::error_code& ec);
/// Items joined with ", " (both languages).
Text join(const std::vector<Text>& items, std::string_view separator = ", ");

}  // namespace subsim::i18n
