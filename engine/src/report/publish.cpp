/// Writing the report folder and putting it in place atomically.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdio>  // renameat2, RENAME_EXCHANGE (glibc ≥ 2.28, _GNU_SOURCE)
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "division_reports.hpp"
#include "publish_detail.hpp"
#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/core/threads.hpp"
#include "subsim/report/output_folder.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

namespace fs = std::filesystem;

// ---- write_reports ----------------------------------------------------------------

namespace {

/// Report files are written on at most this many threads (SUBSIM_THREADS, else the
/// number of cores). The product runs on two cores; beyond a few threads the page cache
/// and the disk set the pace.
constexpr unsigned kMaxWriterThreads = 4;

/// budget_lines.csv and cohort_costs.csv are formatted in chunks of this many rows
/// (about 0.5 MB of text), so that every thread can share them.
constexpr std::size_t kRowsPerChunk = 8192;
/// A chunk's first buffer: room for a chunk of the national run without growing.
constexpr std::size_t kChunkBufferBytes = std::size_t{1} << 20;  // 1 MiB

/// Once this many bytes of a chunked file are written, the kernel is asked to start
/// writing them to disk (see start_writeback()).
constexpr std::uint64_t kWritebackBytes = std::uint64_t{4} << 20;  // 4 MiB

/// One report file written whole by one thread, and what writes it.
struct ReportFile {
    const char* name;
    std::function<void(std::ostream&)> write;
};

/// Asks the kernel to start writing a file's bytes [offset, offset + length) to disk
/// now (length 0: to the end), without waiting for it. publish() fsyncs every file
/// before the swap; started early, that writeback overlaps with writing the other
/// reports instead of coming all at the end (the national run's files total about
/// 110 MB). Only a hint: failures are ignored.
void start_writeback(int fd, std::uint64_t offset = 0, std::uint64_t length = 0) {
    ::sync_file_range(fd, static_cast<off64_t>(offset), static_cast<off64_t>(length), SYNC_FILE_RANGE_WRITE);
}

void start_writeback(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    start_writeback(fd);
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

unsigned writer_threads() {
    return std::min(static_cast<unsigned>(default_threads()), kMaxWriterThreads);
}

/// A new file written through its descriptor (closed on destruction).
class OutputFile {
public:
    explicit OutputFile(fs::path path) : path_(std::move(path)) {
        // 0666 less the umask, as std::ofstream creates files.
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd_ < 0) throw std::runtime_error("cannot create " + path_.string());
    }
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile() {
        if (fd_ >= 0) ::close(fd_);
    }

    /// Appends all of `text`; every kWritebackBytes the disk write is started.
    void append(const report_detail::TextBuffer& text) {
        const char* data = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, data, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) throw std::runtime_error("cannot write " + path_.string());
            data += n;
            left -= static_cast<std::size_t>(n);
        }
        size_ += text.size();
        if (size_ - flushed_ >= kWritebackBytes) {
            start_writeback(fd_, flushed_, size_ - flushed_);
            flushed_ = size_;
        }
    }

    /// Starts the disk write of the rest and closes the file.
    void close() {
        start_writeback(fd_, flushed_, 0);
        const int rc = ::close(fd_);
        fd_ = -1;
        if (rc != 0) throw std::runtime_error("cannot write " + path_.string());
    }

private:
    fs::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;     ///< bytes written
    std::uint64_t flushed_ = 0;  ///< bytes whose disk write was started
};

/// A CSV report formatted in contiguous chunks of rows, each by any thread into its own
/// buffer, and written to its file strictly in chunk order: whichever thread completes
/// the chunk next in line writes it and every completed chunk after it. The chunks are
/// fixed by the row count alone and a row's text does not depend on its chunk, so the
/// file is byte-identical whatever the thread count or timing. A chunk is begun only
/// within `window` chunks of the next one to write, so at most that many buffers are
/// held (and reused).
class ChunkedCsvFile {
public:
    ChunkedCsvFile(const fs::path& path, const report_detail::CsvTable& table, std::size_t chunks,
                   std::size_t window)
        : file_(path),
          table_(table),
          chunks_(std::clamp<std::size_t>(chunks, 1, std::max<std::size_t>(table.rows(), 1))),
          window_(std::max<std::size_t>(window, 1)),
          pending_(chunks_),
          ready_(chunks_, false) {}

