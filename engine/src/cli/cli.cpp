/// The `subsim` command line (CLI11): parse arguments, call the library, map errors to
/// exit statuses (0 success, 1 internal error, 2 invalid input or usage). Every word it
/// prints comes from the vi/en catalogue; --lang (default vi) chooses the language, and
/// is read before anything else so that even --help and usage errors speak it.
#include "subsim/cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <limits>
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
#include "subsim/core/paths.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/engine.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/mc/sensitivity.hpp"
#include "subsim/report/compare_reports.hpp"
#include "subsim/report/sensitivity_reports.hpp"
#include "subsim/report/solve_report.hpp"
#include "subsim/solve/solve.hpp"
#include "subsim/report/output_folder.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/report/divisions.hpp"

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

/// Bad command-line usage: answered with one line and a pointer to --help, exit 2.
struct UsageError : std::runtime_error {
    explicit UsageError(Text t) : std::runtime_error(t.en), text(std::move(t)) {}
    Text text;
};

/// An environment or file-system failure while writing reports (exit status 1).
struct OutputError : std::runtime_error {
    explicit OutputError(Text t) : std::runtime_error(t.en), text(std::move(t)) {}
    Text text;
};

/// The language asked for anywhere on the command line (`--lang en`, `--lang=en`), so
/// that help and usage errors are in it too; vi if absent or not vi/en (the parser then
/// reports the bad value).
Lang language_of(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i] != nullptr ? argv[i] : "";
        if (arg == "--") break;
        std::string_view value;
        if (arg == "--lang" && i + 1 < argc && argv[i + 1] != nullptr) value = argv[i + 1];
        else if (arg.rfind("--lang=", 0) == 0) value = arg.substr(7);
        if (value == "en") return Lang::en;
        if (value == "vi") return Lang::vi;
    }
    return Lang::vi;
}

/// What the command line asked for, as text; checked by check_options().
struct Options {
    std::string command;
    std::vector<std::string> scenarios;
    std::string out;
    std::string lang = "vi";
    std::string root;
    std::string threads;
    bool allow_unit_changes = false;
    // sensitivity
    std::string draws = "1000";
    std::string seed = "1";
    std::string sobol = "512";
    std::vector<std::string> sobol_outputs;
    std::string uncertainty;
    bool keep_draws = false;
    bool force = false;
    // run: reports
    std::string as_of, money_unit;
    std::vector<std::string> report_by;
    // solve
    std::string vary, target, by, unit, budget, payer, year;
};

/// Help labels and descriptions in the chosen language.
class HelpFormatter : public CLI::Formatter {
public:
    explicit HelpFormatter(Lang lang) {
        for (const char* key : {"Usage", "OPTIONS", "SUBCOMMAND", "SUBCOMMANDS", "REQUIRED", "Positionals", "Options",
                                "Needs", "Excludes"})
            label(key, i18n::tr_in(lang, std::string("cli.label.") + key));
    }

    /// As CLI::Formatter's, but the first column is padded by characters, not bytes: the
    /// Vietnamese placeholders (THƯ_MỤC, NGÀY) take two or three bytes a letter.
    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        std::string out = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
        std::size_t width = 0;  // UTF-8 code points (Vietnamese in NFC: one per letter)
        for (const unsigned char c : out) width += (c & 0xC0) != 0x80 ? 1 : 0;
        const std::size_t column = get_column_width();
        if (width < column) out.append(column - width, ' ');
        const std::string description = make_option_desc(opt);
        if (!description.empty()) {
            if (width >= column) out += "\n" + std::string(column, ' ');
            for (const char c : description) {
                out += c;
                if (c == '\n') out.append(column, ' ');
            }
        }
        return out + "\n";
    }
};

