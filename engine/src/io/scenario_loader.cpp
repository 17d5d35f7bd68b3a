// Scenario format v1 (scenarios/README.md): YAML → Scenario. The only file that
// includes yaml-cpp. Every error names file:line:column and the key path.
#include "subsim/io/scenario_loader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "loader_detail.hpp"
#include "subsim/core/threads.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/io/sha256.hpp"

namespace subsim {
namespace {

using loader_detail::fail;
using loader_detail::Lookups;
using loader_detail::NameIndex;
using loader_detail::PathContext;

/// Limits that keep hostile YAML bounded.
constexpr int kMaxYamlDepth = 64;
constexpr std::size_t kMaxYamlNodes = 1'000'000;
constexpr int kMaxScenarioYears = 100;
constexpr Dong kMaxMoneyValue = 1'000'000'000;  ///< per person-month or per month: far above any real amount
constexpr int kMaxDurationMonths = 600;
/// Rules a scenario may have: far above any council's (Ninh Bình has 19); each costs a
/// budget line per unit and group, and compare costs each added one alone.
constexpr std::size_t kMaxRules = 1'000;

SourceLocation location(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null() || mark.line < 0) return {file, 0, 0};
    return {file, mark.line + 1, mark.column + 1};
}

// ---------------------------------------------------------------- pre-scan

/// Walks the event stream once before building nodes: refuses aliases, more than one
/// document, nesting deeper than kMaxYamlDepth and more than kMaxYamlNodes nodes.
class PreScan final : public YAML::EventHandler {
public:
    explicit PreScan(const std::string& file) : file_(file) {}

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents_ > 1) fail(location(file_, mark), "", i18n::tr("yaml.several_documents"));
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        fail(location(file_, mark), "", i18n::tr("yaml.alias"));
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
        count(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        open(mark);
    }
    void OnSequenceEnd() override { --depth_; }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        open(mark);
    }
    void OnMapEnd() override { --depth_; }

private:
    void count(const YAML::Mark& mark) {
        if (++nodes_ > kMaxYamlNodes)
            fail(location(file_, mark), "", i18n::tr("yaml.too_many_values", {i18n::grouped(static_cast<std::int64_t>(kMaxYamlNodes))}));
    }
    void open(const YAML::Mark& mark) {
        count(mark);
        if (++depth_ > kMaxYamlDepth)
            fail(location(file_, mark), "", i18n::tr("yaml.too_deep", {kMaxYamlDepth}));
    }

    const std::string& file_;
    int documents_ = 0;
    int depth_ = 0;
    std::size_t nodes_ = 0;
};

/// yaml-cpp's English message in both languages: the parser's messages a person meets
/// (a bracket not closed, a tab, a stray character) from the catalogue; any other as it is.
Text yaml_message(const std::string& msg) {
    namespace m = YAML::ErrorMsg;
    static const std::pair<const char*, const char*> kMessages[] = {
        {m::END_OF_MAP, "yaml.msg.end_of_map"},
        {m::END_OF_MAP_FLOW, "yaml.msg.end_of_map_flow"},
        {m::END_OF_SEQ, "yaml.msg.end_of_seq"},
        {m::END_OF_SEQ_FLOW, "yaml.msg.end_of_seq_flow"},
        {m::TAB_IN_INDENTATION, "yaml.msg.tab"},
        {m::UNKNOWN_TOKEN, "yaml.msg.unknown_token"},
        {m::DOC_IN_SCALAR, "yaml.msg.document_in_scalar"},
        {m::EOF_IN_SCALAR, "yaml.msg.eof_in_scalar"},
        {m::CHAR_IN_SCALAR, "yaml.msg.char_in_scalar"},
        {m::FLOW_END, "yaml.msg.flow_end"},
        {m::BLOCK_ENTRY, "yaml.msg.block_entry"},
        {m::MAP_KEY, "yaml.msg.map_key"},
        {m::MAP_VALUE, "yaml.msg.map_value"},
        {m::CHAR_IN_BLOCK, "yaml.msg.char_in_block"},
        {m::SINGLE_QUOTED_CHAR, "yaml.msg.single_quoted"},
        {m::UNKNOWN_ANCHOR, "yaml.msg.unknown_anchor"},
        {m::INVALID_HEX, "yaml.msg.hex"},
    };
    for (const auto& [english, key] : kMessages)
        if (msg == english) return i18n::tr(key);
    // Messages that end with the offending text.
    static const std::pair<const char*, const char*> kPrefixed[] = {
        {m::INVALID_ESCAPE, "yaml.msg.escape"},
        {m::INVALID_UNICODE, "yaml.msg.unicode"},
    };
    for (const auto& [english, key] : kPrefixed) {
        const std::string_view prefix(english);
        if (msg.size() > prefix.size() && msg.compare(0, prefix.size(), prefix) == 0)
            return i18n::tr(key, {i18n::quoted(msg.substr(prefix.size()))});
    }
    return same_text(msg);
}

YAML::Node parse_yaml(const std::string& file, const std::string& text) {
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        PreScan scan(file);
        while (parser.HandleNextDocument(scan)) {
        }
        return YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        fail(location(file, e.mark), "", i18n::tr("yaml.too_deep", {kMaxYamlDepth}));
    } catch (const YAML::ParserException& e) {
        fail(location(file, e.mark), "", i18n::tr("yaml.malformed", {yaml_message(e.msg)}));
    } catch (const YAML::Exception& e) {
        fail(location(file, e.mark), "", i18n::tr("yaml.malformed", {yaml_message(e.msg)}));
    }
}

// ---------------------------------------------------------------- typed fields

/// A value in the YAML with its key path and where it is (the key's position when the
/// value is empty).
struct Field {
    YAML::Node node;
    std::string path;
    SourceLocation where;

    [[noreturn]] void fail_with(Text message) const { fail(where, path, std::move(message)); }
    bool is_null() const { return node.IsNull(); }
};

Text kind_of(const YAML::Node& n) {
    if (n.IsSequence()) return i18n::tr("yaml.kind.list");
    if (n.IsMap()) return i18n::tr("yaml.kind.mapping");
    if (n.IsNull()) return i18n::tr("yaml.kind.nothing");
    return i18n::tr("yaml.kind.scalar");
}

Text quote(const std::string& s) { return i18n::quoted(s); }

/// The scalar text of a field; errors for a missing value, a list or a mapping.
const std::string& scalar(const Field& f) {
    if (f.node.IsNull()) f.fail_with(i18n::tr("value.missing"));
    if (!f.node.IsScalar()) f.fail_with(i18n::tr("value.expected_scalar", {kind_of(f.node)}));
    return f.node.Scalar();
}

std::string text_value(const Field& f) {
    const std::string& s = scalar(f);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) f.fail_with(i18n::tr("value.empty"));
    return s;
}

std::string identifier(const Field& f) {
    std::string s = text_value(f);
    if (!loader_detail::is_identifier(s))
        f.fail_with(i18n::tr("value.not_identifier", {quote(s)}));
    return s;
}

std::int64_t integer(const Field& f, std::int64_t min, std::int64_t max) {
    const std::string& s = scalar(f);
    std::string_view v = s;
    const bool negative = !v.empty() && v.front() == '-';
    if (negative) v.remove_prefix(1);
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        f.fail_with(i18n::tr("value.not_whole_number", {quote(s)}));
    std::int64_t value = 0;
    for (char c : v) {
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value))
            f.fail_with(i18n::tr("value.too_large", {quote(s)}));
    }
    if (negative) value = -value;
    if (value < min) f.fail_with(i18n::tr("value.below_min", {s, min}));
    if (value > max) f.fail_with(i18n::tr("value.above_max", {s, max}));
    return value;
}

/// A percentage written with its sign ("70%", "4.5%") as an exact fraction, in [min, max].
Decimal percent(const Field& f, const Decimal& min, const Decimal& max) {
    const std::string& s = scalar(f);
    std::string_view v = s;
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.empty() || v.back() != '%') {
        if (Decimal::parse(v))
            f.fail_with(i18n::tr("value.bare_number", {quote(s), s.find('.') == std::string::npos ? s : std::string("70")}));
        f.fail_with(i18n::tr("value.not_percentage", {quote(s)}));
    }
    Decimal::ParseError why{};
    auto d = Decimal::parse(v, &why);
    if (!d) f.fail_with(loader_detail::decimal_problem(quote(s), why));
    if (*d > max) f.fail_with(i18n::tr("value.percent_over", {std::string(v), i18n::percent(max)}));
    if (*d < min) f.fail_with(i18n::tr("value.percent_below", {std::string(v), i18n::percent(min)}));
    return d->normalized();
}

Date date(const Field& f) {
    const std::string& s = scalar(f);
    if (auto d = Date::parse(s)) {
        // As years in tables and `scenario.years`: a far date is a typo (9999-12-31 for
        // "no end": leave `to` out instead).
        if (d->year < loader_detail::kMinYear || d->year > loader_detail::kMaxYear)
            f.fail_with(i18n::tr("value.year_out_of_range", {quote(s), loader_detail::kMinYear, loader_detail::kMaxYear}));
        return *d;
    }
    const bool shaped = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    if (shaped) f.fail_with(i18n::tr("value.date_does_not_exist", {quote(s)}));
    f.fail_with(i18n::tr("value.not_date", {quote(s)}));
}

bool boolean(const Field& f) {
    const std::string value = loader_detail::normalize_attribute_value(scalar(f));
    if (value == "true") return true;
    if (value == "false") return false;
    f.fail_with(i18n::tr("value.not_boolean", {quote(scalar(f))}));
}