    std::size_t chunks() const { return chunks_; }

    /// Formats chunk `k` and sees it written. Returns at once after abort().
    void run_chunk(std::size_t k) {
        report_detail::TextBuffer buffer;
        {
            std::unique_lock lock(mutex_);
            // The chunk next in line is being formatted by another thread (chunks are
            // taken in order), so this wait ends.
            ++waiting_;
            turn_.wait(lock, [&] { return aborted_ || k < next_ + window_; });
            --waiting_;
            if (aborted_) return;
            if (!spare_.empty()) {
                buffer = std::move(spare_.back());
                spare_.pop_back();
            }
        }
        if (buffer.capacity() == 0) buffer = report_detail::TextBuffer(kChunkBufferBytes);
        report_detail::CsvWriter w(std::move(buffer));
        if (k == 0) table_.header(w);
        table_.format(w, first_row(k), first_row(k + 1));
        complete(k, w.take());
    }

    /// Stops the file: waiting threads return, nothing more is written.
    void abort() {
        const std::lock_guard lock(mutex_);
        aborted_ = true;
        turn_.notify_all();
    }

    /// After every chunk ran: closes the file.
    void close() {
        if (next_ != chunks_) throw std::logic_error("report chunks left unwritten");
        file_.close();
    }

private:
    std::size_t first_row(std::size_t k) const { return table_.rows() * k / chunks_; }

    /// Hands over chunk `k`; writes it, and the chunks completed after it, if it is
    /// next in line and no other thread is writing.
    void complete(std::size_t k, report_detail::TextBuffer text) {
        std::unique_lock lock(mutex_);
        if (aborted_) return;
        pending_[k] = std::move(text);
        ready_[k] = true;
        if (writing_) return;  // the writing thread takes it in its turn
        writing_ = true;
        while (!aborted_ && next_ < chunks_ && ready_[next_]) {
            report_detail::TextBuffer chunk = std::move(pending_[next_]);
            ready_[next_] = false;
            lock.unlock();
            std::exception_ptr error;
            try {
                file_.append(chunk);
            } catch (...) {
                error = std::current_exception();
            }
            lock.lock();
            if (error) {
                writing_ = false;
                aborted_ = true;
                turn_.notify_all();
                std::rethrow_exception(error);
            }
            spare_.push_back(std::move(chunk));
            ++next_;
            if (waiting_ > 0) turn_.notify_all();
        }
        writing_ = false;
    }

    OutputFile file_;  ///< written only by the thread that set writing_
    const report_detail::CsvTable& table_;
    const std::size_t chunks_;
    const std::size_t window_;

    std::mutex mutex_;  ///< guards everything below
    std::condition_variable turn_;
    std::size_t next_ = 0;                   ///< the next chunk to write
    std::vector<report_detail::TextBuffer> pending_;  ///< completed chunks not yet written
    std::vector<bool> ready_;
    std::vector<report_detail::TextBuffer> spare_;   ///< written chunks' buffers, for reuse
    std::size_t waiting_ = 0;  ///< threads waiting for their turn
    bool writing_ = false;
    bool aborted_ = false;
};