void build_app(CLI::App& app, Options& o, Lang lang) {
    const auto t = [lang](std::string_view key) { return i18n::tr_in(lang, key); };
    app.formatter(std::make_shared<HelpFormatter>(lang));
    app.description(t("cli.description"));
    app.footer(t("cli.footer"));
    app.set_help_flag("-h,--help", t("cli.help"))->group(t("cli.label.Options"));
    app.add_flag("-V,--version")->description(t("cli.version"))->group(t("cli.label.Options"));
    app.add_option("--lang", o.lang, t("cli.lang"))->type_name("vi|en")->group(t("cli.label.Options"));
    app.require_subcommand(0, 1);

    const auto common = [&](CLI::App* sub) {
        sub->formatter(std::make_shared<HelpFormatter>(lang));
        sub->set_help_flag("-h,--help", t("cli.help"))->group(t("cli.label.Options"));
        sub->add_option("--lang", o.lang, t("cli.lang"))->type_name("vi|en")->group(t("cli.label.Options"));
        sub->add_option("--root", o.root, t("cli.root"))->type_name(t("cli.type.folder"))->group(t("cli.label.Options"));
        sub->add_option("--threads", o.threads, t("cli.threads"))->type_name("N")->group(t("cli.label.Options"));
    };
    CLI::App* run = app.add_subcommand("run", t("cli.run"));
    run->add_option("scenario", o.scenarios, t("cli.run.scenario"))->type_name(t("cli.type.scenario"));
    run->add_option("--out", o.out, t("cli.out"))->type_name(t("cli.type.folder"))->group(t("cli.label.Options"));
    run->add_option("--as-of", o.as_of, t("cli.as_of"))->type_name(t("cli.type.date"))->group(t("cli.label.Options"));
    run->add_option("--money-unit", o.money_unit, t("cli.money_unit"))->type_name("dong|million|billion")->group(t("cli.label.Options"));
    run->add_option("--by", o.report_by, t("cli.run.by"))->type_name(t("cli.type.by"))->group(t("cli.label.Options"));
    common(run);
    CLI::App* validate = app.add_subcommand("validate", t("cli.validate"));
    validate->add_option("scenario", o.scenarios, t("cli.validate.scenario"))->type_name(t("cli.type.scenario"));
    common(validate);
    CLI::App* compare = app.add_subcommand("compare", t("cli.compare"));
    compare->add_option("scenario", o.scenarios, t("cli.compare.scenarios"))->type_name(t("cli.type.scenario"));
    compare->add_option("--out", o.out, t("cli.compare.out"))->type_name(t("cli.type.folder"))->group(t("cli.label.Options"));
    compare->add_flag("--allow-unit-changes", o.allow_unit_changes, t("cli.compare.allow_unit_changes"))
        ->group(t("cli.label.Options"));
    common(compare);
    CLI::App* sens = app.add_subcommand("sensitivity", t("cli.sensitivity"));
    sens->add_option("scenario", o.scenarios, t("cli.sensitivity.scenarios"))->type_name(t("cli.type.scenario"));
    // `type`: a placeholder key of the catalogue ("cli.type.…"), or the placeholder itself.
    const auto opt = [&](CLI::App* sub, const char* name, std::string& slot, const char* help, const char* type) {
        const std::string_view key(type);
        sub->add_option(name, slot, t(help))->type_name(key.rfind("cli.type.", 0) == 0 ? t(key) : std::string(key))
            ->group(t("cli.label.Options"));
    };
    opt(sens, "--draws", o.draws, "cli.sensitivity.draws", "N");
    opt(sens, "--seed", o.seed, "cli.sensitivity.seed", "S");
    opt(sens, "--sobol", o.sobol, "cli.sensitivity.sobol", "N");
    sens->add_option("--sobol-output", o.sobol_outputs, t("cli.sensitivity.sobol_output"))->type_name(t("cli.type.sobol_output"))
        ->group(t("cli.label.Options"));
    opt(sens, "--uncertainty", o.uncertainty, "cli.sensitivity.uncertainty", "cli.type.file");
    sens->add_flag("--keep-draws", o.keep_draws, t("cli.sensitivity.keep_draws"))->group(t("cli.label.Options"));
    sens->add_flag("--force", o.force, t("cli.sensitivity.force"))->group(t("cli.label.Options"));
    sens->add_option("--out", o.out, t("cli.sensitivity.out"))->type_name(t("cli.type.folder"))->group(t("cli.label.Options"));
    common(sens);
    CLI::App* solve = app.add_subcommand("solve", t("cli.solve"));
    solve->add_option("scenario", o.scenarios, t("cli.solve.scenario"))->type_name(t("cli.type.scenario"));
    opt(solve, "--vary", o.vary, "cli.solve.vary", "cli.type.rule_share");
    opt(solve, "--target", o.target, "cli.solve.target", "coverage>=95%");
    opt(solve, "--by", o.by, "cli.solve.by", "cli.type.year");
    opt(solve, "--unit", o.unit, "cli.solve.unit", "cli.type.code");
    opt(solve, "--budget", o.budget, "cli.solve.budget", "cli.type.dong");
    opt(solve, "--payer", o.payer, "cli.solve.payer", "cli.type.payer");
    opt(solve, "--year", o.year, "cli.solve.year", "cli.type.year");
    solve->add_option("--out", o.out, t("cli.solve.out"))->type_name(t("cli.type.folder"))->group(t("cli.label.Options"));
    common(solve);
    for (CLI::App* sub : {run, validate, compare, sens, solve}) sub->group(t("cli.label.Commands"));
}

