/// Writing the report folder and putting it in place atomically.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>  // renameat2, RENAME_EXCHANGE (glibc ≥ 2.28, _GNU_SOURCE)
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "report_format.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

namespace fs = std::filesystem;

// ---- write_reports ----------------------------------------------------------------

namespace {

/// Report files are written on at most this many threads. The product runs on two
/// cores, and budget_lines.csv alone is about 40% of the work, so more threads would
/// gain little.
constexpr unsigned kMaxWriterThreads = 2;

/// One report file and what writes it.
struct ReportFile {
    const char* name;
    std::function<void(std::ostream&)> write;
};

/// Asks the kernel to start writing the file to disk now, without waiting for it.
/// publish() fsyncs every file before the swap; started early, that writeback overlaps
/// with writing the other reports instead of coming all at the end (the national run's
/// files total about 110 MB). Only a hint: failures are ignored.
void start_writeback(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    ::close(fd);
}

template <class Write>
void write_file(const fs::path& path, Write write) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot create " + path.string());
    write(out);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
    start_writeback(path);
}

unsigned writer_threads(std::size_t files) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>({kMaxWriterThreads, cores, files}));
}

/// Writes `files` into `dir` on a few threads, each taking the next file not yet
/// taken. Every file is written whole by one thread from the same (read-only) results,
/// so the folder is byte-identical whatever the thread count or timing. After a
/// failure no new file is started; the first failure in list order is rethrown.
void write_files(const fs::path& dir, const std::vector<ReportFile>& files) {
    std::vector<std::exception_ptr> errors(files.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    const auto work = [&] {
        for (std::size_t i = next++; i < files.size() && !failed; i = next++) {
            try {
                write_file(dir / files[i].name, files[i].write);
            } catch (...) {
                errors[i] = std::current_exception();
                failed = true;
            }
        }
    };
    {
        std::vector<std::jthread> helpers;  // joined when this block ends
        try {
            for (unsigned t = 1; t < writer_threads(files.size()); ++t) helpers.emplace_back(work);
        } catch (const std::system_error&) {
            // No more threads to be had: the ones we have (at least this one) do the work.
        }
        work();
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace

void write_reports(const fs::path& dir, const Results& r, const ReportOptions& o) {
    if (r.scenario == nullptr) throw std::invalid_argument("results carry no scenario");
    const std::vector<YearPayerTotal> totals = totals_by_year_payer(r);  // shown by three reports
    // Roughly the most work first, so that both threads finish at about the same time.
    const std::vector<ReportFile> files = {
        {"budget_lines.csv", [&](std::ostream& out) { write_budget_lines_csv(out, r); }},
        {"budget_by_quarter.csv", [&](std::ostream& out) { write_budget_by_quarter_csv(out, r); }},
        {"cohort_costs.csv", [&](std::ostream& out) { write_cohort_costs_csv(out, r); }},
        {"commune_bills.csv", [&](std::ostream& out) { write_commune_bills_csv(out, r); }},
        {"budget_by_unit.csv", [&](std::ostream& out) { write_budget_by_unit_csv(out, r); }},
        {"coverage.csv", [&](std::ostream& out) { write_coverage_csv(out, r); }},
        {"budget_by_year_payer.csv",
         [&](std::ostream& out) { report_detail::write_budget_by_year_payer_csv(out, r, totals); }},
        {"overlaps.csv", [&](std::ostream& out) { write_overlaps_csv(out, r); }},
        {"provenance.csv", [&](std::ostream& out) { write_provenance_csv(out, *r.scenario); }},
        {"run.json", [&](std::ostream& out) { report_detail::write_run_json(out, r, o, totals); }},
        {"summary.md", [&](std::ostream& out) { report_detail::write_summary_md(out, r, o, totals); }},
    };
    write_files(dir, files);
}

// ---- publish ----------------------------------------------------------------------

namespace {

constexpr std::string_view kTempMarker = ".tmp-";
constexpr std::string_view kOldMarker = ".old-";

std::atomic<unsigned> publish_counter{0};

[[noreturn]] void throw_errno(const std::string& what, const fs::path& path) {
    throw fs::filesystem_error(what, path, std::error_code(errno, std::generic_category()));
}

/// fsync a file or folder so its content survives a crash before the rename.
void sync_path(const fs::path& path, bool directory) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
    if (fd < 0) throw_errno("cannot open for fsync", path);
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    // Some file systems cannot fsync folders; that is not an error worth failing for.
    if (rc != 0 && !(directory && (saved == EINVAL || saved == EROFS))) {
        errno = saved;
        throw_errno("fsync failed", path);
    }
}

void sync_tree(const fs::path& dir) {
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_symlink()) continue;
        if (e.is_regular_file()) sync_path(e.path(), false);
        else if (e.is_directory()) sync_path(e.path(), true);
    }
    sync_path(dir, true);
}

/// The pid in ".<name>.tmp-<pid>-<counter>", if the text after the marker starts with one.
std::optional<long> pid_of(std::string_view suffix) {
    long pid = 0;
    std::size_t i = 0;
    for (; i < suffix.size() && suffix[i] >= '0' && suffix[i] <= '9' && i < 10; ++i) pid = pid * 10 + (suffix[i] - '0');
    if (i == 0 || pid <= 0) return std::nullopt;
    return pid;
}

bool process_alive(long pid) {
    if (pid > std::numeric_limits<pid_t>::max()) return false;  // no such process (and kill(-n) means a group)
    if (pid == static_cast<long>(::getpid())) return false;  // ours: left by an earlier failed call
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// Removes `.<name>.tmp-*` and `.<name>.old-*` left by killed runs (a folder of a
/// process still running is left alone: it may be publishing right now).
void remove_stale_siblings(const fs::path& parent, const std::string& name) {
    std::error_code ec;
    fs::directory_iterator it(parent, ec);
    if (ec) return;
    for (const fs::directory_entry& e : it) {
        const std::string entry = e.path().filename().string();
        for (std::string_view marker : {kTempMarker, kOldMarker}) {
            const std::string prefix = "." + name + std::string(marker);
            if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
            const std::optional<long> pid = pid_of(std::string_view(entry).substr(prefix.size()));
            if (pid && process_alive(*pid)) continue;
            std::error_code ignored;
            fs::remove_all(e.path(), ignored);
        }
    }
}

fs::path sibling_name(const fs::path& parent, const std::string& name, std::string_view marker) {
    return parent / ("." + name + std::string(marker) + std::to_string(::getpid()) + "-" +
                     std::to_string(publish_counter.fetch_add(1)));
}

/// A fresh hidden folder beside the target: `.<name><marker><pid>-<counter>`.
fs::path create_sibling(const fs::path& parent, const std::string& name, std::string_view marker) {
    constexpr int kAttempts = 1000;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const fs::path candidate = sibling_name(parent, name, marker);
        if (fs::create_directory(candidate)) return candidate;
    }
    throw std::runtime_error("cannot create a temporary folder beside " + (parent / name).string());
}

/// Puts `fresh` at `target`, which exists: exchanged atomically, or (where the file
/// system cannot exchange) the old folder is moved aside first. Afterwards `fresh`
/// names whatever is to be removed.
fs::path swap_into_place(const fs::path& fresh, const fs::path& target, const fs::path& parent,
                         const std::string& name) {
    if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) return fresh;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) throw_errno("cannot replace", target);
    const fs::path aside = sibling_name(parent, name, kOldMarker);
    fs::rename(target, aside);
    std::error_code ec;
    fs::rename(fresh, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::rename(aside, target, ignored);  // put the old folder back
        throw fs::filesystem_error("cannot replace", target, ec);
    }
    return aside;
}

