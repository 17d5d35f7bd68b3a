#pragma once
// Test helper: reads an .xlsx file (a ZIP of XML parts) enough to check what a workbook
// holds: its parts, cells (value, formula and cached value, shared strings), without
// LibreOffice. Only what libxlsxwriter writes is supported (stored or deflated entries,
// no ZIP64).
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace subsim::testing {

inline std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
    if (at + static_cast<std::size_t>(bytes) > b.size()) throw std::runtime_error("zip: truncated");
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
    return v;
}

inline std::string inflate_raw(const std::string& data, std::size_t size) {
    std::string out(size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw std::runtime_error("zip: inflateInit2");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("zip: inflate failed");
    return out;
}

/// Every entry of a ZIP archive by name, uncompressed (read through the central directory).
inline std::map<std::string, std::string> read_zip(const std::string& b) {
    constexpr std::uint32_t kEnd = 0x06054b50, kCentral = 0x02014b50, kLocal = 0x04034b50;
    std::size_t end = std::string::npos;
    for (std::size_t i = b.size() >= 22 ? b.size() - 22 : 0; i + 1 > 0 && i + 4 <= b.size(); --i)
        if (le(b, i, 4) == kEnd) {
            end = i;
            break;
        }
    if (end == std::string::npos) throw std::runtime_error("zip: no end of central directory");
    const std::uint32_t count = le(b, end + 10, 2);
    std::size_t at = le(b, end + 16, 4);
    std::map<std::string, std::string> files;
    for (std::uint32_t k = 0; k < count; ++k) {
        if (le(b, at, 4) != kCentral) throw std::runtime_error("zip: bad central directory");
        const std::uint32_t method = le(b, at + 10, 2), csize = le(b, at + 20, 4), usize = le(b, at + 24, 4);
        const std::uint32_t name_len = le(b, at + 28, 2), extra_len = le(b, at + 30, 2), comment_len = le(b, at + 32, 2);
        const std::uint32_t local = le(b, at + 42, 4);
        const std::string name = b.substr(at + 46, name_len);
        if (le(b, local, 4) != kLocal) throw std::runtime_error("zip: bad local header");
        const std::size_t data = local + 30 + le(b, local + 26, 2) + le(b, local + 28, 2);
        const std::string raw = b.substr(data, csize);
        files[name] = method == 0 ? raw : inflate_raw(raw, usize);
        at += 46 + name_len + extra_len + comment_len;
    }
    return files;
}

inline std::string read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string xml_unescape(std::string s) {
    static const std::vector<std::pair<std::string, std::string>> kEntities = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
    for (const auto& [from, to] : kEntities)
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    return s;
}

/// A workbook's sheets (in order, by name) and shared strings.
class Workbook {
public:
    explicit Workbook(const std::string& path) : files_(read_zip(read_file_bytes(path))) {
        const std::string& wb = part("xl/workbook.xml");
        for (std::size_t at = wb.find("<sheet "); at != std::string::npos; at = wb.find("<sheet ", at + 1)) {
            const std::size_t name = wb.find("name=\"", at) + 6;
            names_.push_back(xml_unescape(wb.substr(name, wb.find('"', name) - name)));
        }
        if (files_.count("xl/sharedStrings.xml")) {
            const std::string& ss = files_.at("xl/sharedStrings.xml");
            for (std::size_t at = ss.find("<si>"); at != std::string::npos; at = ss.find("<si>", at + 1)) {
                const std::size_t t = ss.find('>', ss.find("<t", at)) + 1;
                strings_.push_back(xml_unescape(ss.substr(t, ss.find("</t>", t) - t)));
            }
        }
    }

    const std::string& part(const std::string& name) const {
        const auto it = files_.find(name);
        if (it == files_.end()) throw std::runtime_error("no part " + name);
        return it->second;
    }
    bool has(const std::string& name) const { return files_.count(name) != 0; }
    const std::vector<std::string>& sheet_names() const { return names_; }
    /// The XML of the k-th sheet (0-based).
    const std::string& sheet(std::size_t k) const { return part("xl/worksheets/sheet" + std::to_string(k + 1) + ".xml"); }

    struct Cell {
        bool found = false;
        std::string type;     ///< t="s" for strings, "" for numbers
        std::string value;    ///< the number, the cached value of a formula, or the string
        std::string formula;  ///< without the "="; empty if none
    };
    /// The cell `ref` ("D11") of sheet k.
    Cell cell(std::size_t k, const std::string& ref) const {
        const std::string& x = sheet(k);
        Cell c;
        const std::size_t at = x.find("<c r=\"" + ref + "\"");
        if (at == std::string::npos) return c;
        c.found = true;
        const std::size_t open_end = x.find('>', at);
        const std::string open = x.substr(at, open_end - at);
        if (open.find("t=\"s\"") != std::string::npos) c.type = "s";
        if (open.back() == '/') return c;  // an empty (formatted) cell
        const std::size_t close = x.find("</c>", open_end);
        const std::string body = x.substr(open_end + 1, close - open_end - 1);
        const auto inner = [&](const std::string& tag) -> std::string {
            const std::size_t s = body.find("<" + tag + ">");
            if (s == std::string::npos) return "";
            const std::size_t from = s + tag.size() + 2;
            return xml_unescape(body.substr(from, body.find("</" + tag + ">", from) - from));
        };
        c.formula = inner("f");
        c.value = inner("v");
        if (c.type == "s") c.value = strings_.at(std::stoul(c.value));
        return c;
    }

private:
    std::map<std::string, std::string> files_;
    std::vector<std::string> names_;
    std::vector<std::string> strings_;
};

}  // namespace subsim::testing