/// CLI11's own parse errors, in the chosen language. `command_given`: a command word was
/// recognised (otherwise a stray word is an unknown command).
Text parse_error_text(const CLI::ParseError& e, bool command_given) {
    const std::string what = e.what();
    const auto after_colon = [&] {
        const auto at = what.find(": ");
        return at == std::string::npos ? what : what.substr(at + 2);
    };
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
        const std::string extras = after_colon();
        if (!command_given && extras.rfind('-', 0) != 0)
            return i18n::tr("cli.error.unknown_command", {i18n::quoted(extras.substr(0, extras.find(' ')))});
        return i18n::tr("cli.error.extras", {extras});
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
        const std::string option = what.substr(0, what.find(':'));
        if (what.find("most") != std::string::npos || what.find("Most") != std::string::npos)
            return i18n::tr("cli.error.given_twice", {option});
        return i18n::tr("cli.error.needs_value", {option});
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) return i18n::tr("cli.error.required", {what});
    if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr || dynamic_cast<const CLI::ValidationError*>(&e) != nullptr)
        return i18n::tr("cli.error.bad_value", {what});
    return i18n::tr("cli.error.other", {what});
}

/// The first default scenario found in the working directory, else in the source tree.
std::string default_scenario() {
    for (const char* candidate : kDefaultScenarios) {
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate;
        const fs::path in_source = fs::path(SUBSIM_SOURCE_DIR) / candidate;
        if (fs::is_regular_file(in_source, ec)) return in_source.string();
    }
    throw UsageError(i18n::tr("cli.error.no_default_scenario", {kDefaultScenarios[0]}));
}

/// ISO 8601 UTC time: SOURCE_DATE_EPOCH if set (reproducible runs), else now.
std::string generated_at() {
    std::time_t seconds = std::time(nullptr);
    std::string_view text = "now";
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr) {
        text = epoch;
        constexpr std::size_t kMaxDigits = 12;  // far beyond year 9999
        if (text.empty() || text.size() > kMaxDigits || text.find_first_not_of("0123456789") != std::string_view::npos)
            throw UsageError(i18n::tr("cli.error.source_date_epoch", {i18n::quoted(text)}));
        seconds = static_cast<std::time_t>(std::stoll(std::string(text)));
    }
    std::tm utc{};
    char buffer[32];
    if (::gmtime_r(&seconds, &utc) == nullptr || std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
        throw UsageError(i18n::tr("cli.error.source_date_epoch", {i18n::quoted(text)}));
    return buffer;
}

/// A folder name made from the scenario id: the loader allows [a-z0-9-] only, checked
/// again here because it becomes a path.
std::string default_out_dir(const Scenario& s) {
    const bool safe = !s.id.empty() && s.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
    if (!safe) throw ScenarioError(s.where, "scenario.id", i18n::tr("cli.error.id_not_folder", {i18n::quoted(s.id)}));
    return std::string(kReportsFolder) + "/" + s.id;
}

/// publish()'s options for --threads (the old folder's files are removed on that many)
/// and the command writing (it replaces only its own kind of report folder).
PublishOptions publish_options(int threads, ReportKind kind) {
    PublishOptions p;
    p.threads = threads;
    p.kind = kind;
    return p;
}

LoadOptions load_options(const Options& o, int threads) {
    if (!o.root.empty()) {
        // A root that is not a folder, or does not hold the scenarios, would only show up
        // as "units.csv leaves the scenario root" further on.
        std::error_code ec;
        if (!fs::is_directory(o.root, ec)) throw UsageError(i18n::tr("cli.error.root_not_folder", {i18n::quoted(o.root)}));
        const fs::path root = fs::weakly_canonical(fs::absolute(o.root), ec);
        const std::vector<std::string> scenarios = o.scenarios.empty() ? std::vector<std::string>{default_scenario()} : o.scenarios;
        for (const std::string& scenario : scenarios) {
            const fs::path path = fs::weakly_canonical(fs::absolute(scenario), ec);
            if (!starts_with_path(path, root))
                throw UsageError(i18n::tr("cli.error.root_not_holding", {i18n::quoted(o.root), i18n::quoted(scenario)}));
        }
    }
    LoadOptions lo;
    lo.root = o.root;
    lo.threads = threads;
    return lo;
}

/// --threads N (1..64), else SUBSIM_THREADS / the number of cores (0).
int thread_count(const Options& o) {
    const auto count = [](const std::string& text) {
        const bool digits = !text.empty() && text.size() <= 3 && text.find_first_not_of("0123456789") == std::string::npos;
        const int n = digits ? std::stoi(text) : 0;
        return n >= 1 && n <= 64 ? n : 0;
    };
    if (o.threads.empty()) {
        // SUBSIM_THREADS is read deep in the engine (default_threads()), which ignores a
        // value it cannot use: said here, like a bad --threads.
        if (const char* env = std::getenv("SUBSIM_THREADS"); env != nullptr && count(env) == 0)
            throw UsageError(i18n::tr("cli.error.threads_env", {i18n::quoted(env)}));
        return 0;
    }
    const int n = count(o.threads);
    if (n == 0) throw UsageError(i18n::tr("cli.error.threads", {i18n::quoted(o.threads)}));
    return n;
}

