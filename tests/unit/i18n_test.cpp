// The message catalogue: every key the engine uses exists, in both languages, with
// the same placeholders; numbers follow each language's style.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {

namespace fs = std::filesystem;

std::set<std::string> placeholders(std::string_view text) {
    std::set<std::string> out;
    static const std::regex field(R"(\{[0-9]+\})");
    const std::string s(text);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), field); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}

TEST(Catalogue, EveryEntryHasBothLanguagesAndTheSamePlaceholders) {
    std::set<std::string_view> keys;
    for (const i18n::Entry& e : i18n::entries()) {
        EXPECT_TRUE(keys.insert(e.key).second) << "duplicate key " << e.key;
        EXPECT_FALSE(e.vi.empty()) << e.key;
        EXPECT_FALSE(e.en.empty()) << e.key;
        EXPECT_EQ(placeholders(e.vi), placeholders(e.en)) << e.key;
    }
    EXPECT_GT(keys.size(), 100u);
}

/// Every literal key passed to tr()/tr_in() (or named as a NameReader's message) in the
/// engine's sources is in the catalogue.
TEST(Catalogue, EveryKeyTheEngineUsesExists) {
    static const std::regex use(R"re(\btr(?:_in)?\((?:[^,()"]+,\s*)?"([a-z0-9_]+(?:\.[a-z0-9_]+)+)")re");
    static const std::regex ternary(R"re(\btr\([^;"]*\?\s*"([a-z0-9_]+\.[a-z0-9_.]+)"\s*:\s*"([a-z0-9_]+\.[a-z0-9_.]+)")re");
    std::size_t found = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(SUBSIM_SOURCE_DIR) / "engine")) {
        const auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        std::ifstream in(entry.path());
        std::stringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        for (const std::regex* re : {&use, &ternary})
            for (auto it = std::sregex_iterator(text.begin(), text.end(), *re); it != std::sregex_iterator(); ++it)
                for (std::size_t g = 1; g < it->size(); ++g) {
                    if (!(*it)[g].matched) continue;
                    ++found;
                    EXPECT_TRUE(i18n::has_key((*it)[g].str())) << (*it)[g].str() << " in " << entry.path();
                }
    }
    EXPECT_GT(found, 100u) << "the scan found too few uses: is the pattern still right?";
}

TEST(Catalogue, RendersBothLanguages) {
    const Text t = i18n::tr("value.not_year", {i18n::quoted("20x6")});
    EXPECT_EQ(t.en, "\"20x6\" is not a year");
    EXPECT_EQ(t.vi, "\"20x6\" không phải là năm");
    EXPECT_EQ(i18n::tr("no.such.key").en, "[no.such.key]");
}

TEST(Catalogue, NumbersFollowTheLanguage) {
    // 4.5% × 2,340,000 × 12 = 1,263,600 đồng a year.
    EXPECT_EQ(i18n::money(1'263'600).vi, "1.263.600 đ");
    EXPECT_EQ(i18n::money(1'263'600).en, "1,263,600 VND");
    EXPECT_EQ(i18n::grouped(-1'000).vi, "-1.000");
    EXPECT_EQ(i18n::grouped(999).en, "999");
    EXPECT_EQ(i18n::percent(Decimal{9471, 4}, 2).vi, "94,71%");
    EXPECT_EQ(i18n::percent(Decimal{9471, 4}, 2).en, "94.71%");
    EXPECT_EQ(i18n::percent(Decimal{45, 3}).vi, "4,5%");
}

TEST(Catalogue, QuotedTextStaysOnOneLine) {
    EXPECT_EQ(i18n::quoted("a\nb\tc").en, "\"a\\nb\\tc\"");
    // Long text is cut at 60 bytes, never inside a UTF-8 sequence.
    const std::string long_name(59, 'x');
    EXPECT_EQ(i18n::quoted(long_name + "ộ").en, "\"" + long_name + "...\"");
}

TEST(Catalogue, SystemErrorsInWordsAPersonCanActOn) {
    EXPECT_EQ(i18n::system_error(std::make_error_code(std::errc::no_space_on_device)).en, "no space left on the device");
    EXPECT_EQ(i18n::system_error(std::make_error_code(std::errc::no_space_on_device)).vi,
              "thiết bị đã hết dung lượng trống");
}

}  // namespace
}  // namespace subsim
