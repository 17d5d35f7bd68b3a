#include "subsim/report/output_folder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <tuple>
#include <set>
#include <signal.h>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "publish_detail.hpp"
#include "subsim/core/paths.hpp"
#include "subsim/core/error.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {

namespace fs = std::filesystem;

namespace publish_detail {

std::vector<Sibling> siblings(const fs::path& parent, const std::string& name, std::string_view marker) {
    std::vector<Sibling> out;
    std::error_code ec;
    fs::directory_iterator it(parent, ec);
    if (ec) return out;
    const std::string prefix = "." + name + std::string(marker);
    const auto digits = [](std::string_view text, std::size_t from, std::size_t most, unsigned long& value) {
        std::size_t i = from;
        for (; i < text.size() && i - from < most && text[i] >= '0' && text[i] <= '9'; ++i)
            value = value * 10 + static_cast<unsigned long>(text[i] - '0');
        return i;
    };
    for (const fs::directory_entry& e : it) {
        const std::string entry = e.path().filename().string();
        if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
        // Exactly <pid>-<counter>, as sibling_name() makes them: anything else (say
        // ".report.tmp-backup") is not subsim's and is left alone.
        const std::string_view rest = std::string_view(entry).substr(prefix.size());
        unsigned long pid = 0, counter = 0;
        const std::size_t dash = digits(rest, 0, 10, pid);
        if (dash == 0 || dash >= rest.size() || rest[dash] != '-') continue;
        const std::size_t end = digits(rest, dash + 1, 12, counter);
        if (end == dash + 1 || end != rest.size()) continue;
        std::error_code ignored;
        if (!fs::is_directory(e.symlink_status(ignored))) continue;  // a link or a file: not ours
        out.push_back({e.path(), static_cast<long>(pid), counter});
    }
    return out;
}

bool process_alive(long pid) {
    if (pid <= 0 || pid > static_cast<long>(std::numeric_limits<pid_t>::max())) return false;
    if (pid == static_cast<long>(::getpid())) return false;  // ours: left by an earlier failed call
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::pair<fs::path, std::string> split_target(const fs::path& out_dir) {
    std::string text = out_dir.string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    const fs::path target(text);
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == ".." || name == "/")
        throw std::invalid_argument("output folder must name a folder of its own: '" + out_dir.string() + "'");
    fs::path parent = target.parent_path();
    if (parent.empty()) parent = ".";
    return {parent, name};
}

}  // namespace publish_detail

namespace {

[[noreturn]] void refuse(Text message) { throw ScenarioError({}, "--out", std::move(message)); }

/// The report files of release 0.1.0, whose run.json had no manifest.
constexpr std::array<std::string_view, 11> kLegacyFiles = {
    "budget_lines.csv", "budget_by_year_payer.csv", "budget_by_unit.csv", "budget_by_quarter.csv",
    "commune_bills.csv", "coverage.csv",            "cohort_costs.csv",   "overlaps.csv",
    "provenance.csv",    "run.json",                "summary.md"};

/// What an earlier run's run.json says: the files it wrote, and the command that wrote them.
struct Manifest {
    std::set<std::string> files;
    std::string kind;  ///< run.json's "kind"; "run" where it has none
};

/// The manifest of an earlier run, or nullopt if `run.json` is not subsim's.
std::optional<Manifest> read_manifest(const fs::path& run_json) {
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(run_json, ec))) return std::nullopt;
    constexpr std::uintmax_t kMaxBytes = 16u << 20;
    const auto size = fs::file_size(run_json, ec);
    if (ec || size > kMaxBytes) return std::nullopt;
    std::ifstream in(run_json, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const nlohmann::json j = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    Manifest manifest{{}, std::string(report_kind_name(ReportKind::run))};
    if (const auto m = j.find("manifest"); m != j.end()) {
        if (!m->is_object() || m->value("program", std::string()) != kProgramName) return std::nullopt;
        const auto list = m->find("files");
        if (list == m->end() || !list->is_array()) return std::nullopt;
        if (const auto kind = j.find("kind"); kind != j.end()) {
            if (!kind->is_string()) return std::nullopt;
            manifest.kind = kind->get<std::string>();
        }
        for (const auto& f : *list)
            if (f.is_string()) manifest.files.insert(f.get<std::string>());
        manifest.files.insert("run.json");
        return manifest;
    }
    // Release 0.1.0 (run only): no manifest, but a fixed set of file names and these keys.
    if (!j.contains("scenario_id") || !j.contains("program_version") || !j.contains("totals")) return std::nullopt;
    for (std::string_view f : kLegacyFiles) manifest.files.insert(std::string(f));
    return manifest;
}

fs::path canonical_or_absolute(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    if (!ec) return c;
    return fs::absolute(p, ec).lexically_normal();
}