/// Prints the warnings; with `said`, only those not printed before (a variant inherits its
/// base's warnings, and each is said once), which it then holds too.
void print_warnings(std::ostream& err, const std::vector<Warning>& warnings, Lang lang, std::set<std::string>* said = nullptr) {
    for (const Warning& w : warnings)
        if (said == nullptr || said->insert(w.to_string(Lang::en)).second)
            err << i18n::tr_in(lang, "cli.warning_prefix") << w.to_string(lang) << "\n";
}

/// Every file the scenario read, as paths the output folder may not hold.
std::vector<fs::path> input_paths(const std::string& scenario_path, const Scenario& s, const LoadOptions& lo) {
    std::vector<fs::path> paths{fs::path(scenario_path)};
    // Inputs are recorded relative to the scenario root; the scenario's own folder is
    // always among their parents, so protecting the scenario file's folder covers them
    // only if they live below it. Resolve each one against the root instead.
    fs::path root = lo.root.empty() ? fs::path() : fs::path(lo.root);
    if (root.empty()) {
        for (fs::path p = fs::absolute(scenario_path).parent_path(); !p.empty(); p = p.parent_path()) {
            if (p.filename() == "scenarios") {
                root = p;
                break;
            }
            if (p == p.parent_path()) break;
        }
        if (root.empty()) root = fs::absolute(scenario_path).parent_path();
    }
    for (const InputFile& f : s.inputs) paths.push_back(root / f.path);
    return paths;
}

int run_validate(const Options& o, Lang lang, std::ostream& out, std::ostream& err) {
    if (o.scenarios.empty()) throw UsageError(i18n::tr("cli.error.validate_needs_scenario"));
    const int threads = thread_count(o);
    const Executor executor(threads);
    // Loaded first: two scenarios with one id are refused, as run refuses them.
    std::vector<Scenario> scenarios;
    std::set<std::string> ids;
    for (const std::string& path : o.scenarios) {
        scenarios.push_back(engine::load(path, load_options(o, threads)));
        const Scenario& s = scenarios.back();
        if (!ids.insert(s.id).second)
            throw ScenarioError(s.id_where, "scenario.id", i18n::tr("cli.error.same_id", {i18n::quoted(s.id)}));
    }
    std::set<std::string> said;
    for (const Scenario& s : scenarios) {
        print_warnings(err, engine::validate(s, executor), lang, &said);
        out << i18n::tr_in(lang, "cli.validate.ok",
                           {s.id, static_cast<long>(s.units().size()), static_cast<long>(s.groups().size()),
                            static_cast<long>(s.rules.size())})
            << "\n";
    }
    return kExitSuccess;
}

void publish_run(const CompiledScenario& compiled, const Executor& executor, const std::vector<Warning>& warnings,
                 const std::string& out_dir, const ReportOptions& report_options, Lang lang, std::ostream& out);

/// Where a scenario's reports go: --out for one scenario, --out/<id> for several, else
/// reports/<id>.
std::string out_dir_for(const Options& o, const Scenario& s, bool several) {
    if (o.out.empty()) return default_out_dir(s);
    return several ? (fs::path(o.out) / s.id).string() : o.out;
}