/// Runs `tasks` on `threads` threads (fewer if no more can be started), each thread
/// taking the next task not yet taken. After a failure no new task is started and
/// `on_failure` runs (to wake tasks that wait for others); the first failure in task
/// order is rethrown.
void run_tasks(const std::vector<std::function<void()>>& tasks, unsigned threads,
               const std::function<void()>& on_failure) {
    std::vector<std::exception_ptr> errors(tasks.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    const auto work = [&] {
        for (std::size_t i = next++; i < tasks.size() && !failed; i = next++) {
            try {
                tasks[i]();
            } catch (...) {
                errors[i] = std::current_exception();
                if (!failed.exchange(true)) on_failure();
            }
        }
    };
    {
        std::vector<std::jthread> helpers;  // joined when this block ends
        try {
            const auto wanted = std::min<std::size_t>(threads, tasks.size());
            for (std::size_t t = 1; t < wanted; ++t) helpers.emplace_back(work);
        } catch (const std::system_error&) {
            // No more threads to be had: the ones we have (at least this one) do the work.
        }
        work();
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

/// Chunks to begin ahead of the next one to write: enough to keep every thread busy.
std::size_t chunk_window(unsigned threads) { return 2 * static_cast<std::size_t>(threads) + 2; }

std::size_t chunks_for(std::size_t rows) { return (rows + kRowsPerChunk - 1) / kRowsPerChunk; }

/// The year × payer totals shown by three reports, worked out once by the first
/// thread that needs them.
class SharedTotals {
public:
    explicit SharedTotals(const Results& r) : r_(r) {}
    const std::vector<YearPayerTotal>& get() {
        std::call_once(once_, [&] { totals_ = totals_by_year_payer(r_); });
        return totals_;
    }

private:
    const Results& r_;
    std::once_flag once_;
    std::vector<YearPayerTotal> totals_;
};

/// The tables report.xlsx and report.html show, worked out once by the first of the two.
class SharedTables {
public:
    SharedTables(const Results& r, const ReportOptions& o, const std::vector<DivisionTables>& divisions)
        : r_(r), o_(o), divisions_(divisions) {}
    const report_detail::ReportTables& get() {
        std::call_once(once_, [&] {
            tables_ = report_detail::build_report_tables(r_, o_);
            tables_.divisions = &divisions_;
        });
        return tables_;
    }

private:
    const Results& r_;
    const ReportOptions& o_;
    const std::vector<DivisionTables>& divisions_;
    std::once_flag once_;
    report_detail::ReportTables tables_;
};

}  // namespace

namespace report_detail {

void write_csv_in_chunks(const fs::path& path, const CsvTable& table, std::size_t chunks, unsigned threads) {
    threads = std::max(threads, 1u);
    ChunkedCsvFile file(path, table, chunks, chunk_window(threads));
    std::vector<std::function<void()>> tasks;
    for (std::size_t k = 0; k < file.chunks(); ++k) tasks.emplace_back([&file, k] { file.run_chunk(k); });
    run_tasks(tasks, threads, [&] { file.abort(); });
    file.close();
}

}  // namespace report_detail

/// Every file is written from the same (read-only) results: the small and middling
/// files whole by one thread each, then budget_lines.csv and cohort_costs.csv (about
/// three quarters of the bytes) in chunks shared by all threads, which also keeps the
/// threads finishing together. The folder is byte-identical whatever the thread count
/// or timing.
void write_reports(const fs::path& dir, const Results& r, const ReportOptions& o) {
    if (r.scenario == nullptr) throw std::invalid_argument("results carry no scenario");
    SharedTotals totals(r);
    // Reports on other divisions (--by), worked out once for every file that shows them.
    const std::vector<DivisionTables> divisions = report_detail::build_divisions(r, o);
    SharedTables tables(r, o, divisions);
    const Lang lang = o.lang;
    // Roughly the most work first. budget_by_year_payer.csv works out the totals early,
    // while another thread writes budget_by_quarter.csv; the workbook and the page share
    // their tables the same way.
    const std::vector<ReportFile> whole_files = {
        {"budget_by_quarter.csv", [&](std::ostream& out) { write_budget_by_quarter_csv(out, r, lang); }},
        {"budget_by_year_payer.csv",
         [&](std::ostream& out) { report_detail::write_budget_by_year_payer_csv(out, r, totals.get(), lang); }},
        {"report.html", [&](std::ostream& out) { report_detail::write_html_report(out, r, o, tables.get()); }},
        {"commune_bills.csv", [&](std::ostream& out) { write_commune_bills_csv(out, r, lang); }},
        {"budget_by_unit.csv", [&](std::ostream& out) { write_budget_by_unit_csv(out, r, lang); }},
        {"budget_by_rule.csv", [&](std::ostream& out) { write_budget_by_rule_csv(out, r, lang); }},
        {"coverage.csv", [&](std::ostream& out) { write_coverage_csv(out, r); }},
        {"summary.md", [&](std::ostream& out) { report_detail::write_summary_md(out, r, o, totals.get(), &divisions); }},
        {"overlaps.csv", [&](std::ostream& out) { write_overlaps_csv(out, r, lang); }},
        {"provenance.csv", [&](std::ostream& out) {
             write_provenance_csv(out, *r.scenario, lang);
             report_detail::write_carried_provenance(out, r, lang);
         }},
    };
    std::vector<std::string> division_names;  // file names, kept alive for the tasks below
    for (const DivisionTables& t : divisions) {
        division_names.push_back(report_detail::division_budget_file(t));
        division_names.push_back(report_detail::division_coverage_file(t));
    }
    std::vector<std::pair<std::string, std::function<void(std::ostream&)>>> division_files;
    for (std::size_t i = 0; i < divisions.size(); ++i) {
        const DivisionTables& t = divisions[i];
        division_files.emplace_back(division_names[2 * i], [&r, &t, lang](std::ostream& out) {
            report_detail::write_division_budget_csv(out, r, t, lang);
        });
        division_files.emplace_back(division_names[2 * i + 1],
                                    [&t](std::ostream& out) { report_detail::write_division_coverage_csv(out, t); });
    }
    const unsigned threads = writer_threads();
    const report_detail::CsvTable lines = report_detail::budget_lines_table(r, lang);
    const report_detail::CsvTable cohorts = report_detail::cohort_costs_table(r, lang);
    ChunkedCsvFile lines_file(dir / "budget_lines.csv", lines, chunks_for(lines.rows()), chunk_window(threads));
    ChunkedCsvFile cohorts_file(dir / "cohort_costs.csv", cohorts, chunks_for(cohorts.rows()),
                                chunk_window(threads));

    std::vector<std::function<void()>> tasks;
    // The workbook (libxlsxwriter writes its own file) first: it is the largest single task.
    tasks.emplace_back([&] {
        report_detail::write_xlsx_report(dir / "report.xlsx", r, o, tables.get());
        start_writeback(dir / "report.xlsx");
    });
    for (const ReportFile& f : whole_files) tasks.emplace_back([&dir, &f] { write_file(dir / f.name, f.write); });
    for (const auto& f : division_files) tasks.emplace_back([&dir, &f] { write_file(dir / f.first, f.second); });
    for (ChunkedCsvFile* file : {&lines_file, &cohorts_file})
        for (std::size_t k = 0; k < file->chunks(); ++k) tasks.emplace_back([file, k] { file->run_chunk(k); });
    run_tasks(tasks, threads, [&] {
        lines_file.abort();
        cohorts_file.abort();
    });
    lines_file.close();
    cohorts_file.close();
    // run.json last: its manifest names every file the run wrote, which is what lets a
    // later run recognise the folder as its own (check_output_folder).
    std::vector<std::string> written;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) written.push_back(e.path().lexically_relative(dir).generic_string());
    written.push_back("run.json");
    std::sort(written.begin(), written.end());
    write_file(dir / "run.json",
               [&](std::ostream& out) { report_detail::write_run_json(out, r, o, totals.get(), written, &divisions); });
}

// ---- publish ----------------------------------------------------------------------

namespace {

using publish_detail::kOldMarker;
using publish_detail::kTempMarker;

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

/// Removes `.<name>.tmp-*` and `.<name>.old-*` left by killed runs (a folder of a
/// process still running is left alone: it may be publishing right now). Reports a
/// killed fallback left aside are first put back (recover_output_folder).
void remove_stale_siblings(const fs::path& parent, const std::string& name) {
    (void)recover_output_folder(parent / name);
    for (std::string_view marker : {kTempMarker, kOldMarker})
        for (const publish_detail::Sibling& s : publish_detail::siblings(parent, name, marker)) {
            if (publish_detail::process_alive(s.pid)) continue;
            std::error_code ignored;
            fs::remove_all(s.path, ignored);
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
/// system cannot exchange) the old folder is moved aside first. A kill between the
/// fallback's two renames leaves the old reports in `.<name>.old-<pid>-<n>`, which the
/// next run puts back (recover_output_folder). Afterwards `fresh` names whatever is to
/// be removed.
fs::path swap_into_place(const fs::path& fresh, const fs::path& target, const fs::path& parent,
                         const std::string& name, const PublishOptions& options) {
    if (options.exchange) {
        if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) return fresh;
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) throw_errno("cannot replace", target);
    }
    const fs::path aside = sibling_name(parent, name, kOldMarker);
    fs::rename(target, aside);
    if (options.between_renames) options.between_renames();
    std::error_code ec;
    fs::rename(fresh, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::rename(aside, target, ignored);  // put the old folder back
        throw fs::filesystem_error("cannot replace", target, ec);
    }
    return aside;
}

/// Removes the folder `dir` and everything in it, ignoring failures (a leftover is
/// cleaned by the next publish()). Its files are unlinked on writer_threads() threads,
/// largest first: where the file system discards freed blocks at once (ext4 mounted
/// with `discard`), unlinking a large file waits for the disk, and the waits overlap
/// in part (about 40 → 33 ms for the national run's 110 MB).
void remove_folder(const fs::path& dir) noexcept {
    try {
        std::vector<std::pair<std::uintmax_t, fs::path>> files;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code ignored;
            if (it->is_regular_file(ignored)) files.emplace_back(it->file_size(ignored), it->path());
        }
        std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        std::atomic<std::size_t> next{0};
        const auto work = [&] {
            for (std::size_t i = next++; i < files.size(); i = next++) ::unlink(files[i].second.c_str());
        };
        std::vector<std::jthread> helpers;  // joined when the try block ends
        try {
            const std::size_t wanted = std::min<std::size_t>(writer_threads(), files.size());
            for (std::size_t t = 1; t < wanted; ++t) helpers.emplace_back(work);
        } catch (const std::system_error&) {
            // No more threads: this one unlinks them all.
        }
        work();
    } catch (...) {
        // Out of memory listing the folder: remove_all below does what it can.
    }
    try {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    } catch (...) {
        // As above; the next publish() removes what is left.
    }
}

}  // namespace

void publish(const fs::path& out_dir, const std::function<void(const fs::path&)>& write,
             const PublishOptions& options) {
    const auto [parent, name] = publish_detail::split_target(out_dir);
    const fs::path target = parent / name;
    fs::create_directories(parent);
    remove_stale_siblings(parent, name);  // puts back reports a killed run left aside
    // Only a folder subsim wrote is replaced: not a link, a file, or a folder of the user's.
    check_replaceable_contents(target, out_dir.string());

    const fs::path temp = create_sibling(parent, name, kTempMarker);
    fs::path to_remove = temp;
    try {
        write(temp);
        sync_tree(temp);
        if (fs::exists(fs::symlink_status(target))) {
            // Checked again at the last moment: the folder may have changed since the run began.
            check_replaceable_contents(target, out_dir.string());
            to_remove = swap_into_place(temp, target, parent, name, options);
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
        remove_folder(to_remove);  // the old reports; a leftover is cleaned next time
    }
}

}  // namespace subsim