/// Why `out_dir` may not be replaced by a run of the command `kind` (null: of any
/// command), or nullopt if it may (check_replaceable_contents).
std::optional<Text> replace_problem(const fs::path& out_dir, const std::string& shown_as, const ReportKind* kind) {
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(out_dir, ec);
    if (ec || !fs::exists(status)) return std::nullopt;  // absent: created
    if (fs::is_symlink(status)) return i18n::tr("out.symlink", {i18n::quoted(shown_as)});
    if (!fs::is_directory(status)) return i18n::tr("out.not_folder", {i18n::quoted(shown_as)});
    if (fs::is_empty(out_dir, ec)) return std::nullopt;
    const auto manifest = read_manifest(out_dir / "run.json");
    if (!manifest) return i18n::tr("out.not_report_folder", {i18n::quoted(shown_as)});
    const std::set<std::string>& files = manifest->files;
    for (fs::recursive_directory_iterator it(out_dir, fs::directory_options::none, ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string relative = it->path().lexically_relative(out_dir).generic_string();
        if (it->is_directory(ec) && !it->is_symlink(ec)) {
            // A folder is fine only if the manifest lists a file inside it.
            const bool listed = std::any_of(files.begin(), files.end(), [&](const std::string& f) {
                return f.size() > relative.size() && f.compare(0, relative.size(), relative) == 0 &&
                       f[relative.size()] == '/';
            });
            if (!listed) return i18n::tr("out.foreign_entry", {i18n::quoted(shown_as), i18n::quoted(relative)});
            continue;
        }
        if (!files.count(relative)) return i18n::tr("out.foreign_entry", {i18n::quoted(shown_as), i18n::quoted(relative)});
    }
    if (ec) return i18n::tr("out.unreadable", {i18n::quoted(shown_as), i18n::system_error(ec)});
    // subsim's, but another command's: its reports are not this command's to replace.
    if (kind != nullptr && manifest->kind != report_kind_name(*kind))
        return i18n::tr("out.other_command", {i18n::quoted(shown_as), i18n::quoted("subsim " + manifest->kind),
                                              i18n::quoted("subsim " + std::string(report_kind_name(*kind)))});
    return std::nullopt;
}

}  // namespace

namespace publish_detail {

bool own_sibling(const Sibling& s, std::string_view marker) {
    std::error_code ec;
    if (marker == kTempMarker && fs::is_regular_file(fs::symlink_status(s.path / kWritingMarker, ec))) return true;
    return !replace_problem(s.path, s.path.string(), nullptr);  // a leftover of any command
}

}  // namespace publish_detail

std::string_view report_kind_name(ReportKind kind) {
    switch (kind) {
        case ReportKind::run: return "run";
        case ReportKind::compare: return "compare";
        case ReportKind::sensitivity: return "sensitivity";
        case ReportKind::solve: return "solve";
    }
    return "run";
}

void check_replaceable_contents(const fs::path& out_dir, const std::string& shown_as, ReportKind kind) {
    if (auto problem = replace_problem(out_dir, shown_as, &kind)) refuse(std::move(*problem));
}

std::vector<std::string> manifest_listing(const fs::path& dir) {
    std::vector<std::string> files;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename() != kWritingMarker)
            files.push_back(e.path().lexically_relative(dir).generic_string());
    files.push_back("run.json");
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

void check_output_folder(const fs::path& out_dir, const std::vector<fs::path>& inputs, ReportKind kind) {
    const std::string shown = out_dir.string();
    try {
        (void)publish_detail::split_target(out_dir);
    } catch (const std::invalid_argument&) {
        refuse(i18n::tr("out.needs_own_name", {i18n::quoted(shown)}));
    }
    std::string text = shown;
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    const fs::path target(text);
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(target, ec))) refuse(i18n::tr("out.symlink", {i18n::quoted(shown)}));
    // The folder must not hold (or be above) anything the run reads.
    const fs::path out_canonical = canonical_or_absolute(target);
    for (const fs::path& input : inputs) {
        const fs::path in_canonical = canonical_or_absolute(input);
        if (starts_with_path(in_canonical, out_canonical))
            refuse(i18n::tr("out.holds_input", {i18n::quoted(shown), i18n::quoted(input.string())}));
    }
    check_replaceable_contents(target, shown, kind);
}

bool recover_output_folder(const fs::path& out_dir) {
    std::pair<fs::path, std::string> split;
    try {
        split = publish_detail::split_target(out_dir);
    } catch (const std::invalid_argument&) {
        return false;
    }
    const auto& [parent, name] = split;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(parent / name, ec))) return false;
    // The newest folder left aside by a process that is gone holds the last reports.
    std::vector<publish_detail::Sibling> old = publish_detail::siblings(parent, name, publish_detail::kOldMarker);
    old.erase(std::remove_if(old.begin(), old.end(),
                             [](const publish_detail::Sibling& s) {
                                 return publish_detail::process_alive(s.pid) ||
                                        !publish_detail::own_sibling(s, publish_detail::kOldMarker);
                             }),
              old.end());
    if (old.empty()) return false;
    const auto newest = std::max_element(old.begin(), old.end(), [](const auto& a, const auto& b) {
        std::error_code e1, e2;
        const auto ta = fs::last_write_time(a.path, e1), tb = fs::last_write_time(b.path, e2);
        return std::tie(ta, a.counter) < std::tie(tb, b.counter);
    });
    fs::rename(newest->path, parent / name, ec);
    return !ec;
}

}  // namespace subsim