int run_simulation(const Options& o, Lang lang, std::ostream& out, std::ostream& err) {
    const int threads = thread_count(o);
    const bool several = o.scenarios.size() > 1;
    if (!o.out.empty() && !several) {
        // Reports a killed run left aside come back before anything else can fail.
        (void)recover_output_folder(o.out);
        check_output_folder(o.out, {}, ReportKind::run);
    }
    ReportOptions report_options{lang, SUBSIM_VERSION, generated_at()};
    report_options.threads = threads;
    if (!o.as_of.empty()) {
        report_options.as_of = Date::parse(o.as_of);
        if (!report_options.as_of || report_options.as_of->year < 1900 || report_options.as_of->year > 2200)
            throw UsageError(i18n::tr("cli.error.as_of", {i18n::quoted(o.as_of)}));
    }
    if (!o.money_unit.empty()) {
        const auto unit = parse_money_unit(o.money_unit);
        if (!unit) throw UsageError(i18n::tr("cli.error.money_unit", {i18n::quoted(o.money_unit)}));
        report_options.money_unit = *unit;
    }

    const std::vector<std::string> paths = o.scenarios.empty() ? std::vector<std::string>{default_scenario()} : o.scenarios;
    const LoadOptions lo = load_options(o, threads);
    const Executor executor(threads);
    // Loaded together: a base shared by several variants is read once.
    const std::vector<Scenario> scenarios = load_scenarios(paths, lo);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        if (!ids.insert(scenarios[i].id).second)
            throw ScenarioError(scenarios[i].id_where, "scenario.id", i18n::tr("cli.error.same_id", {i18n::quoted(scenarios[i].id)}));
        const std::string out_dir = out_dir_for(o, scenarios[i], several);
        (void)recover_output_folder(out_dir);
        check_output_folder(out_dir, input_paths(paths[i], scenarios[i], lo), ReportKind::run);
    }
    // The divisions to report on (--by, else the scenario's `reports: {by: ...}`), checked
    // before anything is costed or written.
    std::vector<ReportOptions> options_of;
    for (const Scenario& s : scenarios) {
        ReportOptions per = report_options;
        if (o.report_by.empty()) per.by = scenario_divisions(s);
        for (const std::string& text : o.report_by) {
            auto division = resolve_division(s, text);
            if (const Text* problem = std::get_if<Text>(&division)) throw UsageError(*problem);
            if (auto twice = repeated_division(per.by, std::get<DivisionSpec>(division))) throw UsageError(*twice);
            per.by.push_back(std::get<DivisionSpec>(std::move(division)));
        }
        options_of.push_back(std::move(per));
    }
    // The exact run is streamed into the reports one year at a time (memory holds a
    // year's budget lines, not the whole run's), into a hidden folder that a refusal
    // discards. One scenario: each year's figures are checked before they are written
    // (publish_run). Several: every scenario is costed (a totals run) and checked before
    // any report is written, so that a refused one leaves every folder as it was.
    std::vector<std::unique_ptr<CompiledScenario>> compiled;
    std::vector<std::vector<Warning>> warnings(scenarios.size());
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        compiled.push_back(std::make_unique<CompiledScenario>(engine::compile(scenarios[i], executor, warnings[i])));
        print_warnings(err, warnings[i], lang);
        if (several) engine::check_run(*compiled.back(), executor);
        else engine::check_uncertainty_entries(*compiled.back(), executor);
    }
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        publish_run(*compiled[i], executor, warnings[i], out_dir_for(o, scenarios[i], several), options_of[i], lang, out);
    return kExitSuccess;
}

void publish_run(const CompiledScenario& compiled, const Executor& executor, const std::vector<Warning>& warnings,
                 const std::string& out_dir, const ReportOptions& report_options, Lang lang, std::ostream& out) {
    try {
        publish(out_dir, [&](const fs::path& dir) {
            ReportWriter writer(dir, compiled.scenario(), report_options);
            const int last = compiled.scenario().last_year;
            int year = compiled.scenario().first_year;
            bool finished = false;
            run_exact_by_year(compiled, executor, [&](const Results& part) {
                engine::check_figures(compiled, part.coverage);  // a refusal discards the folder
                if (year == last) {
                    writer.finish_with(part, year, warnings);
                    finished = true;
                } else {
                    writer.add_year(part, year);
                }
                ++year;
            });
            if (!finished) writer.finish(warnings);
        }, publish_options(report_options.threads, ReportKind::run));
    } catch (const fs::filesystem_error& e) {
        Text detail = i18n::system_error(e.code());
        throw OutputError(i18n::tr("cli.error.cannot_write", {i18n::quoted(out_dir), detail}));
    }
    out << i18n::tr_in(lang, "cli.run.written", {out_dir}) << "\n";
}

/// A whole number from the command line, within [min, max] (usage error otherwise).
std::uint64_t count_option(const std::string& text, const char* option, std::uint64_t min, std::uint64_t max) {
    const bool digits = !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
    const std::uint64_t n = digits ? std::stoull(text) : 0;
    if (!digits || n < min || n > max)
        throw UsageError(i18n::tr("cli.error.count", {option, i18n::quoted(text), static_cast<long long>(min), i18n::grouped(static_cast<std::int64_t>(max))}));
    return n;
}

