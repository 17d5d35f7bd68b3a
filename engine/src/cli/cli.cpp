/// The `subsim` command line: parse arguments, call the library, map errors to exit
/// statuses (0 success, 1 internal error, 2 invalid input or usage).
#include "subsim/cli/cli.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "subsim/core/error.hpp"
#include "subsim/core/money.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/costing.hpp"

#ifndef SUBSIM_VERSION
#define SUBSIM_VERSION "unknown"
#endif
#ifndef SUBSIM_SOURCE_DIR
#define SUBSIM_SOURCE_DIR "."
#endif

namespace subsim {

namespace {

namespace fs = std::filesystem;

constexpr int kExitSuccess = 0;
constexpr int kExitInternalError = 1;
constexpr int kExitInvalidInput = 2;

/// Scenarios tried, in order, when `run` is given none.
constexpr const char* kDefaultScenarios[] = {
    "scenarios/ninh-binh-2026/scenario.yaml",
    "scenarios/an-giang-2016-2020/scenario.yaml",
};
constexpr const char* kReportsFolder = "reports";

constexpr std::string_view kUsage =
    "Usage:\n"
    "  subsim run [SCENARIO] [--out DIR] [--lang vi|en] [--root DIR]\n"
    "  subsim validate SCENARIO [--root DIR] [--lang vi|en]\n"
    "  subsim --help\n"
    "  subsim --version\n"
    "\n"
    "Estimates what provincial budgets pay to subsidise health-insurance (BHYT)\n"
    "contributions, per year, commune, group, rule and paying budget, exact to the đồng.\n"
    "\n"
    "  run           load, validate and simulate SCENARIO; write the reports (CSV,\n"
    "                run.json, summary.md) into DIR, replacing it as a whole\n"
    "  validate      check SCENARIO and print its warnings; writes nothing\n"
    "  SCENARIO      a scenario YAML file (format: scenarios/README.md); default\n"
    "                scenarios/ninh-binh-2026/scenario.yaml, else\n"
    "                scenarios/an-giang-2016-2020/scenario.yaml\n"
    "  --out DIR     output folder (default: reports/<scenario id>)\n"
    "  --lang vi|en  language of summary.md and of messages (default: vi)\n"
    "  --root DIR    scenario root that input paths may not leave (default: the\n"
    "                nearest enclosing folder named scenarios)\n"
    "\n"
    "Exit status: 0 success, 1 internal error, 2 invalid input or usage.\n"
    "SOURCE_DATE_EPOCH, if set, is used as the run.json timestamp.\n";

/// Bad command-line usage: answered with the usage text and exit status 2.
struct UsageError : std::runtime_error {
    explicit UsageError(const std::string& s) : std::runtime_error(s) {}
};

/// An environment or file-system failure while writing reports (exit status 1).
struct OutputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Command { help, version, run, validate };

struct Options {
    Command command = Command::help;
    std::optional<std::string> scenario;
    std::optional<std::string> out;
    std::optional<Lang> lang;
    std::optional<std::string> root;
};

std::optional<Lang> parse_lang(std::string_view text) {
    if (text == "vi") return Lang::vi;
    if (text == "en") return Lang::en;
    return std::nullopt;
}

/// Sets an option once; a second value or an empty one is a usage error.
void set_once(std::optional<std::string>& slot, std::string_view option, std::string_view value) {
    if (slot) throw UsageError(std::string(option) + " given more than once");
    if (value.empty()) throw UsageError(std::string(option) + " needs a value");
    slot = std::string(value);
}

/// Parses the arguments after the command word.
void parse_command_arguments(const std::vector<std::string_view>& args, Options& o) {
    const bool is_run = o.command == Command::run;
    bool options_ended = false;
    std::optional<std::string> lang_text;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (options_ended || arg.empty() || arg[0] != '-' || arg == "-") {
            if (o.scenario) throw UsageError("more than one scenario given: '" + std::string(arg) + "'");
            if (arg.empty()) throw UsageError("empty scenario path");
            o.scenario = std::string(arg);
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }
        if (arg == "--help" || arg == "-h") {
            o.command = Command::help;
            return;
        }
        std::string_view name = arg;
        std::optional<std::string_view> value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        std::optional<std::string>* slot = nullptr;
        if (name == "--root") slot = &o.root;
        else if (name == "--out" && is_run) slot = &o.out;
        else if (name == "--lang") slot = &lang_text;  // validate accepts it too: harmless
        else throw UsageError("unknown option '" + std::string(name) + "'");
        if (!value) {
            if (i + 1 >= args.size()) throw UsageError(std::string(name) + " needs a value");
            value = args[++i];
        }
        set_once(*slot, name, *value);
    }
    if (lang_text) {
        o.lang = parse_lang(*lang_text);
        if (!o.lang) throw UsageError("--lang must be vi or en, not '" + *lang_text + "'");
    }
    if (o.command == Command::validate && !o.scenario) throw UsageError("validate needs a SCENARIO");
}

Options parse_arguments(int argc, const char* const* argv) {
    std::vector<std::string_view> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i] != nullptr ? argv[i] : "");
    if (args.empty()) throw UsageError("no command given");
    Options o;
    const std::string_view first = args.front();
    if (first == "--help" || first == "-h" || first == "help") {
        o.command = Command::help;
        return o;
    }
    if (first == "--version" || first == "-V") {
        if (args.size() > 1) throw UsageError("--version takes no arguments");
        o.command = Command::version;
        return o;
    }
    if (first == "run") o.command = Command::run;
    else if (first == "validate") o.command = Command::validate;
    else throw UsageError("unknown command '" + std::string(first) + "'");
    parse_command_arguments({args.begin() + 1, args.end()}, o);
    return o;
}