template <class E>
E choice(const Field& f, std::initializer_list<std::pair<std::string_view, E>> options) {
    const std::string& s = scalar(f);
    std::string names;
    for (const auto& [name, value] : options) {
        if (s == name) return value;
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    f.fail_with(i18n::tr("value.not_one_of", {quote(s), names}));
}

Confidence confidence(const Field& f) {
    return choice<Confidence>(f, {{"high", Confidence::high},
                                  {"medium-high", Confidence::medium_high},
                                  {"medium", Confidence::medium},
                                  {"low", Confidence::low},
                                  {"assumption", Confidence::assumption},
                                  {"illustrative", Confidence::illustrative}});
}

/// The items of a list field.
std::vector<Field> list(const Field& f, bool allow_empty = true) {
    if (f.node.IsNull()) f.fail_with(i18n::tr("value.missing_list"));
    if (!f.node.IsSequence()) f.fail_with(i18n::tr("value.expected_list", {kind_of(f.node)}));
    std::vector<Field> items;
    std::size_t i = 0;
    for (const auto& item : f.node) {
        SourceLocation where = location(f.where.file, item.Mark());
        if (where.line == 0 || item.IsNull()) where = f.where;
        items.push_back({item, f.path + "[" + std::to_string(i++) + "]", where});
    }
    if (items.empty() && !allow_empty) f.fail_with(i18n::tr("value.empty_list"));
    return items;
}

/// A mapping whose keys are checked: text, unique, and among `allowed`.
class MapView {
public:
    MapView(const Field& f, std::initializer_list<std::string_view> allowed) : self_(f) {
        if (f.node.IsNull()) f.fail_with(i18n::tr("value.missing_mapping"));
        if (!f.node.IsMap()) f.fail_with(i18n::tr("value.expected_mapping", {kind_of(f.node)}));
        for (auto it = f.node.begin(); it != f.node.end(); ++it) add(it->first, it->second, allowed);
    }

    const Field& self() const { return self_; }

    std::optional<Field> get(std::string_view key) const {
        for (const auto& [name, field] : entries_)
            if (name == key) return field;
        return std::nullopt;
    }

    Field require(std::string_view key) const {
        if (auto f = get(key)) return *f;
        fail(self_.where, self_.path, i18n::tr("key.missing", {quote(std::string(key))}));
    }

    bool has(std::string_view key) const { return get(key).has_value(); }

private:
    std::string prefix() const { return self_.path.empty() ? "" : self_.path + "."; }

    void add(const YAML::Node& key, const YAML::Node& value, std::initializer_list<std::string_view> allowed) {
        const SourceLocation key_where = location(self_.where.file, key.Mark());
        if (!key.IsScalar()) fail(key_where, self_.path, i18n::tr("key.not_text", {kind_of(key)}));
        const std::string& name = key.Scalar();
        const std::string path = prefix() + name;
        if (auto it = first_line_.find(name); it != first_line_.end())
            fail(key_where, path, i18n::tr("key.duplicate", {quote(name), it->second}));
        first_line_.emplace(name, key_where.line);
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            fail(key_where, path, i18n::tr("key.unknown", {quote(name), suggestion(name, allowed)}));
        SourceLocation where = location(self_.where.file, value.Mark());
        if (value.IsNull() || where.line == 0) where = key_where;
        entries_.push_back({name, Field{value, path, where}});
    }

    static Text suggestion(const std::string& name, std::initializer_list<std::string_view> allowed) {
        NameIndex index;
        for (auto a : allowed) index.add(std::string(a), 0);
        Text hint = index.hint(name);
        if (!hint.en.empty()) return hint;
        std::string all;
        for (auto a : allowed) all += (all.empty() ? "" : ", ") + std::string(a);
        return i18n::tr("hint.expected_one_of", {all});
    }

    Field self_;
    std::vector<std::pair<std::string, Field>> entries_;
    std::map<std::string, int> first_line_;
};

Text label(const Field& f) {
    MapView m(f, {"vi", "en"});
    return Text{text_value(m.require("vi")), text_value(m.require("en"))};
}

Provenance provenance(const MapView& m) {
    Provenance p;
    p.reference = text_value(m.require("reference"));
    p.confidence = confidence(m.require("confidence"));
    if (auto note = m.get("note")) p.note = text_value(*note);
    return p;
}

// ---------------------------------------------------------------- the loader

/// Reads one scenario; holds the indices that later sections refer to.
class ScenarioReader {
public:
    ScenarioReader(std::string file, PathContext paths, int threads)
        : file_(std::move(file)), paths_(std::move(paths)), threads_(threads) {}
    ScenarioReader(const ScenarioReader&) = delete;
    ScenarioReader& operator=(const ScenarioReader&) = delete;
    ~ScenarioReader() { join_tables(); }

    /// The YAML is read in document order; the CSV tables it names after the units are
    /// read on helper threads meanwhile (see load_table()). Whatever the timing, the
    /// error reported is the one a reading in order would meet first.
    Scenario read(const YAML::Node& root, const std::string& yaml_text) {
        try {
            read_document(root, yaml_text);
        } catch (...) {
            // A table started before the failing key failed first in document order.
            join_tables();
            for (const auto& job : tables_)
                if (job->error) std::rethrow_exception(job->error);
            throw;
        }
        finish_tables();
        carry_keyed();
        return std::move(s_);
    }

    /// The unit lookups of a scenario already loaded (a variant's base, --uncertainty):
    /// codes, and the units that reuse a code after a change.
    void index_units() {
        lookups_.next_same_code.assign(s_.units().size(), -1);
        std::vector<int> last(s_.units().size(), -1);
        for (std::size_t u = 0; u < s_.units().size(); ++u) {
            if (lookups_.units.add(s_.units()[u].code, static_cast<int>(u))) {
                last[u] = static_cast<int>(u);
                continue;
            }
            const auto first = static_cast<std::size_t>(lookups_.units.find(s_.units()[u].code));
            lookups_.next_same_code[static_cast<std::size_t>(last[first])] = static_cast<int>(u);
            last[first] = static_cast<int>(u);
        }
    }

    /// Continue from a loaded scenario (to read more entries into it, e.g. --uncertainty).
    void adopt(const Scenario& s) {
        s_ = s;
        s_.uncertainty.clear();
        index_units();
        for (std::size_t g = 0; g < s_.groups().size(); ++g) lookups_.groups.add(s_.groups()[g].id, static_cast<int>(g));
    }
    Scenario take() { return std::move(s_); }

    /// A variant: `base` (the scenario it extends, already loaded) with this file's
    /// changes applied, each kept as a Provision for stacked comparisons.
    Scenario read_variant(const YAML::Node& root, const std::string& yaml_text, std::shared_ptr<const Scenario> base) {
        try {
            read_variant_document(root, yaml_text, std::move(base));
        } catch (...) {
            join_tables();
            throw;
        }
        finish_tables();
        return std::move(s_);
    }

private:
    void read_document(const YAML::Node& root, const std::string& yaml_text) {
        s_.where = {file_, 1, 1};
        s_.inputs.push_back({paths_.relative_to_root(paths_.scenario_dir / std::filesystem::path(file_).filename()),
                             sha256_hex(yaml_text)});
        if (root.IsNull()) fail({file_, 1, 1}, "", i18n::tr("yaml.empty_file"));
        const MapView top({root, "", {file_, 1, 1}},
                          {"scenario", "parameters", "payers", "units", "crosswalks", "groups", "cohorts", "population",
                           "enrolment", "rules", "targets", "schedule", "uncertainty", "demography", "reports"});
        read_header(top.require("scenario"));
        read_parameters(top.require("parameters"));
        read_payers(top.get("payers"));
        read_units(top.require("units"));
        if (auto x = top.get("crosswalks")) read_crosswalks(*x);
        read_groups(top.require("groups"));
        read_rules(top.require("rules"));
        // Cohorts may be left out when every group is defined by age (persons from the projection).
        const bool all_by_age = std::all_of(s_.groups().begin(), s_.groups().end(), [](const Group& g) { return g.by_age(); });
        if (auto c = top.get("cohorts")) read_cohorts(*c);
        else if (!all_by_age) read_cohorts(top.require("cohorts"));
        read_population(top.require("population"));
        if (auto d = top.get("demography")) read_demography(*d);
        if (auto e = top.get("enrolment")) read_enrolment(*e);
        if (auto t = top.get("targets")) read_targets(*t);
        if (auto q = top.get("schedule")) read_schedule(*q);
        if (auto u = top.get("uncertainty")) read_uncertainty(*u);
        if (auto r = top.get("reports")) read_reports(*r);
    }


    // ---- variants
    void read_variant_document(const YAML::Node& root, const std::string& yaml_text, std::shared_ptr<const Scenario> base) {
        s_ = *base;  // shares the bulk data
        s_.base = base;
        s_.provisions.clear();
        s_.rationale = {};
        s_.where = {file_, 1, 1};
        loader_detail::record_input(s_.inputs, {paths_.relative_to_root(paths_.scenario_dir / std::filesystem::path(file_).filename()),
                                                sha256_hex(yaml_text)});
        index_units();
        for (std::size_t g = 0; g < s_.groups().size(); ++g) lookups_.groups.add(s_.groups()[g].id, static_cast<int>(g));
        for (std::size_t p = 0; p < s_.payers.size(); ++p) payers_.add(s_.payers[p].id, static_cast<int>(p));
        const MapView top({root, "", {file_, 1, 1}},
                          {"extends", "scenario", "parameters", "payers", "units", "groups", "cohorts", "population",
                           "enrolment", "rules", "targets", "schedule", "uncertainty"});
        for (const char* data_key : {"units", "groups", "population"})
            if (auto f = top.get(data_key)) f->fail_with(i18n::tr("variant.data_key", {data_key}));
        read_variant_header(top.require("scenario"), *base);
        if (auto p = top.get("parameters")) patch_parameters(*p);
        if (auto p = top.get("payers")) patch_payers(*p);
        if (auto r = top.get("rules")) patch_rules(*r);
        if (auto c = top.get("cohorts")) patch_cohorts(*c);
        if (auto e = top.get("enrolment")) patch_enrolment(*e);
        if (auto t = top.get("targets")) patch_targets(*t);
        if (auto u = top.get("uncertainty")) {
            s_.uncertainty.clear();  // a variant's own uncertainty replaces its base's
            read_uncertainty(*u);
        } else {
            check_inherited_uncertainty();
        }
        if (auto q = top.get("schedule")) {
            const Scenario before = s_;
            read_schedule(*q);
            const auto quarters = s_.quarter_of_month;
            s_.quarter_of_month = before.quarter_of_month;
            add_provision("schedule", i18n::tr("variant.provision.schedule"), q->where,
                          [quarters](Scenario& x) { x.quarter_of_month = quarters; });
        }
    }

    void read_variant_header(const Field& f, const Scenario& base) {
        const MapView m(f, {"id", "title", "rationale", "years", "provenance", "illustrative_population", "data_note"});
        const Field id = m.require("id");
        s_.id = text_value(id);
        s_.id_where = id.where;
        const bool id_ok = s_.id.size() <= 64 && std::all_of(s_.id.begin(), s_.id.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
        if (!id_ok) id.fail_with(i18n::tr("scenario.bad_id", {quote(s_.id)}));
        // Reports go to reports/<id>: a variant with its base's id would overwrite them.
        for (const Scenario* b = &base; b != nullptr; b = b->base.get())
            if (b->id == s_.id) id.fail_with(i18n::tr("variant.same_id", {quote(s_.id)}));
        s_.title = label(m.require("title"));
        if (auto r = m.get("rationale")) s_.rationale = label(*r);
        if (auto y = m.get("years")) {
            s_.years_where = y->where;
            const MapView years(*y, {"from", "to"});
            s_.first_year = static_cast<int>(integer(years.require("from"), loader_detail::kMinYear, loader_detail::kMaxYear));
            const Field to = years.require("to");
            s_.last_year = static_cast<int>(integer(to, loader_detail::kMinYear, loader_detail::kMaxYear));
            if (s_.last_year < s_.first_year) to.fail_with(i18n::tr("scenario.years_reversed", {s_.last_year, s_.first_year}));
            if (s_.year_count() > kMaxScenarioYears)
                to.fail_with(i18n::tr("scenario.too_many_years", {s_.year_count(), kMaxScenarioYears}));
        }
        if (auto p = m.get("provenance")) s_.provenance_note = text_value(*p);
        if (auto ip = m.get("illustrative_population")) s_.illustrative_population = boolean(*ip);
        if (auto note = m.get("data_note")) s_.data_note = label(*note);
    }

    /// Records a provision and applies it to the variant being read.
    void add_provision(std::string key, Text label, SourceLocation where, std::function<void(Scenario&)> apply) {
        apply(s_);
        s_.provisions.push_back({std::move(key), std::move(label), std::move(where), std::move(apply)});
    }

    /// The entries of a mapping whose keys are ids chosen by the author (rules by id).
    std::vector<std::pair<std::string, Field>> id_entries(const Field& f) {
        if (f.node.IsNull()) f.fail_with(i18n::tr("value.missing_mapping"));
        if (!f.node.IsMap()) f.fail_with(i18n::tr("variant.expected_mapping_by_id", {kind_of(f.node)}));
        std::vector<std::pair<std::string, Field>> out;
        std::map<std::string, int> seen;
        for (auto it = f.node.begin(); it != f.node.end(); ++it) {
            const SourceLocation key_where = location(file_, it->first.Mark());
            if (!it->first.IsScalar()) fail(key_where, f.path, i18n::tr("key.not_text", {kind_of(it->first)}));
            const std::string& name = it->first.Scalar();
            const std::string path = f.path + "." + name;
            if (auto x = seen.find(name); x != seen.end()) fail(key_where, path, i18n::tr("key.duplicate", {quote(name), x->second}));
            seen.emplace(name, key_where.line);
            if (!loader_detail::is_identifier(name)) fail(key_where, path, i18n::tr("value.not_identifier", {quote(name)}));
            SourceLocation where = location(file_, it->second.Mark());
            if (it->second.IsNull() || where.line == 0) where = key_where;
            out.emplace_back(name, Field{it->second, path, where});
        }
        return out;
    }

    template <class T>
    static void put_dated(Timeline<T>& t, DatedValue<T> v) {
        auto it = std::find_if(t.entries.begin(), t.entries.end(), [&](const auto& e) { return !(e.from < v.from); });
        if (it != t.entries.end() && it->from == v.from) *it = std::move(v);
        else t.entries.insert(it, std::move(v));
    }

    void patch_parameters(const Field& f) {
        const MapView m(f, {"rounding", "base_salary", "contribution_rate", "household_reduction"});
        if (auto r = m.get("rounding")) {
            const Rounding rounding = choice<Rounding>(*r, {{"half_up", Rounding::half_up},
                                                            {"half_even", Rounding::half_even},
                                                            {"down", Rounding::down},
                                                            {"up", Rounding::up}});
            add_provision("parameters.rounding", i18n::tr("variant.provision.rounding", {std::string(to_string(rounding))}), r->where,
                          [rounding, where = r->where](Scenario& x) {
                              x.parameters.rounding = rounding;
                              x.parameters.rounding_where = where;
                          });
        }
        if (auto b = m.get("base_salary")) {
            const Timeline<Dong> t = timeline<Dong>(*b, [](const Field& v) { return integer(v, 1, kMaxMoneyValue); });
            for (const auto& e : t.entries)
                add_provision("parameters.base_salary@" + e.from.to_string(),
                              i18n::tr("variant.provision.base_salary", {e.from.to_string(), i18n::money(e.value)}), e.where,
                              [e](Scenario& x) { put_dated(x.parameters.base_salary, e); });
        }
        if (auto c = m.get("contribution_rate")) {
            const Timeline<Decimal> t = timeline<Decimal>(*c, [](const Field& v) { return percent(v, Decimal{}, Decimal::one()); });
            for (const auto& e : t.entries)
                add_provision("parameters.contribution_rate@" + e.from.to_string(),
                              i18n::tr("variant.provision.contribution_rate", {e.from.to_string(), i18n::percent(e.value)}), e.where,
                              [e](Scenario& x) { put_dated(x.parameters.contribution_rate, e); });
        }
        if (auto h = m.get("household_reduction")) {
            const Scenario before = s_;
            read_parameters_household(*h);
            const auto t = s_.parameters.household_reduction;
            s_.parameters.household_reduction = before.parameters.household_reduction;
            for (const auto& e : t.entries)
                add_provision("parameters.household_reduction@" + e.from.to_string(),
                              i18n::tr("variant.provision.household_reduction", {e.from.to_string()}), e.where,
                              [e](Scenario& x) { put_dated(x.parameters.household_reduction, e); });
        }
    }

    void patch_payers(const Field& f) {
        const std::size_t before = s_.payers.size();
        read_declared_payers(f);  // adds them after the existing ones
        std::vector<Payer> added(s_.payers.begin() + static_cast<std::ptrdiff_t>(before), s_.payers.end());
        s_.payers.resize(before);
        for (const Payer& p : added)
            add_provision("payers." + p.id, i18n::tr("variant.provision.payer", {p.id}), p.where,
                          [p](Scenario& x) {
                              if (x.find_payer(p.id) < 0) x.payers.push_back(p);
                          });
    }

    void patch_rules(const Field& f) {
        for (const auto& [id, item] : id_entries(f)) {
            const int existing = s_.find_rule(id);
            const bool remove = item.node.IsMap() && item.node["remove"].IsDefined();
            if (remove) {
                const MapView m(item, {"remove"});
                if (!boolean(m.require("remove"))) continue;
                if (existing < 0) item.fail_with(i18n::tr("variant.unknown_rule", {quote(id), rule_hint(id)}));
                add_provision("rules." + id, i18n::tr("variant.provision.rule_removed", {id}), item.where,
                              [id = id](Scenario& x) {
                                  const int r = x.find_rule(id);
                                  if (r < 0) throw std::out_of_range(id);
                                  x.rules.erase(x.rules.begin() + r);
                              });
                continue;
            }
            if (existing >= 0) {
                patch_rule(id, item);
                continue;
            }
            // A new id: a whole rule (its label says so), else a typo of an existing id.
            if (!item.node.IsMap() || !item.node["label"].IsDefined())
                item.fail_with(i18n::tr("variant.unknown_rule", {quote(id), rule_hint(id)}));
            Rule r = read_rule_fields(item, id);
            add_provision("rules." + id, i18n::tr("variant.provision.rule_added", {id}), item.where,
                          [r](Scenario& x) {
                              const int at = x.find_rule(r.id);
                              if (at >= 0) x.rules[static_cast<std::size_t>(at)] = r;
                              else x.rules.push_back(r);
                          });
        }
        if (s_.rules.empty()) f.fail_with(i18n::tr("variant.no_rules_left"));  // as `rules: []` is refused
        if (s_.rules.size() > kMaxRules) f.fail_with(i18n::tr("rules.too_many", {i18n::grouped(static_cast<std::int64_t>(kMaxRules))}));
    }

    Text rule_hint(const std::string& id) const {
        NameIndex ids;
        for (std::size_t r = 0; r < s_.rules.size(); ++r) ids.add(s_.rules[r].id, static_cast<int>(r));
        return ids.hint(id);
    }

    /// Changes some fields of an existing rule; the others stay as they are.
    void patch_rule(const std::string& id, const Field& item) {
        const MapView m(item, {"label", "reference", "confidence", "note", "groups", "when", "share", "amount", "payer",
                               "from", "to"});
        struct Patch {
            std::optional<Text> label;
            std::optional<std::string> reference, note;
            std::optional<Confidence> confidence;
            std::optional<std::vector<int>> groups;
            std::optional<Condition> condition;
            std::optional<Decimal> share;
            std::optional<Dong> amount;
            SourceLocation share_where;
            std::optional<int> payer;
            std::optional<Date> from;
            std::optional<std::optional<Date>> to;
        } p;
        if (auto l = m.get("label")) p.label = label(*l);
        if (auto r = m.get("reference")) p.reference = text_value(*r);
        if (auto c = m.get("confidence")) p.confidence = confidence(*c);
        if (auto n = m.get("note")) p.note = text_value(*n);
        if (auto g = m.get("groups")) {
            std::vector<int> groups;
            std::set<int> seen;
            for (const Field& x : list(*g, false)) {
                const int index = group_ref(x);
                if (!seen.insert(index).second) x.fail_with(i18n::tr("rule.group_twice", {quote(scalar(x))}));
                groups.push_back(index);
            }
            p.groups = std::move(groups);
        }
        if (auto w = m.get("when")) p.condition = condition(*w);
        const auto share = m.get("share");
        const auto amount = m.get("amount");
        if (share && amount) amount->fail_with(i18n::tr("rule.share_and_amount"));
        if (share) {
            p.share = percent(*share, Decimal{}, Decimal::one());
            p.share_where = share->where;
        }
        if (amount) {
            p.amount = integer(*amount, 0, kMaxMoneyValue);
            p.share_where = amount->where;
        }
        if (auto payer = m.get("payer")) {
            const std::string payer_id = text_value(*payer);
            const int index = payers_.find(payer_id);
            if (index < 0) payer->fail_with(i18n::tr("payer.unknown", {quote(payer_id), payers_.hint(payer_id)}));
            p.payer = index;
        }
        if (auto from = m.get("from")) p.from = date(*from);
        if (auto to = m.get("to")) {
            if (to->node.IsScalar() && (to->node.Scalar() == "open" || to->node.Scalar() == "none")) p.to = std::optional<Date>{};
            else p.to = date(*to);
        }
        const Rule& current = s_.rules[static_cast<std::size_t>(s_.find_rule(id))];
        const Date from = p.from.value_or(current.from);
        const std::optional<Date> to = p.to ? *p.to : current.to;
        if (to && *to < from) {
            const auto field = m.get("to") ? m.get("to") : m.get("from");  // an optional: kept, not a reference into it
            field->fail_with(i18n::tr("rule.dates_reversed", {to->to_string(), from.to_string()}));
        }
        const SourceLocation where = item.where;
        add_provision("rules." + id, i18n::tr("variant.provision.rule_changed", {id}), where, [id, p, where](Scenario& x) {
            const int r = x.find_rule(id);
            if (r < 0) throw std::out_of_range(id);
            Rule& rule = x.rules[static_cast<std::size_t>(r)];
            if (p.label) rule.label = *p.label;
            if (p.reference) rule.provenance.reference = *p.reference;
            if (p.confidence) rule.provenance.confidence = *p.confidence;
            if (p.note) rule.provenance.note = *p.note;
            if (p.groups) rule.groups = *p.groups;
            if (p.condition) rule.condition = *p.condition;
            if (p.share) {
                rule.share = p.share;
                rule.amount.reset();
                rule.share_where = p.share_where;
            }
            if (p.amount) {
                rule.amount = p.amount;
                rule.share.reset();
                rule.share_where = p.share_where;
            }
            if (p.payer) rule.payer = *p.payer;
            if (p.from) rule.from = *p.from;
            if (p.to) rule.to = *p.to;
            rule.where = where;
        });
    }

    void patch_cohorts(const Field& f) {
        const MapView m(f, {"growth", "scale"});
        if (auto g = m.get("growth")) {
            const std::size_t before = s_.growth.size();
            read_growth(*g);
            std::vector<GrowthRate> added(s_.growth.begin() + static_cast<std::ptrdiff_t>(before), s_.growth.end());
            s_.growth.resize(before);
            for (const GrowthRate& e : added)
                add_provision("cohorts.growth." + s_.groups()[static_cast<std::size_t>(e.group)].id + "@" + e.from.to_string(),
                              i18n::tr("variant.provision.growth", {s_.groups()[static_cast<std::size_t>(e.group)].id,
                                                                    e.from.to_string(), i18n::percent(e.rate)}),
                              e.where, [e](Scenario& x) {
                                  auto it = std::find_if(x.growth.begin(), x.growth.end(), [&](const GrowthRate& g) {
                                      return g.group == e.group && g.from == e.from;
                                  });
                                  if (it != x.growth.end()) *it = e;
                                  else x.growth.push_back(e);
                              });
        }
        if (auto sc = m.get("scale")) {
            const std::size_t before = s_.cohort_scales.size();
            read_scales(*sc);
            std::vector<CohortScale> added(s_.cohort_scales.begin() + static_cast<std::ptrdiff_t>(before), s_.cohort_scales.end());
            s_.cohort_scales.resize(before);
            for (const CohortScale& e : added)
                add_provision("cohorts." + s_.groups()[static_cast<std::size_t>(e.group)].id + ".scale",
                              i18n::tr("variant.provision.scale", {s_.groups()[static_cast<std::size_t>(e.group)].id,
                                                                   i18n::percent(e.scale)}),
                              e.where, [e](Scenario& x) { set_scale(x, e); });
        }
    }

    static void set_scale(Scenario& x, const CohortScale& e) {
        auto it = std::find_if(x.cohort_scales.begin(), x.cohort_scales.end(), [&](const CohortScale& c) { return c.group == e.group; });
        if (it != x.cohort_scales.end()) *it = e;
        else x.cohort_scales.push_back(e);
    }

    void patch_enrolment(const Field& f) {
        const MapView m(f, {"default", "rates"});
        if (auto d = m.get("default")) {
            const Decimal share = percent(*d, Decimal{}, Decimal::one());
            add_provision("enrolment.default", i18n::tr("variant.provision.enrolment_default", {i18n::percent(share)}), d->where,
                          [share](Scenario& x) { x.default_enrolment = share; });
        }
        if (auto rates = m.get("rates")) {
            const std::size_t before = s_.enrolment.size();
            read_enrolment_rates(*rates);
            std::vector<EnrolmentRate> added(s_.enrolment.begin() + static_cast<std::ptrdiff_t>(before), s_.enrolment.end());
            s_.enrolment.resize(before);
            for (const EnrolmentRate& e : added) {
                std::string key = "enrolment." + s_.groups()[static_cast<std::size_t>(e.group)].id + "@" + e.from.to_string();
                if (e.unit >= 0) key += "@" + s_.units()[static_cast<std::size_t>(e.unit)].code;
                add_provision(key, i18n::tr("variant.provision.enrolment", {s_.groups()[static_cast<std::size_t>(e.group)].id,
                                                                             e.from.to_string(), i18n::percent(e.share)}),
                              e.where, [e](Scenario& x) {
                                  auto it = std::find_if(x.enrolment.begin(), x.enrolment.end(), [&](const EnrolmentRate& r) {
                                      return r.group == e.group && r.unit == e.unit && r.from == e.from;
                                  });
                                  if (it != x.enrolment.end()) *it = e;
                                  else x.enrolment.push_back(e);
                              });
            }
        }
    }

    void patch_targets(const Field& f) {
        const Field file = table_file(f);
        const std::string relative = text_value(file);
        const std::uint32_t file_id = s_.data->file_id(loader_detail::display_path(paths_, relative));
        loader_detail::ScenarioTable table = loader_detail::read_scenario_table(paths_, relative, file.where, file.path);
        loader_detail::record_input(s_.inputs, std::move(table.input));
        s_.data->set_file_columns(file_id, table.cells.header());
        Scenario scratch;
        scratch.data = s_.data;
        loader_detail::load_target_table(table.cells, file_id, lookups_, scratch);
        add_provision("targets", i18n::tr("variant.provision.targets", {relative}), file.where,
                      [targets = std::move(scratch.targets)](Scenario& x) { x.targets = targets; });
    }


    // ---- uncertainty:
    /// `uncertainty:` a list of entries, or {file: x.yaml} naming a file whose top-level
    /// `uncertainty:` is that list.
public:
    void read_uncertainty(const Field& f) {
        if (f.node.IsMap()) {
            const MapView m(f, {"file"});
            const Field file = m.require("file");
            const std::string relative = text_value(file);
            const std::string display = loader_detail::display_path(paths_, relative);
            const std::string text = loader_detail::read_scenario_text(paths_, relative, file.where, file.path, s_.inputs);
            read_uncertainty_document(display, text);
            return;
        }
        read_uncertainty_list(f);
    }

    /// A file holding `uncertainty: [...]` (also --uncertainty FILE).
    void read_uncertainty_document(const std::string& display, const std::string& text) {
        const YAML::Node root = parse_yaml(display, text);
        const std::string saved = file_;
        file_ = display;
        if (root.IsNull()) fail({display, 1, 1}, "", i18n::tr("yaml.empty_file"));
        const MapView top({root, "", {display, 1, 1}}, {"uncertainty"});
        read_uncertainty_list(top.require("uncertainty"), /*allow_empty=*/false);  // a file given to be drawn from
        file_ = saved;
    }

private:
    void read_uncertainty_list(const Field& f, bool allow_empty = true) {
        for (const Field& item : list(f, allow_empty)) s_.uncertainty.push_back(read_uncertainty_entry(item));
    }

    /// A number written plainly or as a percentage ("50%" = 0.5), as a double.
    static double number(const Field& f) {
        const std::string& s = scalar(f);
        Decimal::ParseError why{};
        const auto d = Decimal::parse(s, &why);
        if (!d) f.fail_with(loader_detail::decimal_problem(quote(s), why));
        return d->to_double();
    }

    static std::vector<double> numbers(const Field& f) {
        std::vector<double> out;
        for (const Field& item : list(f, false)) out.push_back(number(item));
        return out;
    }

    UncertaintyEntry read_uncertainty_entry(const Field& item) {
        const MapView m(item, {"target", "from", "dist", "low", "high", "mean", "sd", "mode", "alpha", "beta", "meanlog",
                               "sdlog", "values", "probs", "per", "factor", "loading", "reference", "confidence", "note"});
        UncertaintyEntry e;
        e.where = item.where;
        const Field target = m.require("target");
        e.target = text_value(target);
        check_uncertainty_target(target, e.target);
        if (auto from = m.get("from")) {
            e.from = date(*from);
            // Only a dated parameter has a date to vary; anywhere else `from` would be ignored.
            if (e.target.rfind("parameters.", 0) != 0) from->fail_with(i18n::tr("uncertainty.from_not_parameter", {quote(e.target)}));
        }
        if (e.target.rfind("parameters.", 0) == 0 && !e.from)
            fail(item.where, item.path, i18n::tr("uncertainty.needs_from", {quote(e.target)}));
        const Field dist = m.require("dist");
        const std::string kind = text_value(dist);
        const auto opt = [&](const char* key) -> std::optional<double> {
            if (auto v = m.get(key)) return number(*v);
            return std::nullopt;
        };
        const auto req = [&](const char* key) { return number(m.require(key)); };
        if (kind == "uniform") e.distribution = mc::UniformSpec{req("low"), req("high")};
        else if (kind == "normal") e.distribution = mc::NormalSpec{req("mean"), req("sd"), opt("low"), opt("high")};
        else if (kind == "lognormal") e.distribution = mc::LogNormalSpec{req("meanlog"), req("sdlog"), opt("low"), opt("high")};
        else if (kind == "triangular") e.distribution = mc::TriangularSpec{req("low"), req("mode"), req("high")};
        else if (kind == "beta") e.distribution = mc::BetaSpec{req("alpha"), req("beta"), opt("low").value_or(0.0), opt("high").value_or(1.0)};
        else if (kind == "discrete") {
            mc::DiscreteSpec d;
            d.values = numbers(m.require("values"));
            for (const Field& p : list(m.require("probs"), false)) d.probabilities.push_back(percent(p, Decimal{}, Decimal::one()));
            e.distribution = std::move(d);
        } else {
            dist.fail_with(i18n::tr("value.not_one_of", {quote(kind), "uniform, normal, lognormal, triangular, beta, discrete"}));
        }
        if (const auto problem = mc::check(e.distribution)) {
            const std::string key = problem->key == "probabilities" ? "probs" : problem->key;  // as the YAML spells it
            const auto field = m.get(key);
            fail(field ? field->where : item.where, item.path + "." + key, problem->message);
        }
        check_uncertainty_range(m, item, dist, e);
        if (auto per = m.get("per")) {
            e.per = choice<UncertaintyEntry::Per>(*per, {{"all", UncertaintyEntry::Per::all},
                                                         {"unit", UncertaintyEntry::Per::unit},
                                                         {"group", UncertaintyEntry::Per::group}});
            const bool scale = e.target.rfind("cohorts.", 0) == 0 && e.target != "cohorts.scale";
            const bool every_group = e.target == "cohorts.scale" || e.target == "enrolment.every_group";
            if ((e.per == UncertaintyEntry::Per::unit && !scale) || (e.per == UncertaintyEntry::Per::group && !every_group))
                per->fail_with(i18n::tr("uncertainty.per_not_for", {scalar(*per), quote(e.target)}));
        }
        if (auto loading = m.get("loading"); loading && !m.get("factor")) loading->fail_with(i18n::tr("uncertainty.loading_without_factor"));
        if (auto factor = m.get("factor")) {
            e.factor = identifier(*factor);
            const Field loading = m.require("loading");
            e.loading = number(loading);
            if (!(e.loading >= 0 && e.loading <= 1)) loading.fail_with(i18n::tr("uncertainty.loading", {quote(scalar(loading))}));
        }
        e.reference = text_value(m.require("reference"));
        e.confidence = std::string(to_string(confidence(m.require("confidence"))));
        return e;
    }

    /// The values a scenario accepts for an uncertain target, as the loader reads them
    /// (a share, rate or enrolment 0%–100%, an amount 0–kMaxMoneyValue, a base salary
    /// 1–kMaxMoneyValue, a cohort scale 0%–1000%, i.e. a factor 0–10).
    struct TargetRange {
        double min, max;
        Text min_text, max_text;
    };
    static TargetRange range_of(const std::string& target) {
        const auto ends_with = [&](std::string_view tail) {
            return target.size() >= tail.size() && target.compare(target.size() - tail.size(), tail.size(), tail) == 0;
        };
        const TargetRange share{0.0, 1.0, i18n::percent(Decimal{}), i18n::percent(Decimal::one())};
        if (target == "parameters.base_salary")
            return {1.0, static_cast<double>(kMaxMoneyValue), i18n::money(1), i18n::money(kMaxMoneyValue)};
        if (target.rfind("rules.", 0) == 0 && ends_with(".amount"))
            return {0.0, static_cast<double>(kMaxMoneyValue), i18n::money(0), i18n::money(kMaxMoneyValue)};
        if (target.rfind("cohorts.", 0) == 0)
            return {0.0, 10.0, i18n::percent(Decimal{}), i18n::percent(Decimal::percent(1000))};
        return share;  // rules.ID.share, parameters.contribution_rate, enrolment.*
    }

    /// A double for a message: whole numbers grouped, others as the shortest decimal that
    /// reads back exactly (a decimal comma in Vietnamese).
    static Text number_text(double x) {
        if (x == std::trunc(x) && std::fabs(x) < 1e15) return i18n::grouped(static_cast<std::int64_t>(x));
        const std::string en = fmt::format("{}", x);
        std::string vi = en;
        std::replace(vi.begin(), vi.end(), '.', ',');
        return Text{vi, en};
    }

    /// Every value an entry's distribution can draw must be one the scenario would accept
    /// for its target (what `run` refuses as a value, `sensitivity` must not draw): each
    /// end of the distribution's support is checked, at the key that sets it; an unbounded
    /// end (a normal without low or high, a lognormal) is refused.
    void check_uncertainty_range(const MapView& m, const Field& item, const Field& dist, const UncertaintyEntry& e) {
        const TargetRange r = range_of(e.target);
        const Text target = quote(e.target);
        const auto outside = [&](const SourceLocation& where, const std::string& path, const char* key, const Text& written) {
            fail(where, path, i18n::tr("uncertainty.value_outside", {key, written, target, r.min_text, r.max_text}));
        };
        const auto check_key = [&](const char* key, double value) {
            if (value >= r.min && value <= r.max) return;
            if (const auto field = m.get(key)) outside(field->where, field->path, key, quote(scalar(*field)));
            outside(item.where, item.path + "." + key, key, number_text(value));  // beta's default low (0) or high (1)
        };
        if (const auto* u = std::get_if<mc::UniformSpec>(&e.distribution)) {
            check_key("low", u->low);
            check_key("high", u->high);
        } else if (const auto* t = std::get_if<mc::TriangularSpec>(&e.distribution)) {
            check_key("low", t->low);
            check_key("high", t->high);
        } else if (const auto* b = std::get_if<mc::BetaSpec>(&e.distribution)) {
            check_key("low", b->low);
            check_key("high", b->high);
        } else if (const auto* n = std::get_if<mc::NormalSpec>(&e.distribution)) {
            if (n->sd == 0) return check_key("mean", n->mean);  // always the mean
            if (!n->low || !n->high) {
                const Text missing = !n->low && !n->high ? i18n::tr("uncertainty.low_and_high") : same_text(n->low ? "high:" : "low:");
                dist.fail_with(i18n::tr("uncertainty.normal_unbounded", {target, missing, r.min_text, r.max_text}));
            }
            check_key("low", *n->low);
            check_key("high", *n->high);
        } else if (const auto* l = std::get_if<mc::LogNormalSpec>(&e.distribution)) {
            if (l->sdlog > 0) {
                // Above 0 but unbounded above unless truncated; below, the target may need
                // more than 0 (a base salary of at least 1 đồng).
                if (!l->high) dist.fail_with(i18n::tr("uncertainty.lognormal_unbounded", {target, r.max_text, r.min_text}));
                check_key("high", *l->high);
                check_key("low", l->low.value_or(0.0));
                return;
            }
            const double x = std::exp(l->meanlog);  // sdlog 0: always e^meanlog
            if (!(x >= r.min && x <= r.max)) {
                const Field meanlog = m.require("meanlog");
                outside(meanlog.where, meanlog.path, "meanlog", i18n::join({same_text("e^"), quote(scalar(meanlog)), same_text(" = "), number_text(x)}, ""));
            }
        } else if (std::holds_alternative<mc::DiscreteSpec>(e.distribution)) {
            for (const Field& v : list(m.require("values"), false)) {
                const double x = number(v);
                if (!(x >= r.min && x <= r.max)) outside(v.where, v.path, "values", quote(scalar(v)));
            }
        }
    }

    /// A variant without `uncertainty:` keeps its base's entries: each must still name
    /// something the variant has, as an entry of its own must. A rule the variant removes,
    /// or turns from a share into an amount (or back), is refused at the inherited entry,
    /// naming the variant's change.
    void check_inherited_uncertainty() {
        for (std::size_t k = 0; k < s_.uncertainty.size(); ++k) {
            const UncertaintyEntry& e = s_.uncertainty[k];
            if (e.target.rfind("rules.", 0) != 0) continue;  // parameters, cohorts, enrolment: a variant keeps them all
            const std::size_t dot = e.target.rfind('.');
            const std::string id = e.target.substr(6, dot - 6);
            const int r = s_.find_rule(id);
            const bool share = e.target.compare(dot, std::string::npos, ".share") == 0;
            if (r >= 0 && s_.rules[static_cast<std::size_t>(r)].share.has_value() == share) continue;
            SourceLocation changed = s_.where;
            for (const Provision& p : s_.provisions)
                if (p.key == "rules." + id) changed = p.where;
            const Text at = same_text(changed.file + ":" + std::to_string(changed.line));
            const std::string key = "uncertainty[" + std::to_string(k) + "].target";
            if (r < 0) fail(e.where, key, i18n::tr("uncertainty.inherited_rule_removed", {quote(e.target), id, at}));
            fail(e.where, key, i18n::tr("uncertainty.inherited_rule_changed", {quote(e.target), id, at, share ? "amount" : "share"}));
        }
    }

    /// A target must name something the scenario has: the nearest name is suggested.
    void check_uncertainty_target(const Field& f, const std::string& target) {
        std::vector<std::string> names = {"parameters.base_salary", "parameters.contribution_rate", "cohorts.scale",
                                          "enrolment.default", "enrolment.every_group"};
        for (const Rule& r : s_.rules) names.push_back("rules." + r.id + (r.share ? ".share" : ".amount"));
        for (const Group& g : s_.groups()) {
            names.push_back("cohorts." + g.id + ".scale");
            names.push_back("enrolment." + g.id);
        }
        if (std::find(names.begin(), names.end(), target) != names.end()) return;
        NameIndex index;
        for (std::size_t i = 0; i < names.size(); ++i) index.add(names[i], static_cast<int>(i));
        f.fail_with(i18n::tr("uncertainty.unknown_target", {quote(target), index.hint(target)}));
    }

    // ---- tables read alongside the YAML
    /// A CSV table read, hashed, parsed and loaded into the one Scenario vector that only
    /// it writes. Before any table starts the units, groups and lookups are complete;
    /// from then on they are only read. No YAML node is touched off the main thread.
    struct TableJob {
        std::thread thread;
        std::exception_ptr error;
        InputFile input;
        std::uint32_t file_id = 0;
        std::vector<std::string> header;  ///< for messages about its rows' cells
    };

    /// Starts loading the table named by `file` with `load` (one of the
    /// loader_detail::load_*_table functions): on a helper thread, or at once with one
    /// thread (or when no thread can be had).
    void load_table(const Field& file,
                    void (*load)(const loader_detail::CsvCells&, std::uint32_t, const Lookups&, Scenario&)) {
        load_table(file, [this, load](const loader_detail::CsvCells& cells, std::uint32_t file_id) {
            load(cells, file_id, lookups_, s_);
        });
    }

    void load_table(const Field& file, std::function<void(const loader_detail::CsvCells&, std::uint32_t)> load) {
        // Listed before it starts, so that a started thread is always joined.
        tables_.push_back(std::make_unique<TableJob>());
        TableJob* const job = tables_.back().get();
        const std::string relative = text_value(file);
        // The file's id is given out here, on the main thread: helper threads never
        // touch the list of files.
        const std::uint32_t file_id = s_.data->file_id(loader_detail::display_path(paths_, relative));
        job->file_id = file_id;
        auto run = [this, job, relative, where = file.where, key = file.path, load, file_id] {
            try {
                loader_detail::ScenarioTable table = loader_detail::read_scenario_table(paths_, relative, where, key);
                job->input = std::move(table.input);
                job->header = table.cells.header();
                load(table.cells, file_id);
            } catch (...) {
                job->error = std::current_exception();
            }
        };
        bool started = false;
        if (threads_ > 1) {
            try {
                job->thread = std::thread(run);
                started = true;
            } catch (const std::system_error&) {
                // No thread to be had: read it here.
            }
        }
        if (!started) run();
        if (!started && job->error) std::rethrow_exception(job->error);
    }

    void join_tables() noexcept {
        for (const auto& job : tables_)
            if (job->thread.joinable()) job->thread.join();
    }

    /// Waits for the tables; records their files in document order (and their headers,
    /// which later messages about a row's cell take the column from), or rethrows the
    /// first table's error.
    void finish_tables() {
        join_tables();
        for (const auto& job : tables_) {
            if (job->error) std::rethrow_exception(job->error);
            loader_detail::record_input(s_.inputs, std::move(job->input));
            s_.data->set_file_columns(job->file_id, std::move(job->header));
        }
        tables_.clear();
    }

    // ---- scenario:
    void read_header(const Field& f) {
        const MapView m(f, {"id", "title", "years", "provenance", "illustrative_population", "data_note"});
        const Field id = m.require("id");
        s_.id = text_value(id);
        s_.id_where = id.where;
        const bool id_ok = s_.id.size() <= 64 && std::all_of(s_.id.begin(), s_.id.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
        if (!id_ok) id.fail_with(i18n::tr("scenario.bad_id", {quote(s_.id)}));
        s_.title = label(m.require("title"));
        const Field years_field = m.require("years");
        s_.years_where = years_field.where;
        const MapView years(years_field, {"from", "to"});
        s_.first_year = static_cast<int>(integer(years.require("from"), loader_detail::kMinYear, loader_detail::kMaxYear));
        const Field to = years.require("to");
        s_.last_year = static_cast<int>(integer(to, loader_detail::kMinYear, loader_detail::kMaxYear));
        if (s_.last_year < s_.first_year)
            to.fail_with(i18n::tr("scenario.years_reversed", {s_.last_year, s_.first_year}));
        if (s_.year_count() > kMaxScenarioYears)
            to.fail_with(i18n::tr("scenario.too_many_years", {s_.year_count(), kMaxScenarioYears}));
        s_.provenance_note = text_value(m.require("provenance"));
        if (auto ip = m.get("illustrative_population")) s_.illustrative_population = boolean(*ip);
        if (auto note = m.get("data_note")) s_.data_note = label(*note);
    }

    // ---- parameters:
    template <class T, class ReadValue>
    Timeline<T> timeline(const Field& f, ReadValue read_value) {
        Timeline<T> t;
        for (const Field& item : list(f, false)) {
            const MapView m(item, {"from", "value", "reference", "confidence", "note"});
            const Field from = m.require("from");
            DatedValue<T> v{date(from), read_value(m.require("value")), provenance(m), item.where};
            if (!t.entries.empty() && !(t.entries.back().from < v.from))
                from.fail_with(i18n::tr("parameters.dates_not_increasing", {v.from.to_string(), t.entries.back().from.to_string()}));
            t.entries.push_back(std::move(v));
        }
        return t;
    }

    void read_parameters(const Field& f) {
        const MapView m(f, {"rounding", "base_salary", "contribution_rate", "household_reduction"});
        if (auto r = m.get("rounding")) {
            s_.parameters.rounding = choice<Rounding>(*r, {{"half_up", Rounding::half_up},
                                                           {"half_even", Rounding::half_even},
                                                           {"down", Rounding::down},
                                                           {"up", Rounding::up}});
            s_.parameters.rounding_where = r->where;
        }
        s_.parameters.base_salary =
            timeline<Dong>(m.require("base_salary"), [](const Field& v) { return integer(v, 1, kMaxMoneyValue); });
        s_.parameters.contribution_rate = timeline<Decimal>(
            m.require("contribution_rate"), [](const Field& v) { return percent(v, Decimal{}, Decimal::one()); });
        if (auto h = m.get("household_reduction")) read_parameters_household(*h);
    }

    void read_parameters_household(const Field& h) {
        {
            s_.parameters.household_reduction = timeline<std::vector<Decimal>>(h, [](const Field& v) {
                std::vector<Decimal> shares;
                const std::vector<Field> items = list(v, false);
                // 1st, 2nd, 3rd, 4th, and 5th-and-later members: five entries at most.
                constexpr std::size_t kMaxHouseholdEntries = 5;
                if (items.size() > kMaxHouseholdEntries)
                    items[kMaxHouseholdEntries].fail_with(i18n::tr("parameters.household_too_long", {items.size()}));
                for (const Field& item : items) shares.push_back(percent(item, Decimal{}, Decimal::one()));
                return shares;
            });
        }
    }

    // ---- payers:
    void add_payer(Payer p, const Field* id_field) {
        const int index = static_cast<int>(s_.payers.size());
        if (!payers_.add(p.id, index)) {
            const Payer& first = s_.payers[static_cast<std::size_t>(payers_.find(p.id))];
            id_field->fail_with(first.declared ? i18n::tr("id.duplicate", {quote(p.id), first.where.line})
                                               : i18n::tr("payer.duplicate_builtin", {quote(p.id)}));
        }
        s_.payers.push_back(std::move(p));
    }

    void read_payers(const std::optional<Field>& f) {
        const SourceLocation builtin{file_, 0, 0};
        add_payer({"central", {"Ngân sách trung ương", "Central budget"}, PayerLevel::central, false, builtin}, nullptr);
        add_payer({"province", {"Ngân sách tỉnh", "Provincial budget"}, PayerLevel::province, false, builtin}, nullptr);
        add_payer({"commune", {"Ngân sách xã", "Commune budget"}, PayerLevel::commune, false, builtin}, nullptr);
        if (f) read_declared_payers(*f);
    }

    void read_declared_payers(const Field& f) {
        for (const Field& item : list(f)) {
            const MapView m(item, {"id", "name", "level"});
            const Field id = m.require("id");
            Payer p;
            p.id = identifier(id);
            // The reports' total rows use these in the payer and year columns.
            if (p.id == "total" || p.id == "all") id.fail_with(i18n::tr("payer.reserved_id", {quote(p.id)}));
            p.name = label(m.require("name"));
            p.level = choice<PayerLevel>(m.require("level"), {{"central", PayerLevel::central},
                                                              {"province", PayerLevel::province},
                                                              {"commune", PayerLevel::commune}});
            p.declared = true;
            p.where = item.where;
            add_payer(std::move(p), &id);
        }
    }

    // ---- units:
    std::optional<UnitLevel> level_of(const Field& f) {
        return choice<UnitLevel>(f, {{"province", UnitLevel::province},
                                     {"district", UnitLevel::district},
                                     {"commune", UnitLevel::commune}});
    }

    struct AttributeEntry {
        std::string name;
        std::string value;
        SourceLocation where;
    };

    /// A mapping of attribute names to values (unit attributes, a rule's `when`): names
    /// are ids, values text in NFC (booleans in lower case), sorted by name.
    std::vector<AttributeEntry> attribute_entries(const Field& f) {
        if (f.node.IsNull()) return {};
        if (!f.node.IsMap()) f.fail_with(i18n::tr("attributes.expected_mapping", {kind_of(f.node)}));
        // Any attribute name is allowed; keys must still be text and unique.
        std::vector<AttributeEntry> out;
        std::map<std::string, int> seen;
        for (auto it = f.node.begin(); it != f.node.end(); ++it) {
            const SourceLocation key_where = location(file_, it->first.Mark());
            if (!it->first.IsScalar()) fail(key_where, f.path, i18n::tr("key.not_text", {kind_of(it->first)}));
            const std::string& name = it->first.Scalar();
            const std::string path = f.path + "." + name;
            if (auto s = seen.find(name); s != seen.end())
                fail(key_where, path, i18n::tr("key.duplicate", {quote(name), s->second}));
            seen.emplace(name, key_where.line);
            if (!loader_detail::is_identifier(name))
                fail(key_where, path, i18n::tr("attributes.bad_name", {quote(name)}));
            SourceLocation where = location(file_, it->second.Mark());
            if (it->second.IsNull() || where.line == 0) where = key_where;
            const Field value{it->second, path, where};
            out.push_back({name, to_nfc(loader_detail::normalize_attribute_value(text_value(value))), where});
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        return out;
    }

    std::vector<std::pair<std::string, std::string>> attribute_map(const Field& f) {
        std::vector<std::pair<std::string, std::string>> out;
        for (auto& e : attribute_entries(f)) out.emplace_back(std::move(e.name), std::move(e.value));
        return out;
    }

    Condition condition(const Field& f) {
        Condition c;
        for (auto& e : attribute_entries(f)) {
            c.equals.emplace_back(std::move(e.name), std::move(e.value));
            c.where.push_back(std::move(e.where));
        }
        return c;
    }

    void read_units(const Field& f) {
        std::vector<loader_detail::UnitDraft> drafts;
        if (f.node.IsMap()) {
            const MapView m(f, {"file"});
            const Field file = m.require("file");
            const loader_detail::CsvCells t = loader_detail::read_scenario_csv(paths_, text_value(file), file.where, file.path, s_.inputs);
            drafts = loader_detail::read_unit_table(t);
        } else {
            for (const Field& item : list(f, false)) drafts.push_back(inline_unit(item));
        }
        if (drafts.empty()) f.fail_with(i18n::tr("units.none"));
        loader_detail::resolve_units(std::move(drafts), s_, lookups_);
    }

    loader_detail::UnitDraft inline_unit(const Field& item) {
        const MapView m(item, {"code", "name", "level", "parent", "attributes", "valid_from", "valid_to"});
        loader_detail::UnitDraft d;
        const Field code = m.require("code");
        d.unit.code = to_nfc(text_value(code));
        d.unit.name = to_nfc(text_value(m.require("name")));
        d.unit.level = *level_of(m.require("level"));
        d.unit.where = item.where;
        if (auto a = m.get("attributes")) d.unit.attributes = attribute_map(*a);
        d.code_where = code.where;
        d.code_key = code.path;
        if (auto p = m.get("parent")) {
            d.parent_code = to_nfc(text_value(*p));
            d.parent_where = p->where;
            d.parent_key = p->path;
        }
        if (auto from = m.get("valid_from")) {
            d.unit.valid.from = date(*from);
            d.valid_from_where = from->where;
            d.valid_from_key = from->path;
        }
        if (auto to = m.get("valid_to")) {
            d.unit.valid.to = date(*to);
            d.valid_to_where = to->where;
            d.valid_to_key = to->path;
        }
        return d;
    }

    // ---- crosswalks:
    void read_crosswalks(const Field& f) {
        NameIndex ids;
        for (const Field& item : list(f, false)) {
            const MapView m(item, {"id", "file", "division", "scenario_units", "change", "weights", "reference",
                                   "confidence", "note"});
            loader_detail::CrosswalkSpec spec;
            const Field id = m.require("id");
            spec.id = identifier(id);
            if (!ids.add(spec.id, static_cast<int>(s_.data->crosswalks.size())))
                id.fail_with(i18n::tr("id.duplicate", {quote(spec.id), s_.data->crosswalks[static_cast<std::size_t>(ids.find(spec.id))].where.line}));
            spec.name = label(m.require("division"));
            spec.change = date(m.require("change"));
            spec.weights = choice<CrosswalkWeights>(m.require("weights"), {{"given", CrosswalkWeights::given},
                                                                           {"population", CrosswalkWeights::population},
                                                                           {"equal", CrosswalkWeights::equal}});
            spec.provenance = provenance(m);
            spec.where = item.where;
            const Field levels = m.require("scenario_units");
            spec.levels_where = levels.where;
            spec.levels_key = levels.path;
            for (const Field& l : list(levels)) {
                const auto level = parse_crosswalk_level(scalar(l));
                if (!level) l.fail_with(i18n::tr("value.not_one_of", {quote(scalar(l)), "new, old_commune, old_district, old_province"}));
                if (std::find(spec.levels.begin(), spec.levels.end(), *level) != spec.levels.end())
                    l.fail_with(i18n::tr("merger.level_twice", {quote(scalar(l))}));
                spec.levels.push_back(*level);
            }
            const Field file = m.require("file");
            const std::string relative = text_value(file);
            spec.file = loader_detail::display_path(paths_, relative);
            const loader_detail::CsvCells cells = loader_detail::read_scenario_csv(paths_, relative, file.where, file.path, s_.inputs);
            try {
                s_.data_mut().crosswalks.push_back(loader_detail::bind_crosswalk(spec, cells, s_));
            } catch (const ArithmeticOverflow&) {
                fail({spec.file, 1, 0}, "weight", i18n::tr("sim.overflow"));
            }
        }
    }

    /// `by: {crosswalk: ID, level: old_commune|old_district|old_province}`: the table is
    /// keyed on that level of that crosswalk and carried onto the scenario's new units.
    std::pair<int, CrosswalkLevel> by_spec(const Field& f) {
        const MapView m(f, {"crosswalk", "level"});
        const Field id = m.require("crosswalk");
        const std::string name = text_value(id);
        NameIndex ids;
        for (std::size_t i = 0; i < s_.data->crosswalks.size(); ++i) ids.add(s_.data->crosswalks[i].id, static_cast<int>(i));
        const int x = ids.find(name);
        if (x < 0) id.fail_with(i18n::tr("merger.unknown_crosswalk", {quote(name), ids.hint(name)}));
        const Field level_field = m.require("level");
        const std::string level_text = scalar(level_field);
        const auto level = parse_crosswalk_level(level_text);
        if (!level || *level == CrosswalkLevel::new_unit)
            level_field.fail_with(i18n::tr("value.not_one_of", {quote(level_text), "old_commune, old_district, old_province"}));
        const ScenarioCrosswalk& cw = s_.data->crosswalks[static_cast<std::size_t>(x)];
        if (!cw.has(CrosswalkLevel::new_unit))
            f.fail_with(i18n::tr("merger.by_needs_new_units", {quote(name)}));
        return {x, *level};
    }

    /// Starts reading a table keyed on another division (carried after every table is in).
    void load_keyed(const Field& file, CarriedFigure::Kind kind, const Field& by) {
        const auto [x, level] = by_spec(by);
        keyed_.push_back(std::make_unique<loader_detail::KeyedTable>());
        loader_detail::KeyedTable* table = keyed_.back().get();
        table->kind = kind;
        table->crosswalk = x;
        table->level = level;
        load_table(file, [this, table](const loader_detail::CsvCells& cells, std::uint32_t file_id) {
            loader_detail::load_keyed_table(cells, file_id, lookups_, s_, *table);
        });
    }

    /// Carries every keyed table, populations first (they weight the carried rates).
    void carry_keyed() {
        std::vector<Warning> warnings;
        for (int pass = 0; pass < 2; ++pass)
            for (const auto& t : keyed_)
                if ((t->kind == CarriedFigure::Kind::population) == (pass == 0)) loader_detail::carry_keyed_table(*t, s_, warnings);
        for (const KeyedEnrolmentSet& e : keyed_enrolment_) loader_detail::carry_enrolment(e.entries, e.crosswalk, e.level, s_);
        keyed_.clear();
        keyed_enrolment_.clear();
        load_warnings_.insert(load_warnings_.end(), warnings.begin(), warnings.end());
        s_.load_warnings = load_warnings_;
    }

    // ---- reports:
    void read_reports(const Field& f) {
        const MapView m(f, {"by"});
        s_.report_by.clear();
        s_.report_by_where.clear();
        for (const Field& item : list(m.require("by"))) {
            s_.report_by.push_back(text_value(item));
            s_.report_by_where.push_back(item.where);
        }
    }

    // ---- groups:
    void read_groups(const Field& f) {
        for (const Field& item : list(f, false)) {
            const MapView m(item, {"id", "name", "duration_months", "age", "age_bands"});
            const Field id = m.require("id");
            Group g;
            g.id = identifier(id);
            g.name = label(m.require("name"));
            if (auto d = m.get("duration_months")) g.duration_months = static_cast<int>(integer(*d, 1, kMaxDurationMonths));
            g.where = item.where;
            const auto age = m.get("age");
            const auto bands = m.get("age_bands");
            if (age && bands) bands->fail_with(i18n::tr("group.age_and_bands"));
            if (age) g.age_bands.push_back(age_window(*age, Decimal::one()));
            if (bands)
                for (const Field& b : list(*bands, false)) {
                    const MapView bm(b, {"age", "share"});
                    g.age_bands.push_back(age_window(bm.require("age"), percent(bm.require("share"), Decimal{}, Decimal::one())));
                }
            if (g.by_age() && g.duration_months > 0)
                (age ? *age : *bands).fail_with(i18n::tr("group.age_and_duration"));
            // Bands of one group may not overlap (a person would count twice).
            for (std::size_t i = 0; i < g.age_bands.size(); ++i)
                for (std::size_t j = 0; j < i; ++j) {
                    const AgeBand& a = g.age_bands[i];
                    const AgeBand& b = g.age_bands[j];
                    if (a.from < b.to && b.from < a.to)
                        fail(a.where, item.path + ".age_bands", i18n::tr("group.bands_overlap", {a.from, a.to, b.from, b.to}));
                }
            const int index = static_cast<int>(s_.groups().size());
            if (!lookups_.groups.add(g.id, index))
                id.fail_with(i18n::tr("id.duplicate", {quote(g.id), s_.groups()[static_cast<std::size_t>(lookups_.groups.find(g.id))].where.line}));
            s_.data_mut().groups.push_back(std::move(g));
        }
    }

    /// `[from, to]`: ages from ≤ age < to (to = 101 for "and older"), whole years.
    AgeBand age_window(const Field& f, Decimal share) {
        const std::vector<Field> bounds = list(f, false);
        if (bounds.size() != 2) f.fail_with(i18n::tr("group.age_not_pair"));
        AgeBand b;
        b.from = static_cast<int>(integer(bounds[0], 0, 100));
        b.to = static_cast<int>(integer(bounds[1], 1, 101));
        if (b.to <= b.from) bounds[1].fail_with(i18n::tr("group.age_reversed", {b.from, b.to}));
        b.share = share;
        b.where = f.where;
        return b;
    }

    int group_ref(const Field& f) {
        const std::string id = text_value(f);
        const int g = lookups_.groups.find(id);
        if (g < 0) f.fail_with(i18n::tr("group.unknown", {quote(id), lookups_.groups.hint(id)}));
        return g;
    }

    int unit_ref(const Field& f) {
        const std::string code = to_nfc(text_value(f));
        const int u = lookups_.units.find(code);
        if (u < 0) f.fail_with(i18n::tr("unit.unknown", {quote(code), lookups_.units.hint(code)}));
        return u;
    }

    /// A unit named by code in an entry dated `on`: the unit of that code valid then (a
    /// code may name several units in succession).
    int unit_ref(const Field& f, Date on) {
        const int first = unit_ref(f);
        if (lookups_.next_same_code.empty()) return first;
        const int u = loader_detail::unit_on(lookups_, s_.units(), first, on);
        if (u < 0)
            f.fail_with(i18n::tr("validity.not_valid", {quote(s_.units()[static_cast<std::size_t>(first)].code),
                                                        s_.units()[static_cast<std::size_t>(first)].name, on.to_string(),
                                                        loader_detail::periods_of(lookups_, s_.units(), first)}));
        return u;
    }

    // ---- rules:
    void read_rules(const Field& f) {
        NameIndex ids;
        for (const Field& item : list(f, false)) {
            if (s_.rules.size() == kMaxRules) item.fail_with(i18n::tr("rules.too_many", {i18n::grouped(static_cast<std::int64_t>(kMaxRules))}));
            s_.rules.push_back(read_rule(item, ids));
        }
    }

    Rule read_rule(const Field& item, NameIndex& ids) {
        const MapView m(item, {"id", "label", "reference", "confidence", "note", "groups", "when", "share", "amount",
                               "payer", "from", "to"});
        const Field id = m.require("id");
        const std::string rule_id = identifier(id);
        if (!ids.add(rule_id, static_cast<int>(s_.rules.size())))
            id.fail_with(i18n::tr("id.duplicate", {quote(rule_id), s_.rules[static_cast<std::size_t>(ids.find(rule_id))].where.line}));
        return rule_fields(m, item, rule_id);
    }

    /// A whole rule written in a variant under its id (`rules: {new_id: {...}}`).
    Rule read_rule_fields(const Field& item, const std::string& id) {
        const MapView m(item, {"label", "reference", "confidence", "note", "groups", "when", "share", "amount", "payer",
                               "from", "to"});
        return rule_fields(m, item, id);
    }

    Rule rule_fields(const MapView& m, const Field& item, const std::string& id) {
        Rule r;
        r.id = id;
        r.label = label(m.require("label"));
        r.provenance = provenance(m);
        r.where = item.where;
        std::set<int> seen;
        for (const Field& g : list(m.require("groups"), false)) {
            const int index = group_ref(g);
            if (!seen.insert(index).second) g.fail_with(i18n::tr("rule.group_twice", {quote(scalar(g))}));
            r.groups.push_back(index);
        }
        if (auto w = m.get("when")) r.condition = condition(*w);
        read_share_or_amount(m, r);
        const Field payer = m.require("payer");
        const std::string payer_id = text_value(payer);
        r.payer = payers_.find(payer_id);
        if (r.payer < 0) payer.fail_with(i18n::tr("payer.unknown", {quote(payer_id), payers_.hint(payer_id)}));
        r.from = date(m.require("from"));
        if (auto to = m.get("to")) {
            r.to = date(*to);
            if (*r.to < r.from)
                to->fail_with(i18n::tr("rule.dates_reversed", {r.to->to_string(), r.from.to_string()}));
        }
        return r;
    }

    void read_share_or_amount(const MapView& m, Rule& r) {
        const auto share = m.get("share");
        const auto amount = m.get("amount");
        if (share && amount) amount->fail_with(i18n::tr("rule.share_and_amount"));
        if (share) {
            r.share = percent(*share, Decimal{}, Decimal::one());
            r.share_where = share->where;
            return;
        }
        if (amount) {
            r.amount = integer(*amount, 0, kMaxMoneyValue);
            r.share_where = amount->where;
            return;
        }
        fail(m.self().where, m.self().path, i18n::tr("rule.no_share"));
    }

    // ---- cohorts:

    /// The `file` of a table's mapping (`{file: x.csv}`).
    Field table_file(const Field& f) {
        const MapView m(f, {"file"});
        return m.require("file");
    }

    void read_cohorts(const Field& f) {
        const MapView m(f, {"file", "growth", "scale", "inflows", "overlaps", "by"});
        if (auto by = m.get("by")) load_keyed(m.require("file"), CarriedFigure::Kind::cohort, *by);
        else load_table(m.require("file"), loader_detail::load_cohort_table);
        if (auto g = m.get("growth")) read_growth(*g);
        if (auto sc = m.get("scale")) read_scales(*sc);
        if (auto in = m.get("inflows")) load_table(table_file(*in), loader_detail::load_inflow_table);
        if (auto o = m.get("overlaps")) read_keyed_or_plain(*o, CarriedFigure::Kind::overlap, loader_detail::load_overlap_table);
    }

    /// `{file: x.csv}` or `{file: x.csv, by: {...}}`.
    void read_keyed_or_plain(const Field& f, CarriedFigure::Kind kind,
                             void (*load)(const loader_detail::CsvCells&, std::uint32_t, const Lookups&, Scenario&)) {
        const MapView m(f, {"file", "by"});
        if (auto by = m.get("by")) load_keyed(m.require("file"), kind, *by);
        else load_table(m.require("file"), load);
    }

    void read_growth(const Field& f) {
        std::map<std::pair<int, Date>, int> first_line;
        for (const Field& item : list(f)) {
            const MapView m(item, {"group", "from", "rate", "reference", "confidence", "note"});
            GrowthRate g;
            g.group = group_ref(m.require("group"));
            const Field from = m.require("from");
            g.from = date(from);
            g.rate = percent(m.require("rate"), Decimal::percent(-100), Decimal::percent(1000));
            g.provenance = provenance(m);
            g.where = item.where;
            if (auto [it, fresh] = first_line.emplace(std::pair{g.group, g.from}, item.where.line); !fresh)
                from.fail_with(i18n::tr("growth.duplicate", {g.from.to_string(), it->second}));
            s_.growth.push_back(std::move(g));
        }
    }

    /// `scale: [{group, scale, reference, confidence}]`: a factor on a group's persons.
    void read_scales(const Field& f) {
        std::map<int, int> first_line;
        for (const Field& item : list(f)) {
            const MapView m(item, {"group", "scale", "reference", "confidence", "note"});
            CohortScale c;
            const Field group = m.require("group");
            c.group = group_ref(group);
            c.scale = percent(m.require("scale"), Decimal{}, Decimal::percent(1000));
            c.provenance = provenance(m);
            c.where = item.where;
            if (auto [it, fresh] = first_line.emplace(c.group, item.where.line); !fresh)
                group.fail_with(i18n::tr("scale.duplicate", {it->second}));
            const auto existing = std::find_if(s_.cohort_scales.begin(), s_.cohort_scales.end(),
                                               [&](const CohortScale& x) { return x.group == c.group; });
            if (existing != s_.cohort_scales.end() && s_.base == nullptr) group.fail_with(i18n::tr("scale.duplicate", {existing->where.line}));
            s_.cohort_scales.push_back(std::move(c));
        }
    }

    void read_population(const Field& f) {
        read_keyed_or_plain(f, CarriedFigure::Kind::population, loader_detail::load_population_table);
    }


    // ---- demography:
    void read_demography(const Field& f) {
        const MapView m(f, {"base_year", "ages", "life_table", "fertility", "sex_ratio_at_birth", "female_fraction", "a0",
                            "migration", "reference", "confidence", "note"});
        Demography d;
        d.where = f.where;
        d.provenance = provenance(m);
        d.base_year = static_cast<int>(integer(m.require("base_year"), loader_detail::kMinYear, loader_detail::kMaxYear));
        if (d.base_year > s_.first_year)
            m.require("base_year").fail_with(i18n::tr("demography.base_year_late", {d.base_year, s_.first_year}));
        // ages: unit_code, age, persons (and sex: male/female when two sexes are given)
        {
            const Field file = table_file(m.require("ages"));
            d.ages_where = file.where;
            const auto t = loader_detail::read_scenario_csv(paths_, text_value(file), file.where, file.path, s_.inputs);
            const std::uint32_t file_id = s_.data->file_id(t.file());
            s_.data->set_file_columns(file_id, t.header());
            loader_detail::load_age_table(t, file_id, lookups_, s_, d);
        }
        {
            const MapView lt(m.require("life_table"), {"file", "form"});
            const Field file = lt.require("file");
            d.life_where = file.where;
            if (auto form = lt.get("form")) d.life_table_form = choice<std::string>(*form, {{"qx", "qx"}, {"sx", "sx"}, {"lx", "lx"}});
            const auto t = loader_detail::read_scenario_csv(paths_, text_value(file), file.where, file.path, s_.inputs);
            loader_detail::load_life_table(t, d);
        }
        if (auto fert = m.get("fertility")) {
            const Field file = table_file(*fert);
            d.fertility_where = file.where;
            const auto t = loader_detail::read_scenario_csv(paths_, text_value(file), file.where, file.path, s_.inputs);
            loader_detail::load_fertility_table(t, d);
        }
        const auto real = [&](const char* key, double fallback) {
            if (auto v = m.get(key)) {
                const std::string& text = scalar(*v);
                const auto x = Decimal::parse(text);
                if (!x) v->fail_with(i18n::tr("value.not_number", {quote(text)}));
                return x->to_double();
            }
            return fallback;
        };
        d.sex_ratio_at_birth = real("sex_ratio_at_birth", 1.05);
        d.female_fraction = real("female_fraction", 0.5);
        d.a0 = real("a0", 0.1);
        if (auto mig = m.get("migration"))
            for (const Field& item : list(*mig)) {
                const MapView mm(item, {"unit", "from", "rate", "reference", "confidence", "note"});
                Demography::Migration step;
                if (auto u = mm.get("unit")) step.unit = unit_ref(*u);
                step.from_year = static_cast<int>(integer(mm.require("from"), loader_detail::kMinYear, loader_detail::kMaxYear));
                const Decimal rate = percent(mm.require("rate"), Decimal::percent(-100), Decimal::percent(100));
                step.rate = rate.to_double();
                step.rate_text = rate.to_percent_string();
                step.provenance = provenance(mm);
                step.where = item.where;
                d.migration.push_back(step);
            }
        s_.data->demography = std::move(d);
    }

    // ---- enrolment:
    void read_enrolment(const Field& f) {
        const MapView m(f, {"default", "rates", "takeup", "ramps", "by"});
        if (auto d = m.get("default")) s_.default_enrolment = percent(*d, Decimal{}, Decimal::one());
        if (auto by = m.get("by")) {
            const auto [x, level] = by_spec(*by);
            enrolment_by_ = {x, level};
        }
        if (auto rates = m.get("rates")) read_enrolment_rates(*rates);
        if (enrolment_by_) {
            keyed_enrolment_.push_back({std::move(pending_enrolment_), enrolment_by_->first, enrolment_by_->second});
            pending_enrolment_.clear();
            enrolment_by_.reset();
        }
        if (auto t = m.get("takeup")) read_takeup(*t);
        if (auto r = m.get("ramps")) read_ramps(*r);
    }

    /// A take-up curve per group (population/takeup.hpp).
    void read_takeup(const Field& f) {
        for (const Field& item : list(f)) {
            const MapView m(item, {"group", "shape", "elasticity", "slope_per_million", "points", "observed",
                                   "baseline_out_of_pocket", "ceiling", "jump_at_zero", "retention", "reference",
                                   "confidence", "note"});
            TakeupEntry e;
            const Field group = m.require("group");
            e.group = group_ref(group);
            for (const TakeupEntry& other : s_.takeup)
                if (other.group == e.group) group.fail_with(i18n::tr("takeup.duplicate", {other.where.line}));
            e.where = item.where;
            e.provenance = provenance(m);
            dynamics::TakeupSpec& spec = e.spec;
            spec.shape = dynamics::TakeupShape::logistic;
            if (auto shape = m.get("shape"))
                spec.shape = choice<dynamics::TakeupShape>(*shape, {{"logistic", dynamics::TakeupShape::logistic},
                                                                    {"piecewise_linear", dynamics::TakeupShape::piecewise_linear}});
            spec.observed_rate = percent(m.require("observed"), Decimal{}, Decimal::one()).to_double();
            spec.baseline_out_of_pocket = integer(m.require("baseline_out_of_pocket"), 0, kMaxMoneyValue);
            if (auto c = m.get("ceiling")) spec.ceiling = percent(*c, Decimal{}, Decimal::one()).to_double();
            if (auto j = m.get("jump_at_zero")) spec.jump_at_zero = percent(*j, Decimal{}, Decimal::one()).to_double();
            // Keys of the other shape would be ignored: refuse them.
            const char* shape_name = spec.shape == dynamics::TakeupShape::logistic ? "logistic" : "piecewise_linear";
            static constexpr std::array<const char*, 1> kNotForLogistic = {"points"};
            static constexpr std::array<const char*, 2> kNotForPiecewise = {"slope_per_million", "elasticity"};
            const auto refuse_keys = [&](const auto& keys) {
                for (const char* other : keys)
                    if (auto k = m.get(other)) k->fail_with(i18n::tr("takeup.key_not_for_shape", {other, shape_name}));
            };
            if (spec.shape == dynamics::TakeupShape::logistic) refuse_keys(kNotForLogistic);
            else refuse_keys(kNotForPiecewise);
            if (spec.shape == dynamics::TakeupShape::logistic) {
                const auto slope = m.get("slope_per_million");
                const auto elasticity = m.get("elasticity");
                if (slope && elasticity) elasticity->fail_with(i18n::tr("takeup.slope_and_elasticity"));
                if (slope) spec.slope_per_million = number(*slope);
                else if (elasticity) {
                    const double eps = number(*elasticity);
                    if (eps > 0) elasticity->fail_with(i18n::tr("takeup.elasticity_sign", {quote(scalar(*elasticity))}));
                    if (spec.baseline_out_of_pocket <= 0 || spec.observed_rate <= 0 || spec.observed_rate >= spec.ceiling)
                        elasticity->fail_with(i18n::tr("takeup.elasticity_needs"));
                    spec.slope_per_million = dynamics::logistic_slope_for_elasticity(eps, spec.baseline_out_of_pocket,
                                                                                     spec.observed_rate, spec.ceiling);
                } else {
                    fail(item.where, item.path, i18n::tr("takeup.needs_slope"));
                }
            } else {
                for (const Field& point : list(m.require("points"), false)) {
                    const std::vector<Field> pair = list(point, false);
                    if (pair.size() != 2) point.fail_with(i18n::tr("takeup.point_not_pair"));
                    spec.points.push_back({integer(pair[0], 0, kMaxMoneyValue), percent(pair[1], Decimal{}, Decimal::one()).to_double()});
                }
            }
            if (auto r = m.get("retention")) {
                const MapView rm(*r, {"years", "form", "keep_per_year"});
                e.retention = true;
                e.retention_form.years = static_cast<int>(integer(rm.require("years"), 1, 50));
                if (auto form = rm.get("form"))
                    e.retention_form.form = choice<dynamics::RetentionForm>(*form, {{"linear", dynamics::RetentionForm::linear},
                                                                                   {"geometric", dynamics::RetentionForm::geometric}});
                if (auto keep = rm.get("keep_per_year")) {
                    if (e.retention_form.form != dynamics::RetentionForm::geometric)
                        keep->fail_with(i18n::tr("takeup.keep_needs_geometric"));
                    e.retention_form.keep_per_year = percent(*keep, Decimal{}, Decimal::one()).to_double();
                }
                if (const auto problems = dynamics::check(e.retention_form); !problems.empty())
                    fail(r->where, r->path + "." + problems.front().key, problems.front().message);
            }
            if (const auto problems = dynamics::check(spec); !problems.empty()) {
                const dynamics::TakeupProblem& p = problems.front();
                static const std::map<std::string, std::string> kYamlKey = {
                    {"slope", "slope_per_million"}, {"observed_rate", "observed"}, {"points", "points"},
                    {"ceiling", "ceiling"}, {"jump_at_zero", "jump_at_zero"}, {"baseline_out_of_pocket", "baseline_out_of_pocket"}};
                const auto it = kYamlKey.find(p.key);
                const std::string key = it == kYamlKey.end() ? p.key : it->second;
                const auto field = m.get(key);
                fail(field ? field->where : item.where, item.path + "." + key, p.message);
            }
            s_.takeup.push_back(std::move(e));
        }
    }

    void read_ramps(const Field& f) {
        for (const Field& item : list(f)) {
            const MapView m(item, {"group", "unit", "from", "target", "close", "reference", "confidence", "note"});
            EnrolmentRamp r;
            r.group = group_ref(m.require("group"));
            r.from_year = static_cast<int>(integer(m.require("from"), loader_detail::kMinYear, loader_detail::kMaxYear));
            if (auto u = m.get("unit")) r.unit = unit_ref(*u, Date{r.from_year, 1, 1});
            r.target = percent(m.require("target"), Decimal{}, Decimal::one());
            const Field close = m.require("close");
            r.close = percent(close, Decimal{}, Decimal::one());
            if (r.close.is_zero()) close.fail_with(i18n::tr("ramp.close_zero"));
            r.provenance = provenance(m);
            r.where = item.where;
            s_.ramps.push_back(std::move(r));
        }
    }

    void read_enrolment_rates(const Field& f) {
        std::map<std::tuple<int, int, Date>, int> first_line;
        for (const Field& item : list(f)) {
            const MapView m(item, {"group", "unit", "from", "share", "reference", "confidence", "note"});
            EnrolmentRate e;
            e.group = group_ref(m.require("group"));
            const Field from = m.require("from");
            e.from = date(from);
            if (enrolment_by_) {
                if (auto u = m.get("unit")) {
                    // Keyed on the crosswalk's old units: carried onto the new ones.
                    const ScenarioCrosswalk& x = s_.data->crosswalks[static_cast<std::size_t>(enrolment_by_->first)];
                    Text hint;
                    const std::string key = text_value(*u);
                    const int k = loader_detail::find_level_unit(x, enrolment_by_->second, key, &hint);
                    if (k < 0) u->fail_with(i18n::tr("merger.not_in_level", {quote(key), hint}));
                    if (x.last_old_day() < e.from)
                        from.fail_with(i18n::tr("merger.keyed_not_valid_on", {quote(key), e.from.to_string(),
                                                                              x.last_old_day().to_string(), quote(x.id)}));
                    pending_enrolment_.push_back({e.group, k, e.from, percent(m.require("share"), Decimal{}, Decimal::one()),
                                                  provenance(m), item.where});
                    continue;
                }
            } else if (auto u = m.get("unit")) {
                e.unit = unit_ref(*u, e.from);
            }
            e.share = percent(m.require("share"), Decimal{}, Decimal::one());
            e.provenance = provenance(m);
            e.where = item.where;
            if (auto [it, fresh] = first_line.emplace(std::tuple{e.group, e.unit, e.from}, item.where.line); !fresh)
                from.fail_with(i18n::tr("enrolment.duplicate", {e.from.to_string(), it->second}));
            s_.enrolment.push_back(std::move(e));
        }
    }

    /// `targets: {file: ...}`, or a list of such tables (one keyed on old units `by:`, say).
    void read_targets(const Field& f) {
        if (f.node.IsSequence()) {
            for (const Field& item : list(f, false))
                read_keyed_or_plain(item, CarriedFigure::Kind::target, loader_detail::load_target_table);
            return;
        }
        read_keyed_or_plain(f, CarriedFigure::Kind::target, loader_detail::load_target_table);
    }

    // ---- schedule:
    void read_schedule(const Field& f) {
        const MapView m(f, {"quarters"});
        const Field q = m.require("quarters");
        const std::vector<Field> quarters = list(q);
        if (quarters.size() != 4)
            q.fail_with(i18n::tr("schedule.not_four", {quarters.size()}));
        std::array<int, 12> quarter_of_month{};
        int next_month = 1;
        for (std::size_t i = 0; i < quarters.size(); ++i) {
            const std::vector<Field> range = list(quarters[i], false);
            if (range.size() != 2) quarters[i].fail_with(i18n::tr("schedule.not_range"));
            const int first = static_cast<int>(integer(range[0], 1, 12));
            const int last = static_cast<int>(integer(range[1], 1, 12));
            if (first != next_month || last < first)
                quarters[i].fail_with(i18n::tr("schedule.gap", {first, last, next_month}));
            for (int month = first; month <= last; ++month) quarter_of_month[static_cast<std::size_t>(month - 1)] = static_cast<int>(i);
            next_month = last + 1;
        }
        if (next_month != 13)
            q.fail_with(i18n::tr("schedule.short", {next_month - 1}));
        s_.quarter_of_month = quarter_of_month;
    }

    std::string file_;
    PathContext paths_;
    int threads_;
    Scenario s_;
    Lookups lookups_;
    NameIndex payers_;
    std::vector<std::unique_ptr<TableJob>> tables_;  ///< in document order
    std::vector<std::unique_ptr<loader_detail::KeyedTable>> keyed_;  ///< tables keyed on other divisions
    struct KeyedEnrolmentSet {
        std::vector<loader_detail::KeyedEnrolment> entries;
        int crosswalk = 0;
        CrosswalkLevel level = CrosswalkLevel::old_commune;
    };
    std::vector<KeyedEnrolmentSet> keyed_enrolment_;
    std::vector<loader_detail::KeyedEnrolment> pending_enrolment_;
    std::optional<std::pair<int, CrosswalkLevel>> enrolment_by_;
    std::vector<Warning> load_warnings_;
};

std::string read_yaml_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) fail({path, 0, 0}, "", i18n::tr("file.scenario_missing"));
    if (!fs::is_regular_file(path, ec)) fail({path, 0, 0}, "", i18n::tr("file.not_regular"));
    const auto size = fs::file_size(path, ec);
    if (ec) fail({path, 0, 0}, "", i18n::tr("file.cannot_read_because", {i18n::system_error(ec)}));
    if (size > loader_detail::kMaxYamlBytes)
        fail({path, 0, 0}, "", i18n::tr("file.too_large", {static_cast<std::int64_t>(loader_detail::kMaxYamlBytes >> 20)}));
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (!in || in.gcount() != static_cast<std::streamsize>(size)) fail({path, 0, 0}, "", i18n::tr("file.cannot_read"));
    return text;
}

}  // namespace

namespace {

/// Loads scenarios and the chains they extend: each file once (by its canonical path),
/// cycles refused.
class LoadSession {
public:
    explicit LoadSession(LoadOptions options) : options_(std::move(options)) {}

    std::shared_ptr<const Scenario> load(const std::string& path, const std::string* text = nullptr,
                                         const SourceLocation* extended_at = nullptr) {
        std::error_code ec;
        const std::string key = std::filesystem::weakly_canonical(path, ec).string();
        if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
            std::string chain;
            for (const std::string& p : stack_) chain += std::filesystem::path(p).filename().string() + " -> ";
            chain += std::filesystem::path(key).filename().string();
            fail(*extended_at, "extends", i18n::tr("variant.cycle", {chain}));
        }
        if (text == nullptr)
            if (auto it = cache_.find(key); it != cache_.end()) return it->second;
        const std::string yaml_text = text != nullptr ? *text : read_yaml_file(path);
        if (yaml_text.size() > loader_detail::kMaxYamlBytes)
            fail({path, 0, 0}, "", i18n::tr("file.too_large", {static_cast<std::int64_t>(loader_detail::kMaxYamlBytes >> 20)}));
        if (const auto problem = check_utf8(yaml_text)) {
            const TextPosition at = position_of(yaml_text, problem->offset);
            fail({path, at.line, at.column}, "",
                 i18n::tr(problem->kind == Utf8Problem::Kind::nul ? "text.nul_byte_yaml" : "text.not_utf8_yaml"));
        }
        if (yaml_text.find_first_not_of(" \t\r\n") == std::string::npos) fail({path, 1, 1}, "", i18n::tr("yaml.empty_file"));
        const YAML::Node root = parse_yaml(path, yaml_text);
        // A base that is no scenario at all (extends: ../units.csv): said at the extends; a
        // file given as the scenario that is no mapping (a CSV table), at its top.
        if (extended_at != nullptr && !root.IsMap())
            fail(*extended_at, "extends", i18n::tr("variant.extends_not_scenario", {i18n::quoted(std::filesystem::path(path).filename().string())}));
        if (!root.IsMap() && !root.IsNull())
            fail({path, 1, 1}, "", i18n::tr("variant.extends_not_scenario", {i18n::quoted(std::filesystem::path(path).filename().string())}));
        PathContext paths = PathContext::make(path, options_.root);
        std::shared_ptr<const Scenario> base;
        if (root.IsMap() && root["extends"].IsDefined()) {
            const YAML::Node ext = root["extends"];
            const SourceLocation where = location(path, ext.Mark());
            if (!ext.IsScalar() || ext.Scalar().empty()) fail(where, "extends", i18n::tr("variant.extends_not_path"));
            const std::string base_path = resolve_extends(paths, ext.Scalar(), where);
            stack_.push_back(key);
            struct Pop {
                std::vector<std::string>& s;
                ~Pop() { s.pop_back(); }
            } pop{stack_};
            base = load(base_path, nullptr, &where);
        }
        ScenarioReader reader(path, std::move(paths), options_.threads > 0 ? options_.threads : default_threads());
        auto scenario = std::make_shared<const Scenario>(base ? reader.read_variant(root, yaml_text, base)
                                                              : reader.read(root, yaml_text));
        if (text == nullptr) cache_.emplace(key, scenario);
        return scenario;
    }

private:
    /// The base of a variant: relative to the variant's folder, inside the scenario root.
    static std::string resolve_extends(const PathContext& paths, const std::string& relative, const SourceLocation& where) {
        const std::filesystem::path rel(relative);
        if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
            fail(where, "extends", i18n::tr("path.absolute", {i18n::quoted(relative)}));
        const std::filesystem::path lexical = (paths.scenario_dir / rel).lexically_normal();
        std::error_code ec;
        const std::filesystem::path canonical = std::filesystem::weakly_canonical(lexical, ec);
        const auto inside = [](const std::filesystem::path& p, const std::filesystem::path& prefix) {
            auto pi = p.begin();
            for (auto qi = prefix.begin(); qi != prefix.end(); ++qi, ++pi) {
                if (qi->empty()) continue;
                if (pi == p.end() || *pi != *qi) return false;
            }
            return true;
        };
        if (!inside(lexical, paths.root_lexical) || (!ec && !inside(canonical, paths.root_canonical)))
            fail(where, "extends", i18n::tr("path.leaves_root", {i18n::quoted(relative), i18n::quoted(paths.root_lexical.generic_string())}));
        const std::string display = loader_detail::display_path(paths, relative);
        if (!std::filesystem::is_regular_file(lexical, ec))
            fail(where, "extends", std::filesystem::exists(lexical, ec) ? i18n::tr("path.not_regular", {i18n::quoted(relative)})
                                                                         : i18n::tr("path.missing", {i18n::quoted(relative), display}));
        return display;
    }

    LoadOptions options_;
    std::map<std::string, std::shared_ptr<const Scenario>> cache_;
    std::vector<std::string> stack_;  ///< the chain being loaded, by canonical path
};

}  // namespace

Scenario load_scenario_text(const std::string& path, const std::string& yaml_text, const LoadOptions& options) {
    LoadSession session(options);
    return *session.load(path, &yaml_text);
}

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
    LoadSession session(options);
    return *session.load(path);
}

void load_uncertainty_file(Scenario& s, const std::string& path, const LoadOptions& options) {
    const std::string text = read_yaml_file(path);
    if (const auto problem = check_utf8(text)) {
        const TextPosition at = position_of(text, problem->offset);
        fail({path, at.line, at.column}, "", i18n::tr("text.not_utf8_yaml"));
    }
    ScenarioReader reader(path, PathContext::make(path, options.root), 1);
    reader.adopt(s);
    reader.read_uncertainty_document(path, text);
    s = reader.take();
}

std::vector<Scenario> load_scenarios(const std::vector<std::string>& paths, const LoadOptions& options) {
    LoadSession session(options);
    std::vector<Scenario> out;
    out.reserve(paths.size());
    for (const std::string& p : paths) out.push_back(*session.load(p));
    return out;
}

}  // namespace subsim