/// A progress bar with an ETA on stderr, when stderr is a terminal.
class ProgressBar {
public:
    explicit ProgressBar(std::ostream& err) : err_(err), enabled_(::isatty(2) != 0), start_(std::chrono::steady_clock::now()) {}
    void operator()(std::uint64_t done, std::uint64_t total) {
        if (!enabled_ || total == 0) return;
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        const double fraction = static_cast<double>(done) / static_cast<double>(total);
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(fraction * kWidth);
        err_ << "\r[" << std::string(static_cast<std::size_t>(filled), '#') << std::string(static_cast<std::size_t>(kWidth - filled), ' ')
             << "] " << static_cast<int>(fraction * 100) << "%  ETA " << static_cast<int>(eta + 0.5) << " s   " << std::flush;
        if (done >= total) err_ << "\n";
    }

private:
    std::ostream& err_;
    bool enabled_;
    std::chrono::steady_clock::time_point start_, last_{};
};

int run_sensitivity_command(const Options& o, Lang lang, std::ostream& out, std::ostream& err) {
    if (o.scenarios.empty()) throw UsageError(i18n::tr("cli.error.sensitivity_needs_scenario"));
    const int threads = thread_count(o);
    SensitivityOptions so;
    so.draws = count_option(o.draws, "--draws", 1, o.force ? std::numeric_limits<std::uint32_t>::max() : kMaxDraws);
    so.seed = count_option(o.seed, "--seed", 0, std::numeric_limits<std::int64_t>::max());
    so.sobol_rows = count_option(o.sobol, "--sobol", 0, o.force ? (1u << 24) : (1u << 16));
    so.sobol_outputs = o.sobol_outputs;
    if (so.sobol_rows == 1) throw UsageError(i18n::tr("cli.error.sobol_rows"));
    so.keep_draws = o.keep_draws;
    ProgressBar bar(err);
    so.progress = [&](std::uint64_t done, std::uint64_t total) { bar(done, total); };
    if (!o.out.empty()) {
        (void)recover_output_folder(o.out);
        check_output_folder(o.out, {}, ReportKind::sensitivity);
    }
    ReportOptions report_options{lang, SUBSIM_VERSION, generated_at()};
    report_options.threads = threads;
    const LoadOptions lo = load_options(o, threads);
    const Executor executor(threads);
    std::vector<Scenario> loaded = load_scenarios(o.scenarios, lo);
    if (!o.uncertainty.empty()) load_uncertainty_file(loaded.front(), o.uncertainty, lo);
    if (loaded.front().uncertainty.empty())
        throw ScenarioError(loaded.front().where, "uncertainty", i18n::tr("cli.error.no_uncertainty", {loaded.front().id}));
    // The variants are compared with the first scenario on the same futures: as compare
    // requires, distinct ids, the same years and the same units.
    std::vector<const Scenario*> variants;
    for (std::size_t i = 1; i < loaded.size(); ++i) variants.push_back(&loaded[i]);
    std::vector<Warning> comparable_warnings;
    (void)check_comparable(loaded.front(), variants, CompareOptions{}, comparable_warnings);
    const std::string out_dir = o.out.empty() ? std::string(kReportsFolder) + "/" + loaded.front().id + "-sensitivity" : o.out;
    std::vector<fs::path> inputs;
    for (std::size_t i = 0; i < loaded.size(); ++i) {
        const auto p = input_paths(o.scenarios[i], loaded[i], lo);
        inputs.insert(inputs.end(), p.begin(), p.end());
    }
    if (!o.uncertainty.empty()) inputs.emplace_back(o.uncertainty);
    (void)recover_output_folder(out_dir);
    check_output_folder(out_dir, inputs, ReportKind::sensitivity);
    std::set<std::string> said;
    for (const Scenario& s : loaded) print_warnings(err, engine::validate(s, executor), lang, &said);
    const SensitivityResult result = run_sensitivity(loaded, executor, so);
    print_warnings(err, result.warnings, lang);
    try {
        publish(out_dir, [&](const fs::path& dir) { write_sensitivity_reports(dir, result, loaded.front(), report_options); },
                publish_options(threads, ReportKind::sensitivity));
    } catch (const fs::filesystem_error& e) {
        throw OutputError(i18n::tr("cli.error.cannot_write", {i18n::quoted(out_dir), i18n::system_error(e.code())}));
    }
    out << i18n::tr_in(lang, "cli.run.written", {out_dir}) << "\n";
    return kExitSuccess;
}

/// A year from the command line.
int year_option(const std::string& text, const char* option) {
    return static_cast<int>(count_option(text, option, 1900, 2200));
}

