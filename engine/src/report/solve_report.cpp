#include "subsim/report/solve_report.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

#include "subsim/report/output_folder.hpp"

namespace subsim {

namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) throw fs::filesystem_error("cannot write", path, std::make_error_code(std::errc::io_error));
}

nlohmann::ordered_json step_json(const SolveStep& s) {
    nlohmann::ordered_json j;
    j["share"] = share_text(s.hundredths);
    j["cost_vnd"] = s.cost;
    j["coverage_pct"] = s.coverage.to_percent_fixed(2);
    j["meets"] = s.meets;
    return j;
}

}  // namespace

void write_solve_report(const fs::path& dir, const Scenario& s, const SolveResult& r, const std::string& extends_path,
                        const std::string& program_version, const std::string& generated_at) {
    nlohmann::ordered_json j;
    j["scenario_id"] = s.id;
    j["rule"] = r.request.rule;
    if (r.request.kind == SolveRequest::Kind::coverage) {
        j["goal"] = {{"kind", "coverage"}, {"target_pct", r.request.target.to_percent_fixed(2)}, {"by", r.request.year},
                     {"unit", r.request.unit.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.request.unit)}};
    } else {
        j["goal"] = {{"kind", "budget"}, {"budget_vnd", r.request.budget}, {"payer", r.request.payer}, {"year", r.request.year}};
    }
    j["found"] = r.found;
    j["share"] = r.found ? nlohmann::ordered_json(share_text(r.hundredths)) : nlohmann::ordered_json(nullptr);
    j["largest_share_possible"] = share_text(r.max_hundredths);
    j["at_share"] = step_json(r.at_answer);
    j["beyond"] = r.beyond ? step_json(*r.beyond) : nlohmann::ordered_json(nullptr);
    j["message"] = {{"vi", r.message.vi}, {"en", r.message.en}};
    nlohmann::ordered_json path = nlohmann::ordered_json::array();
    for (const SolveStep& step : r.path) path.push_back(step_json(step));
    j["path"] = path;
    j["program_version"] = program_version;
    j["generated_at"] = generated_at;
    write_text(dir / "solve.json", j.dump(2) + "\n");
    std::vector<std::string> files = {"run.json", "solve.json"};
    if (r.found) {
        write_text(dir / "variant.yaml", solve_variant_yaml(s, r, extends_path));
        files.push_back("variant.yaml");
    }
    nlohmann::ordered_json run;
    run["manifest"] = {{"program", std::string(kProgramName)}, {"files", files}};
    run["kind"] = std::string(report_kind_name(ReportKind::solve));
    run["scenario_id"] = s.id;
    run["program_version"] = program_version;
    run["generated_at"] = generated_at;
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const InputFile& f : s.inputs) inputs.push_back({{"path", f.path}, {"sha256", f.sha256}});
    run["inputs"] = inputs;
    write_text(dir / "run.json", run.dump(2) + "\n");
}

}  // namespace subsim
