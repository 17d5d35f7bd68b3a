#pragma once
/// Private: what every report.html shares (run, compare, sensitivity): the style sheet
/// (inline, prints on A4, reads on a phone), numbers as <data value="CSV text">, small
/// SVG bars and coordinates. No script, font or anything fetched.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim::report_detail::html {

inline constexpr double kCharWidth = 7.0;  ///< a chart label character at 11px, with some room

/// Colours by payer level (central, province, commune), then for further payers.
inline constexpr const char* kLevelColours[] = {"#1f4e79", "#2e75b6", "#9dc3e6"};
inline constexpr const char* kExtraColours[] = {"#c55a11", "#70ad47", "#7030a0", "#bf9000"};

inline constexpr std::string_view kStyle = R"css(
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d7de;--head:#eef4fa;--assumed:#fff2cc;--warn:#c00000}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans","Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);line-height:1.45;font-size:16px;background:#fff}
main{max-width:1080px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}
h2{font-size:1.15rem;margin:1.6rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid var(--line)}
.meta{color:var(--muted);margin:.2rem 0}
.warning{border-left:4px solid var(--warn);background:#fdecea;padding:.5rem .8rem;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:10px}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;break-inside:avoid}
.card .label{color:var(--muted);font-size:.9rem}
.card .value{font-size:clamp(1rem,2.2vw,1.3rem);font-weight:700}
.card .value small{font-weight:400;white-space:normal}
.card.total{background:var(--head)}
figure{margin:0 0 .8rem}
svg.chart{width:100%;height:auto;max-height:340px;display:block}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.9rem;margin:.4rem 0}
.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em;border-radius:2px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.3rem .45rem;vertical-align:top}
th{background:var(--head);text-align:left}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:700;background:#f6f6f6}
tr.assumed td{background:var(--assumed)}
td.bar,th.bar{width:22%;min-width:90px}
th.label,td.label{min-width:13rem}
td.nowrap{white-space:nowrap}
td.bar svg{width:100%;height:14px;display:block}
.below{color:var(--warn);font-weight:600}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:600px){body{font-size:15px}main{padding:10px}h1{font-size:1.25rem}td.bar,th.bar{display:none}}
@page{size:A4;margin:14mm 12mm}
@media print{body{font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}main{max-width:none;padding:0}.scroll{overflow:visible}
table{font-size:7.5pt}th,td{padding:.15rem .25rem}td.bar,th.bar{display:none}th.label,td.label{min-width:9rem}
.cards{grid-template-columns:repeat(3,1fr)}.card .value{font-size:12pt}svg.chart{max-height:230px}
section{break-inside:auto}h2{break-after:avoid}figure,.card,tr{break-inside:avoid}thead{display:table-header-group}
a{color:inherit;text-decoration:none}}
)css";

/// A CSV number inside <data>: machine value and the text shown.
inline std::string data(const std::string& value, const std::string& shown) {
    return "<data value=\"" + html_escape(value) + "\">" + html_escape(shown) + "</data>";
}

inline std::string money_text(Dong v, Lang lang) { return i18n::money(v).in(lang); }

inline std::string money_data(Dong v, Lang lang) { return data(std::to_string(v), money_text(v, lang)); }

/// Characters on screen (UTF-8 code points).
inline std::size_t char_count(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

/// A percentage from hundredths: shown "95,06%", valued as coverage.csv writes it "95.06".
inline std::string percent_data(std::int64_t hundredths, Lang lang) {
    return data(report_detail::fixed_point(hundredths, 2), report_detail::hundredths_text(hundredths, lang) + "%");
}

/// A coordinate with at most two decimals (no locale, no exponent).
inline std::string num(double v) {
    const auto hundredths = static_cast<std::int64_t>(v * 100.0 + (v < 0 ? -0.5 : 0.5));
    return report_detail::fixed_point(hundredths, 2);
}

/// A horizontal bar for a cell: `part` of `whole`.
inline std::string bar_svg(Dong part, Dong whole, const std::string& fill) {
    const double w = whole > 0 ? 100.0 * static_cast<double>(std::max<Dong>(part, 0)) / static_cast<double>(whole) : 0;
    return "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect x=\"0\" y=\"1\" width=\"" +
           num(w) + "\" height=\"8\" fill=\"" + fill + "\"/></svg>";
}

/// The page up to the opening of <main>: language, viewport, title and the style sheet.
inline void page_start(std::string& html, Lang lang, const std::string& title) {
    html += "<!DOCTYPE html>\n<html lang=\"";
    html += lang == Lang::vi ? "vi" : "en";
    html += "\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>" + html_escape(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
}

/// The footer with the program's version and a line naming the CSV files, and the page's end.
inline void page_end(std::string& html, Lang lang, const std::string& version, std::string_view files_key) {
    html += "<footer>\n<p>" + html_escape(i18n::tr_in(lang, "report.html.footer", {version})) + "</p>\n<p>" +
            html_escape(i18n::tr_in(lang, files_key)) + "</p>\n</footer>\n</main>\n</body>\n</html>\n";
}

/// A chart legend entry: a colour swatch and an escaped name.
inline std::string legend_entry(const std::string& colour, const std::string& name) {
    return "<span><span class=\"swatch\" style=\"background:" + colour + "\"></span>" + html_escape(name) + "</span>";
}

/// Room at a chart's left for its value labels (chart units; the charts are 640 wide).
inline constexpr double kAxisGutter = 44;

struct ValueAxis {
    std::string lines;   ///< gridlines, drawn first (under the bars)
    std::string labels;  ///< their values, right-aligned in the gutter
    std::string unit;    ///< what the values count ("tỷ đồng"), for the legend
};

/// Gridlines at round values from `low` to `high` (đồng) across [left, width], their values
/// in the gutter left of `left` (in tỷ đồng; triệu or đồng when the range is small), so a
/// bar or a band can be read off the chart without its table. `y_of` maps đồng to y.
template <class YOf>
ValueAxis value_axis(double low, double high, YOf y_of, double left, double width, Lang lang) {
    ValueAxis axis;
    const double span = high - low;
    if (!(span > 0) || !std::isfinite(span)) return axis;
    double step = std::pow(10.0, std::floor(std::log10(span / 4)));  // then 1, 2 or 5 × that: 3 to 6 lines
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (span / (step * m) <= 5.0) {
            step *= m;
            break;
        }
    const double unit = step >= 1e9 ? 1e9 : step >= 1e6 ? 1e6 : 1.0;
    axis.unit = i18n::tr_in(lang, unit == 1e9 ? "report.unit.billion" : unit == 1e6 ? "report.unit.million" : "report.unit.dong");
    for (double v = std::ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
        const double y = y_of(v);
        axis.lines += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(width) + "\" y2=\"" + num(y) +
                      "\" stroke=\"#e3e3e3\" stroke-width=\"1\"/>\n";
        axis.labels += "<text x=\"" + num(left - 4) + "\" y=\"" + num(y + 3.5) +
                       "\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">" +
                       html_escape(report_detail::grouped_text(std::llround(v / unit), lang)) + "</text>\n";
    }
    return axis;
}

/// The legend entry naming an axis's unit ("Trục dọc: tỷ đồng").
inline std::string axis_legend(const ValueAxis& axis, Lang lang) {
    if (axis.unit.empty()) return {};
    return "<span>" + html_escape(i18n::tr_in(lang, "report.html.axis_unit", {axis.unit})) + "</span>";
}

}  // namespace subsim::report_detail::html