int run_solve(const Options& o, Lang lang, std::ostream& out, std::ostream& err) {
    if (o.scenarios.size() != 1) throw UsageError(i18n::tr("cli.error.solve_one_scenario"));
    // --vary RULE.share
    const std::string suffix = ".share";
    if (o.vary.empty()) throw UsageError(i18n::tr("cli.error.solve_needs_vary"));
    if (o.vary.size() <= suffix.size() || o.vary.compare(o.vary.size() - suffix.size(), suffix.size(), suffix) != 0)
        throw UsageError(i18n::tr("cli.error.solve_vary_form", {i18n::quoted(o.vary)}));
    SolveRequest request;
    request.rule = o.vary.substr(0, o.vary.size() - suffix.size());
    const bool coverage = !o.target.empty(), budget = !o.budget.empty();
    if (coverage == budget) throw UsageError(i18n::tr("cli.error.solve_one_goal"));
    if (coverage) {
        const std::string prefix = "coverage>=";
        if (o.target.rfind(prefix, 0) != 0) throw UsageError(i18n::tr("cli.error.solve_target_form", {i18n::quoted(o.target)}));
        const std::string value = o.target.substr(prefix.size());
        const auto target = value.empty() || value.back() != '%' ? std::nullopt : Decimal::parse(value);
        if (!target) throw UsageError(i18n::tr("cli.error.solve_target_form", {i18n::quoted(o.target)}));
        if (o.by.empty()) throw UsageError(i18n::tr("cli.error.solve_needs", {"--by"}));
        if (!o.payer.empty() || !o.year.empty()) throw UsageError(i18n::tr("cli.error.solve_one_goal"));
        request.kind = SolveRequest::Kind::coverage;
        request.target = *target;
        request.year = year_option(o.by, "--by");
        request.unit = o.unit;
    } else {
        if (o.payer.empty()) throw UsageError(i18n::tr("cli.error.solve_needs", {"--payer"}));
        if (o.year.empty()) throw UsageError(i18n::tr("cli.error.solve_needs", {"--year"}));
        if (!o.by.empty() || !o.unit.empty()) throw UsageError(i18n::tr("cli.error.solve_one_goal"));
        request.kind = SolveRequest::Kind::budget;
        request.budget = static_cast<Dong>(count_option(o.budget, "--budget", 0, static_cast<std::uint64_t>(std::numeric_limits<Dong>::max())));
        request.payer = o.payer;
        request.year = year_option(o.year, "--year");
    }
    const int threads = thread_count(o);
    if (!o.out.empty()) {
        (void)recover_output_folder(o.out);
        check_output_folder(o.out, {}, ReportKind::solve);
    }
    const LoadOptions lo = load_options(o, threads);
    const Executor executor(threads);
    const Scenario s = engine::load(o.scenarios.front(), lo);
    const std::string out_dir = o.out.empty() ? std::string(kReportsFolder) + "/" + s.id + "-solve" : o.out;
    (void)recover_output_folder(out_dir);
    check_output_folder(out_dir, input_paths(o.scenarios.front(), s, lo), ReportKind::solve);
    print_warnings(err, engine::validate(s, executor), lang);
    const SolveResult result = solve(s, request, executor);
    // The path taken, one line per share tried.
    for (const SolveStep& step : result.path)
        out << i18n::tr_in(lang, "cli.solve.step", {i18n::percent(Decimal{step.hundredths, 4}, 2), i18n::money(step.cost),
                                                    i18n::percent(step.coverage, 2), step.meets ? i18n::tr("cli.solve.meets") : i18n::tr("cli.solve.misses")})
            << "\n";
    const fs::path extends = fs::relative(fs::absolute(o.scenarios.front()), fs::absolute(out_dir));
    try {
        publish(out_dir, [&](const fs::path& dir) { write_solve_report(dir, s, result, extends.generic_string(), SUBSIM_VERSION, generated_at()); },
                publish_options(threads, ReportKind::solve));
    } catch (const fs::filesystem_error& e) {
        throw OutputError(i18n::tr("cli.error.cannot_write", {i18n::quoted(out_dir), i18n::system_error(e.code())}));
    }
    out << result.message.in(lang) << "\n";
    out << i18n::tr_in(lang, "cli.run.written", {out_dir}) << "\n";
    if (result.found) out << request.rule << ".share = " << share_text(result.hundredths) << "\n";
    else out << request.rule << ".share = " << i18n::tr_in(lang, "cli.solve.none") << "\n";
    return kExitSuccess;
}

