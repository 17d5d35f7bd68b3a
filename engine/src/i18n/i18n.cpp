#include "subsim/i18n/i18n.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <cerrno>
#include <algorithm>
#include <string>
#include <unordered_map>

namespace subsim::i18n {
namespace {

/// The catalogue: one entry per line, {key, Vietnamese, English}. Kept in its own file
/// (merged line by line, see .gitattributes) so that every text is in one place.
const std::vector<Entry> kEntries = {
#include "catalogue.inc"
};

const std::unordered_map<std::string_view, const Entry*>& index() {
    static const auto* map = [] {
        auto* m = new std::unordered_map<std::string_view, const Entry*>();
        m->reserve(kEntries.size());
        for (const Entry& e : kEntries) m->emplace(e.key, &e);
        return m;
    }();
    return *map;
}

std::string render(std::string_view pattern, const Arg* args, std::size_t count, Lang lang) {
    if (count == 0 && pattern.find_first_of("{}") == std::string_view::npos) return std::string(pattern);
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (std::size_t i = 0; i < count; ++i) store.push_back(args[i].text().in(lang));
    try {
        return fmt::vformat(fmt::string_view(pattern.data(), pattern.size()), store);
    } catch (const fmt::format_error&) {
        return std::string(pattern);  // a catalogue bug; the catalogue test catches it
    }
}

Text render_both(std::string_view key, const Arg* args, std::size_t count) {
    const auto& map = index();
    const auto it = map.find(key);
    if (it == map.end()) return same_text("[" + std::string(key) + "]");
    return Text{render(it->second->vi, args, count, Lang::vi), render(it->second->en, args, count, Lang::en)};
}

std::string group_digits(std::int64_t n, char separator) {
    const bool negative = n < 0;
    // Work on the magnitude as unsigned: INT64_MIN has no positive twin.
    std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
    std::string digits = std::to_string(magnitude);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3 + 1);
    if (negative) out += '-';
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

}  // namespace

Text tr(std::string_view key, std::initializer_list<Arg> args) { return render_both(key, args.begin(), args.size()); }

Text tr(std::string_view key, const std::vector<Arg>& args) { return render_both(key, args.data(), args.size()); }

std::string tr_in(Lang lang, std::string_view key, std::initializer_list<Arg> args) {
    const auto& map = index();
    const auto it = map.find(key);
    if (it == map.end()) return "[" + std::string(key) + "]";
    return render(lang == Lang::vi ? it->second->vi : it->second->en, args.begin(), args.size(), lang);
}

bool has_key(std::string_view key) { return index().count(key) != 0; }

const std::vector<Entry>& entries() { return kEntries; }

Text grouped(std::int64_t n) { return Text{group_digits(n, '.'), group_digits(n, ',')}; }

Text fixed(std::int64_t scaled, int scale, int decimals) {
    // Round |scaled| / 10^(scale − decimals) half-up, then split at `decimals`.
    const bool negative = scaled < 0;
    unsigned __int128 mag = negative ? static_cast<unsigned __int128>(-static_cast<__int128>(scaled)) : static_cast<unsigned __int128>(scaled);
    if (scale > decimals) {
        unsigned __int128 div = 1;
        for (int i = decimals; i < scale; ++i) div *= 10;
        mag = (mag + div / 2) / div;
    } else {
        for (int i = scale; i < decimals; ++i) mag *= 10;
    }
    unsigned __int128 unit = 1;
    for (int i = 0; i < decimals; ++i) unit *= 10;
    const auto whole = static_cast<std::int64_t>(mag / unit);
    std::string frac = std::to_string(static_cast<std::uint64_t>(mag % unit));
    frac.insert(0, static_cast<std::size_t>(decimals) - std::min<std::size_t>(frac.size(), static_cast<std::size_t>(decimals)), '0');
    const std::string sign = negative ? "-" : "";
    Text t{sign + group_digits(whole, '.'), sign + group_digits(whole, ',')};
    if (decimals > 0) {
        t.vi += "," + frac;
        t.en += "." + frac;
    }
    return t;
}

Text money(std::int64_t dong) { return Text{group_digits(dong, '.') + " đ", group_digits(dong, ',') + " VND"}; }

Text percent(const Decimal& share, int decimals) {
    std::string text = decimals < 0 ? share.to_percent_string() : share.to_percent_fixed(decimals) + "%";
    if (decimals >= 0 && share.is_negative()) text = "-" + text;
    std::string vi = text;
    for (char& c : vi)
        if (c == '.') c = ',';
    return Text{vi, text};
}

Text quoted(std::string_view s) {
    constexpr std::size_t kMax = 60;
    std::string_view head = s.substr(0, kMax);
    // Do not cut a UTF-8 sequence in half.
    while (!head.empty() && head.size() < s.size() && (static_cast<unsigned char>(s[head.size()]) & 0xC0) == 0x80)
        head.remove_suffix(1);
    // Control characters are shown, not obeyed: a message stays on one line.
    std::string body;
    for (char c : head) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') body += "\\n";
        else if (c == '\r') body += "\\r";
        else if (c == '\t') body += "\\t";
        else if (u < 0x20 || u == 0x7F) body += fmt::format("\\x{:02X}", u);
        else body += c;
    }
    if (head.size() < s.size()) body += "...";
    return same_text("\"" + body + "\"");
}

Text system_error(const std::error_code& ec) {
    if (ec.category() == std::generic_category() || ec.category() == std::system_category()) {
        switch (ec.value()) {
            case ENOSPC: return tr("os.no_space");
            case EDQUOT: return tr("os.quota");
            case EACCES:
            case EPERM: return tr("os.permission");
            case ENOENT: return tr("os.not_found");
            case EROFS: return tr("os.read_only");
            case EISDIR: return tr("os.is_directory");
            case ENOTDIR: return tr("os.not_directory");
            case ENAMETOOLONG: return tr("os.name_too_long");
            case EIO: return tr("os.io");
            case EXDEV: return tr("os.cross_device");
            case ELOOP: return tr("os.loop");
            default: break;
        }
    }
    return tr("os.other", {ec.message()});
}

Text join(const std::vector<Text>& items, std::string_view separator) {
    Text out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out.vi += separator;
            out.en += separator;
        }
        out.vi += items[i].vi;
        out.en += items[i].en;
    }
    return out;
}

}  // namespace subsim::i18n