/// The first default scenario found in the working directory, else in the source tree.
std::string default_scenario() {
    for (const char* candidate : kDefaultScenarios) {
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate;
        const fs::path in_source = fs::path(SUBSIM_SOURCE_DIR) / candidate;
        if (fs::is_regular_file(in_source, ec)) return in_source.string();
    }
    throw UsageError("no SCENARIO given and no default scenario found (" + std::string(kDefaultScenarios[0]) + ")");
}

/// ISO 8601 UTC time: SOURCE_DATE_EPOCH if set (reproducible runs), else now.
std::string generated_at() {
    std::time_t seconds = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr) {
        const std::string_view text(epoch);
        constexpr std::size_t kMaxDigits = 12;  // far beyond year 9999
        if (text.empty() || text.size() > kMaxDigits || text.find_first_not_of("0123456789") != std::string_view::npos)
            throw UsageError("SOURCE_DATE_EPOCH must be a whole number of seconds, not '" + std::string(text) + "'");
        seconds = static_cast<std::time_t>(std::stoll(std::string(text)));
    }
    std::tm utc{};
    char buffer[32];
    if (::gmtime_r(&seconds, &utc) == nullptr || std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
        throw UsageError("SOURCE_DATE_EPOCH is out of range");
    return buffer;
}

/// A folder name made from the scenario id: the loader allows [a-z0-9-] only, checked
/// again here because it becomes a path.
std::string default_out_dir(const Scenario& s) {
    const bool safe = !s.id.empty() && s.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
    if (!safe) throw ScenarioError(s.where, "scenario.id", same_text("'" + s.id + "' cannot name a report folder"));
    return std::string(kReportsFolder) + "/" + s.id;
}

/// The same rule publish() applies, checked before any work: the last component must
/// name a folder of its own (not "." or "..").
void check_out_dir(const std::string& out) {
    std::string text = out;
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    const std::string name = fs::path(text).filename().string();
    if (name.empty() || name == "." || name == ".." || name == "/")
        throw UsageError("--out must name a folder of its own, not '" + out + "'");
}

/// Reports replace their folder as a whole, so a folder that holds anything but an
/// earlier run's reports (no run.json) is refused rather than wiped: `--out ~/Documents`
/// must never delete the user's documents.
void check_replaceable(const std::string& out) {
    std::error_code ec;
    const fs::path dir(out);
    if (!fs::is_directory(dir, ec)) return;  // absent (created) or not a folder (publish refuses)
    if (fs::is_empty(dir, ec) || fs::exists(dir / "run.json", ec)) return;
    throw UsageError("'" + out + "' is a folder with other content (no run.json from an earlier subsim run); " +
                     "reports replace their folder as a whole, so name a new or empty folder");
}