int run_compare(const Options& o, Lang lang, std::ostream& out, std::ostream& err) {
    if (o.scenarios.size() < 2) throw UsageError(i18n::tr("cli.error.compare_needs_two"));
    const int threads = thread_count(o);
    if (!o.out.empty()) {
        (void)recover_output_folder(o.out);
        check_output_folder(o.out, {}, ReportKind::compare);
    }
    ReportOptions report_options{lang, SUBSIM_VERSION, generated_at()};
    report_options.threads = threads;
    const LoadOptions lo = load_options(o, threads);
    const Executor executor(threads);
    const std::vector<Scenario> loaded = load_scenarios(o.scenarios, lo);
    std::vector<std::shared_ptr<const Scenario>> variants;
    for (std::size_t i = 1; i < loaded.size(); ++i) variants.push_back(std::make_shared<const Scenario>(loaded[i]));
    const auto base = std::make_shared<const Scenario>(loaded.front());
    const std::string out_dir = o.out.empty() ? std::string(kReportsFolder) + "/compare-" + base->id : o.out;
    std::vector<fs::path> inputs;
    for (std::size_t i = 0; i < loaded.size(); ++i) {
        const auto p = input_paths(o.scenarios[i], loaded[i], lo);
        inputs.insert(inputs.end(), p.begin(), p.end());
    }
    (void)recover_output_folder(out_dir);
    check_output_folder(out_dir, inputs, ReportKind::compare);
    const Comparison c = compare(base, variants, executor, CompareOptions{o.allow_unit_changes});
    std::vector<Warning> warnings = c.base.warnings;
    for (const ScenarioRun& v : c.variants) warnings.insert(warnings.end(), v.warnings.begin(), v.warnings.end());
    warnings.insert(warnings.end(), c.warnings.begin(), c.warnings.end());
    std::set<std::string> said;
    print_warnings(err, warnings, lang, &said);
    try {
        publish(out_dir, [&](const fs::path& dir) { write_compare_reports(dir, c, report_options); }, publish_options(threads, ReportKind::compare));
    } catch (const fs::filesystem_error& e) {
        throw OutputError(i18n::tr("cli.error.cannot_write", {i18n::quoted(out_dir), i18n::system_error(e.code())}));
    }
    out << i18n::tr_in(lang, "cli.run.written", {out_dir}) << "\n";
    return kExitSuccess;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    const Lang lang = language_of(argc, argv);
    const auto say_error = [&](const Text& message) {
        err << i18n::tr_in(lang, "cli.error_prefix") << message.in(lang) << "\n";
    };
    try {
        Options o;
        CLI::App app;
        app.name("subsim");
        build_app(app, o, lang);
        try {
            std::vector<std::string> args;
            for (int i = argc - 1; i >= 1; --i) args.emplace_back(argv[i] != nullptr ? argv[i] : "");
            app.parse(args);  // CLI11 takes the arguments in reverse order
        } catch (const CLI::CallForHelp&) {
            const auto parsed = app.get_subcommands();
            out << (parsed.empty() ? app.help() : parsed.front()->help("subsim"));
            return kExitSuccess;
        } catch (const CLI::ParseError& e) {
            throw UsageError(parse_error_text(e, !app.get_subcommands().empty()));
        }
        if (o.lang != "vi" && o.lang != "en") throw UsageError(i18n::tr("cli.error.lang", {i18n::quoted(o.lang)}));
        // An empty folder or file name would silently mean the default.
        for (const CLI::App* sub : app.get_subcommands())
            for (const char* name : {"--out", "--root", "--uncertainty", "--as-of", "--money-unit", "--threads"})
                if (const CLI::Option* opt = sub->get_option_no_throw(name); opt != nullptr && opt->count() > 0)
                    for (const std::string& value : opt->results())
                        if (value.empty()) throw UsageError(i18n::tr("cli.error.empty_value", {name}));
        if (app.count("--version") > 0) {
            out << "subsim " << SUBSIM_VERSION << "\n";
            return kExitSuccess;
        }
        const auto parsed = app.get_subcommands();
        if (parsed.empty()) throw UsageError(i18n::tr("cli.error.no_command"));
        const std::string command = parsed.front()->get_name();
        if (command == "validate") return run_validate(o, lang, out, err);
        if (command == "compare") return run_compare(o, lang, out, err);
        if (command == "sensitivity") return run_sensitivity_command(o, lang, out, err);
        if (command == "solve") return run_solve(o, lang, out, err);
        return run_simulation(o, lang, out, err);
    } catch (const UsageError& e) {
        say_error(e.text);
        err << i18n::tr_in(lang, "cli.see_help") << "\n";
        return kExitInvalidInput;
    } catch (const ScenarioError& e) {
        err << i18n::tr_in(lang, "cli.error_prefix") << e.to_string(lang) << "\n";
        return kExitInvalidInput;
    } catch (const OutputError& e) {
        say_error(e.text);
        return kExitInternalError;
    } catch (const std::bad_alloc&) {
        say_error(i18n::tr("cli.error.out_of_memory"));
        return kExitInternalError;
    } catch (const std::exception& e) {
        say_error(i18n::tr("cli.error.internal", {e.what()}));
        return kExitInternalError;
    } catch (...) {
        say_error(i18n::tr("cli.error.internal", {"?"}));
        return kExitInternalError;
    }
}

}  // namespace subsim
