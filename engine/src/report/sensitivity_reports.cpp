// Reports of a sensitivity study (see sensitivity_reports.hpp). Costs are shown in whole
// đồng (rounded half away from zero), indices to four decimals.
#include "subsim/report/sensitivity_reports.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <set>

#include "report_format.hpp"
#include "sensitivity_tables.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/output_folder.hpp"

namespace subsim {

namespace fs = std::filesystem;

namespace {

using report_detail::csv_field;

std::string dong(double v) { return fmt::format("{:.0f}", std::round(v)); }
std::string index(double v) { return std::isnan(v) ? std::string() : fmt::format("{:.4f}", v); }

/// "cost:2028:province" → ("2028", "province").
std::pair<std::string, std::string> split_output(const std::string& name) {
    const auto a = name.find(':'), b = name.rfind(':');
    return {name.substr(a + 1, b - a - 1), name.substr(b + 1)};
}

std::string input_name(const UncertaintyEntry& e) { return e.from ? e.target + "@" + e.from->to_string() : e.target; }

void write_file(const fs::path& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream out(path, std::ios::binary);
    write(out);
    out.flush();
    if (!out) throw fs::filesystem_error("cannot write", path, std::make_error_code(std::errc::io_error));
}

void write_summary(std::ostream& out, const SensitivityResult& r, const Scenario& base, const ReportOptions& o) {
    const Lang lang = o.lang;
    const auto t = [lang](std::string_view key, std::initializer_list<i18n::Arg> args = {}) { return i18n::tr_in(lang, key, args); };
    const auto md = [](std::string_view s) { return report_detail::markdown_cell(s); };
    const auto money = [lang](double v) { return format_money(static_cast<Dong>(std::llround(v)), lang); };
    out << "# " << md(t("sensitivity.heading", {base.title.in(lang)})) << "\n\n";
    if (base.illustrative_population) out << "> " << md(t("compare.illustrative")) << "\n\n";
    out << md(t("sensitivity.intro", {i18n::grouped(static_cast<std::int64_t>(r.draws)), std::to_string(r.seed)})) << "\n\n";
    out << "## " << t("sensitivity.ranges") << "\n\n| " << t("compare.year") << " | " << t("compare.payer") << " | "
        << t("sensitivity.baseline") << " | P5 | P50 | P95 |\n|---|---|---:|---:|---:|---:|\n";
    for (std::size_t i = 0; i < r.outputs.size(); ++i) {
        const auto [year, payer] = split_output(r.outputs[i]);
        const int p = base.find_payer(payer);
        const std::string payer_name = p >= 0 ? base.payers[static_cast<std::size_t>(p)].name.in(lang) : t("compare.total");
        const std::string year_name = year == "all" ? t("sensitivity.whole_period") : year;
        out << "| " << year_name << " | " << md(payer_name) << " | " << money(r.baseline[i]) << " | " << money(r.base[i].p5)
            << " | " << money(r.base[i].p50) << " | " << money(r.base[i].p95) << " |\n";
    }
    for (std::size_t v = 0; v < r.difference.size(); ++v) {
        out << "\n## " << md(t("sensitivity.difference_heading", {r.scenario_ids[v + 1]})) << "\n\n| " << t("compare.year")
            << " | " << t("compare.payer") << " | P5 | P50 | P95 |\n|---|---|---:|---:|---:|\n";
        for (std::size_t i = 0; i < r.outputs.size(); ++i) {
            const auto [year, payer] = split_output(r.outputs[i]);
            if (payer != "total") continue;
            out << "| " << (year == "all" ? t("sensitivity.whole_period") : year) << " | " << t("compare.total") << " | "
                << money(r.difference[v][i].p5) << " | " << money(r.difference[v][i].p50) << " | "
                << money(r.difference[v][i].p95) << " |\n";
        }
    }
    // Inputs a variant sets itself, not drawn in it (sensitivity.cpp, keep_variant_values).
    if (!r.warnings.empty()) {
        out << "\n## " << t("summary.warnings_heading") << "\n\n";
        for (const Warning& w : r.warnings) out << "- " << md(w.to_string(lang)) << "\n";
    }
    // What drives the whole period's total most.
    out << "\n## " << t("sensitivity.drivers") << "\n\n| " << t("sensitivity.input") << " | P5 | P95 | "
        << t("sensitivity.swing") << " |\n|---|---:|---:|---:|\n";
    for (const TornadoRow& row : r.tornado)
        if (row.output == "cost:all:total")
            out << "| " << md(input_name(r.inputs[static_cast<std::size_t>(row.input)])) << " | " << money(row.at_low) << " | "
                << money(row.at_high) << " | " << money(row.swing) << " |\n";
    out << "\n## " << t("sensitivity.inputs") << "\n\n| " << t("sensitivity.input") << " | " << t("summary.reference") << " | "
        << t("summary.confidence") << " |\n|---|---|---|\n";
    for (const UncertaintyEntry& e : r.inputs)
        out << "| " << md(input_name(e)) << " | " << md(e.reference) << " | " << md(e.confidence) << " |\n";
    out << "\n" << md(t("sensitivity.files")) << "\n";
}

}  // namespace

namespace report_detail {

namespace {

using Kind = CompareCell::Kind;

CompareCell text(std::string csv, std::string shown = {}) { return CompareCell{Kind::text, std::move(csv), std::move(shown)}; }
CompareCell money(double v) { return CompareCell{Kind::money, dong(v), {}}; }
CompareCell plain(std::string csv) { return CompareCell{Kind::integer, std::move(csv), {}}; }

CompareTable new_table(std::string file, std::vector<std::string> columns) {
    CompareTable t;
    t.file = std::move(file);
    t.columns = std::move(columns);
    return t;
}

void add_summary(std::vector<CompareCell>& cells, const mc::Summary& s) {
    for (double v : {s.mean, s.sd, s.p5, s.p10, s.p50, s.p90, s.p95}) cells.push_back(money(v));
}

/// The year and payer of an output as cells: "all" shown as the whole period, a payer id
/// shown by its name.
void add_output(std::vector<CompareCell>& cells, const std::string& output, const Scenario& base, Lang lang) {
    const auto [year, payer] = split_output(output);
    if (year == "all") cells.push_back(text(year, i18n::tr_in(lang, "office.whole_period")));
    else cells.push_back(plain(year));
    const int p = base.find_payer(payer);
    cells.push_back(text(payer, p >= 0 ? base.payers[static_cast<std::size_t>(p)].name.in(lang) : i18n::tr_in(lang, "compare.total")));
}

}  // namespace

SensitivityTables build_sensitivity_tables(const SensitivityResult& r, const Scenario& base, const ReportOptions& o) {
    SensitivityTables t;
    t.distribution = new_table("cost_distribution.csv", {"year", "payer", "baseline", "mean", "sd", "p5", "p10", "p50", "p90", "p95"});
    for (std::size_t i = 0; i < r.outputs.size(); ++i) {
        CompareRow row;
        add_output(row.cells, r.outputs[i], base, o.lang);
        row.cells.push_back(money(r.baseline[i]));
        add_summary(row.cells, r.base[i]);
        t.distribution.rows.push_back(std::move(row));
    }
    if (!r.difference.empty()) {
        t.difference = new_table("difference_distribution.csv",
                                 {"variant", "year", "payer", "mean", "sd", "p5", "p10", "p50", "p90", "p95"});
        for (std::size_t v = 0; v < r.difference.size(); ++v)
            for (std::size_t i = 0; i < r.outputs.size(); ++i) {
                CompareRow row;
                row.cells.push_back(text(r.scenario_ids[v + 1]));
                add_output(row.cells, r.outputs[i], base, o.lang);
                add_summary(row.cells, r.difference[v][i]);
                t.difference->rows.push_back(std::move(row));
            }
    }
    t.by_unit = new_table("cost_distribution_by_unit.csv", {"unit_code", "unit_name", "mean", "p5", "p50", "p95"});
    for (std::size_t u = 0; u < r.unit_codes.size(); ++u)
        t.by_unit.rows.push_back(CompareRow{{text(r.unit_codes[u]), text(r.unit_names[u]), money(r.unit_total[u].mean),
                                             money(r.unit_total[u].p5), money(r.unit_total[u].p50), money(r.unit_total[u].p95)},
                                            false, {}});
    t.tornado = new_table("tornado.csv", {"output", "rank", "input", "input_p5", "input_p95", "cost_at_p5", "cost_at_p95", "swing"});
    std::string current;
    int rank = 0;
    for (const TornadoRow& row : r.tornado) {
        if (row.output != current) {
            current = row.output;
            rank = 0;
        }
        t.tornado.rows.push_back(CompareRow{{text(row.output), plain(std::to_string(++rank)),
                                             text(input_name(r.inputs[static_cast<std::size_t>(row.input)])),
                                             plain(fmt::format("{}", row.low_value)), plain(fmt::format("{}", row.high_value)),
                                             money(row.at_low), money(row.at_high), money(row.swing)},
                                            false, {}});
    }
    if (r.sobol) {
        t.sobol = new_table("sobol.csv", {"output", "input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "converged"});
        const std::string converged = r.sobol->converged ? "true" : "false";
        for (std::size_t out = 0; out < r.sobol->outputs.size(); ++out)
            for (std::size_t k = 0; k < r.inputs.size(); ++k) {
                const auto& s1 = r.sobol->outputs[out].first_order[k];
                const auto& st = r.sobol->outputs[out].total[k];
                t.sobol->rows.push_back(CompareRow{{text(r.sobol_outputs[out]), text(input_name(r.inputs[k])), plain(index(s1.value)),
                                                    plain(index(s1.low)), plain(index(s1.high)), plain(index(st.value)),
                                                    plain(index(st.low)), plain(index(st.high)),
                                                    text(converged, i18n::tr_in(o.lang, r.sobol->converged ? "office.yes" : "office.no"))},
                                                   false, {}});
            }
    }
    return t;
}

}  // namespace report_detail

void write_sensitivity_reports(const fs::path& dir, const SensitivityResult& r, const Scenario& base, const ReportOptions& o) {
    const report_detail::SensitivityTables tables = report_detail::build_sensitivity_tables(r, base, o);
    // Every file is its own task (the workbook first); run.json after them.
    std::vector<std::function<void()>> tasks{
        [&] { report_detail::write_sensitivity_xlsx(dir / "report.xlsx", r, base, o, tables); },
        [&] { write_file(dir / "report.html", [&](std::ostream& out) { report_detail::write_sensitivity_html(out, r, base, o, tables); }); },
        [&] { write_file(dir / "summary.md", [&](std::ostream& out) { write_summary(out, r, base, o); }); }};
    for (const report_detail::CompareTable* t : {&tables.distribution, tables.difference ? &*tables.difference : nullptr, &tables.by_unit,
                                                 &tables.tornado, tables.sobol ? &*tables.sobol : nullptr})
        if (t != nullptr) tasks.emplace_back([&dir, t] { write_file(dir / t->file, [&](std::ostream& out) { t->write_csv(out); }); });
    if (!r.draw_outputs.empty())
        tasks.emplace_back([&] {
            write_file(dir / "draws.csv", [&](std::ostream& out) {
                out << "draw";
                for (const UncertaintyEntry& e : r.inputs) out << ',' << csv_field(input_name(e));
                for (const std::string& name : r.outputs) out << ',' << name;
                out << '\n';
                const std::size_t k = r.inputs.size(), n = r.outputs.size();
                for (std::uint64_t i = 0; i < r.draws; ++i) {
                    out << i;
                    for (std::size_t j = 0; j < k; ++j) out << ',' << fmt::format("{}", r.draw_inputs[i * k + j]);
                    for (std::size_t j = 0; j < n; ++j) out << ',' << dong(r.draw_outputs[i * n + j]);
                    out << '\n';
                }
            });
        });
    report_detail::run_report_tasks(tasks, o.threads);
    const std::vector<std::string> files = manifest_listing(dir);
    write_file(dir / "run.json", [&](std::ostream& out) {
        using report_detail::json_string;
        out << "{\n  \"manifest\": {\"program\": " << json_string(kProgramName) << ", \"files\": [";
        for (std::size_t i = 0; i < files.size(); ++i) out << (i ? ", " : "") << json_string(files[i]);
        out << "]},\n  \"kind\": " << json_string(report_kind_name(ReportKind::sensitivity)) << ",\n  \"scenarios\": [";
        for (std::size_t i = 0; i < r.scenario_ids.size(); ++i) out << (i ? ", " : "") << json_string(r.scenario_ids[i]);
        out << "],\n  \"draws\": " << r.draws << ",\n  \"seed\": " << r.seed << ",\n  \"sobol_rows\": " << r.sobol_rows
            << ",\n  \"program_version\": " << json_string(o.program_version) << ",\n  \"generated_at\": "
            << json_string(o.generated_at) << ",\n  \"inputs\": [";
        for (std::size_t i = 0; i < base.inputs.size(); ++i)
            out << (i ? ",\n    " : "\n    ") << "{\"path\": " << json_string(base.inputs[i].path)
                << ", \"sha256\": " << json_string(base.inputs[i].sha256) << "}";
        out << "\n  ]\n}\n";
    });
}

}  // namespace subsim