LoadOptions load_options(const Options& o) {
    LoadOptions lo;
    if (o.root) lo.root = *o.root;
    return lo;
}

void print_warnings(std::ostream& err, const std::vector<Warning>& warnings) {
    for (const Warning& w : warnings) err << "warning: " << w.to_string() << "\n";
}

int run_validate(const Options& o, std::ostream& out, std::ostream& err) {
    const Scenario s = load_scenario(*o.scenario, load_options(o));
    print_warnings(err, validate(s));
    out << "OK: " << s.id << " (" << s.units.size() << " units, " << s.groups.size() << " groups, " << s.rules.size()
        << " rules)\n";
    return kExitSuccess;
}

/// Validation warnings first, then the simulator's own that are not already among them.
std::vector<Warning> merge_warnings(const std::vector<Warning>& first, const std::vector<Warning>& more,
                                    std::vector<Warning>& added) {
    std::vector<Warning> all = first;
    std::set<std::string> seen;
    for (const Warning& w : first) seen.insert(w.to_string());
    for (const Warning& w : more) {
        if (!seen.insert(w.to_string()).second) continue;
        all.push_back(w);
        added.push_back(w);
    }
    return all;
}

int run_simulation(const Options& o, std::ostream& out, std::ostream& err) {
    const Lang lang = o.lang.value_or(Lang::vi);
    if (o.out) check_out_dir(*o.out);
    ReportOptions report_options{lang, SUBSIM_VERSION, generated_at()};

    const std::string scenario_path = o.scenario ? *o.scenario : default_scenario();
    const Scenario s = load_scenario(scenario_path, load_options(o));
    const std::vector<Warning> validation_warnings = validate(s);
    print_warnings(err, validation_warnings);
    Results results = simulate(s);
    std::vector<Warning> simulation_warnings;
    results.warnings = merge_warnings(validation_warnings, results.warnings, simulation_warnings);
    print_warnings(err, simulation_warnings);

    const std::string out_dir = o.out ? *o.out : default_out_dir(s);
    check_replaceable(out_dir);
    try {
        publish(out_dir, [&](const fs::path& dir) { write_reports(dir, results, report_options); });
    } catch (const fs::filesystem_error& e) {
        std::string detail = e.code().message();
        if (!e.path1().empty()) detail += " (" + e.path1().string() + ")";
        throw OutputError("cannot write reports to " + out_dir + ": " + detail);
    }
    out << (lang == Lang::vi ? "Đã ghi báo cáo vào " : "Reports written to ") << out_dir << "\n";
    return kExitSuccess;
}

int dispatch(const Options& o, std::ostream& out, std::ostream& err) {
    switch (o.command) {
        case Command::help: out << kUsage; return kExitSuccess;
        case Command::version: out << "subsim " << SUBSIM_VERSION << "\n"; return kExitSuccess;
        case Command::validate: return run_validate(o, out, err);
        case Command::run: return run_simulation(o, out, err);
    }
    return kExitInternalError;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    try {
        return dispatch(parse_arguments(argc, argv), out, err);
    } catch (const UsageError& e) {
        err << "error: " << e.what() << "\n\n" << kUsage;
        return kExitInvalidInput;
    } catch (const ScenarioError& e) {
        err << "error: " << e.what() << "\n";
        return kExitInvalidInput;
    } catch (const OutputError& e) {
        err << "error: " << e.what() << "\n";
        return kExitInternalError;
    } catch (const ArithmeticOverflow& e) {
        err << "internal error: " << e.what() << "\n";
        return kExitInternalError;
    } catch (const std::exception& e) {
        err << "internal error: " << e.what() << "\n";
        return kExitInternalError;
    } catch (...) {
        err << "internal error: unknown exception\n";
        return kExitInternalError;
    }
}

}  // namespace subsim