/// Splits `out_dir` into its parent folder and its own name; refuses "", "." and ".."
/// as the last component (a trailing slash is allowed).
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

}  // namespace

void publish(const fs::path& out_dir, const std::function<void(const fs::path&)>& write) {
    const auto [parent, name] = split_target(out_dir);
    const fs::path target = parent / name;
    const fs::file_status existing = fs::symlink_status(target);
    if (fs::exists(existing) && !fs::is_directory(existing) && !fs::is_symlink(existing))
        throw fs::filesystem_error("not a folder", target, std::make_error_code(std::errc::not_a_directory));
    fs::create_directories(parent);
    remove_stale_siblings(parent, name);

    const fs::path temp = create_sibling(parent, name, kTempMarker);
    fs::path to_remove = temp;
    try {
        write(temp);
        sync_tree(temp);
        if (fs::exists(fs::symlink_status(target))) {
            to_remove = swap_into_place(temp, target, parent, name);
        } else {
            fs::rename(temp, target);
            to_remove.clear();
        }
    } catch (...) {
        if (!to_remove.empty()) {
            std::error_code ignored;
            fs::remove_all(to_remove, ignored);
        }
        throw;
    }
    // Committed: from here on nothing may fail the call.
    try {
        sync_path(parent, true);
    } catch (const std::exception&) {
        // The new folder is in place; only its durability across a power cut is unsure.
    }
    if (!to_remove.empty()) {
        std::error_code ignored;
        fs::remove_all(to_remove, ignored);  // the old reports; a leftover is cleaned next time
    }
}

}  // namespace subsim
