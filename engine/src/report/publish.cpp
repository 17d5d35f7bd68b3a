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
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "division_reports.hpp"
#include "publish_detail.hpp"
#include "report_format.hpp"
#include "csv_streams.hpp"
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

/// `requested` (--threads) if set, else SUBSIM_THREADS / the cores; at most kMaxWriterThreads.
unsigned writer_threads(int requested) {
    return std::min(static_cast<unsigned>(requested > 0 ? requested : default_threads()), kMaxWriterThreads);
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
    OutputFile(OutputFile&& other) noexcept
        : path_(std::move(other.path_)),
          fd_(std::exchange(other.fd_, -1)),
          size_(other.size_),
          flushed_(other.flushed_) {}
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

}  // namespace

namespace report_detail {

void run_report_tasks(const std::vector<std::function<void()>>& tasks, int threads, const std::function<void()>& on_failure) {
    run_tasks(tasks, writer_threads(threads), on_failure);
}

void write_csv_in_chunks(const fs::path& path, const CsvTable& table, std::size_t chunks, unsigned threads) {
    threads = std::max(threads, 1u);
    ChunkedCsvFile file(path, table, chunks, chunk_window(threads));
    std::vector<std::function<void()>> tasks;
    for (std::size_t k = 0; k < file.chunks(); ++k) tasks.emplace_back([&file, k] { file.run_chunk(k); });
    run_tasks(tasks, threads, [&] { file.abort(); });
    file.close();
}

}  // namespace report_detail

// ---- ReportWriter ---------------------------------------------------------------------

/// Each year's rows are formatted on up to writer_threads(o.threads) threads — budget_lines.csv
/// and cohort_costs.csv (about three quarters of the bytes) in chunks of rows, every other
/// yearly table whole by one task — and appended as they are ready, each file's text in
/// its fixed order: the folder is byte-identical whatever the thread count or timing.
/// Files made from the whole run come at the end (with finish_with(), beside the last
/// year's rows), run.json last.
struct ReportWriter::Impl {
    struct YearlyFile {
        report_detail::CsvStream* stream;
        OutputFile file;
        report_detail::TextBuffer buffer;
    };
    /// Text buffers for chunks, shared by the chunked files: a buffer goes back once its
    /// chunk is appended, so only the chunks in flight hold one (a handful, not every
    /// chunk of a year: about 10 MB fewer fresh pages for the national run).
    class BufferPool {
    public:
        report_detail::TextBuffer take() {
            {
                const std::lock_guard lock(mutex_);
                if (!spare_.empty()) {
                    report_detail::TextBuffer b = std::move(spare_.back());
                    spare_.pop_back();
                    return b;
                }
            }
            return report_detail::TextBuffer(kChunkBufferBytes);
        }
        void give_back(report_detail::TextBuffer b) {
            const std::lock_guard lock(mutex_);
            spare_.push_back(std::move(b));
        }

    private:
        std::mutex mutex_;
        std::vector<report_detail::TextBuffer> spare_;
    };

    /// budget_lines.csv or cohort_costs.csv: a year's chunks are appended in order as they
    /// are formatted, by whichever thread completes the chunk next in line (and the
    /// completed ones after it), while the other threads go on formatting.
    struct ChunkedFile {
        explicit ChunkedFile(OutputFile f) : file(std::move(f)) {}

        /// Chunk `k` is formatted into chunks[k]: appends it and every formatted chunk
        /// after it, unless a thread is already appending (it will take them). Appended
        /// buffers go back to `pool`.
        void completed(std::size_t k, BufferPool& pool) {
            std::unique_lock lock(mutex);
            ready[k] = 1;
            if (appending) return;
            appending = true;
            while (next < used && ready[next]) {
                const std::size_t i = next++;
                report_detail::TextBuffer text = std::move(chunks[i]);
                lock.unlock();
                file.append(text);  // a failure fails the run: nothing more is appended
                pool.give_back(std::move(text));
                lock.lock();
            }
            appending = false;
        }

        OutputFile file;
        std::vector<report_detail::TextBuffer> chunks;  ///< per chunk of the current year, until appended
        std::size_t used = 0;  ///< chunks of the current year
        std::mutex mutex;
        std::vector<char> ready;  ///< per chunk of the current year: formatted
        std::size_t next = 0;     ///< the next chunk to append
        bool appending = false;   ///< a thread is appending chunks
    };

    Impl(const fs::path& dir_, const Scenario& s_, const ReportOptions& o_)
        : dir(dir_),
          s(s_),
          o(o_),
          threads(std::max(writer_threads(o_.threads), 1u)),
          names(report_detail::escaped_names(s_, o_.lang)),
          year_payer(s_, names),
          tables_input(s_),
          division_input(s_),
          lines(OutputFile(dir_ / "budget_lines.csv")),
          cohorts(OutputFile(dir_ / "cohort_costs.csv")) {
        owned.push_back(report_detail::budget_by_quarter_stream(s, names));
        owned.push_back(report_detail::budget_by_unit_stream(s, names));
        owned.push_back(report_detail::commune_bills_stream(s, names));
        owned.push_back(report_detail::budget_by_rule_stream(s, names));
        owned.push_back(report_detail::coverage_stream(s, names));
        owned.push_back(report_detail::overlaps_stream(s, names));
        const char* file_names[] = {"budget_by_quarter.csv", "budget_by_unit.csv", "commune_bills.csv",
                                    "budget_by_rule.csv", "coverage.csv", "overlaps.csv"};
        yearly.push_back({&year_payer, OutputFile(dir / "budget_by_year_payer.csv"), {}});
        for (std::size_t i = 0; i < owned.size(); ++i) yearly.push_back({owned[i].get(), OutputFile(dir / file_names[i]), {}});
    }

    /// Formats `table`'s rows in chunks into `into.chunks` (the header first, once).
    void chunk_tasks(std::vector<std::function<void()>>& tasks, const report_detail::CsvTable& table, ChunkedFile& into) {
        const std::size_t n = std::max<std::size_t>(chunks_for(table.rows()), 1);
        if (into.chunks.size() < n) into.chunks.resize(n);
        into.used = n;
        into.ready.assign(n, 0);
        into.next = 0;
        into.appending = false;
        for (std::size_t k = 0; k < n; ++k)
            tasks.emplace_back([this, &table, &into, k, n] {
                report_detail::CsvWriter w(pool.take());
                if (k == 0 && !started) table.header(w);
                table.format(w, table.rows() * k / n, table.rows() * (k + 1) / n);
                report_detail::TextBuffer text = w.take();
                {
                    const std::lock_guard lock(into.mutex);  // chunks[] is shared with the appender
                    into.chunks[k] = std::move(text);
                }
                into.completed(k, pool);
            });
    }

    /// A year's formatting tasks: budget lines and cohort rows in chunks, each yearly
    /// table whole (every file appended in order as its text is ready).
    void year_tasks(std::vector<std::function<void()>>& tasks, const report_detail::CsvTable& line_rows,
                    const report_detail::CsvTable& cohort_rows, const Results& part, int year) {
        chunk_tasks(tasks, line_rows, lines);
        chunk_tasks(tasks, cohort_rows, cohorts);
        for (YearlyFile& f : yearly)
            tasks.emplace_back([this, &f, &part, year] {
                report_detail::CsvWriter w(std::move(f.buffer));
                if (!started) f.stream->header(w);
                f.stream->add(w, part, year);
                f.buffer = w.take();
                f.file.append(f.buffer);  // years come one after another: appended in order
            });
    }

    /// What the files made from the whole run keep of a year (tasks), and its coverage
    /// rows and overlap transfers (keep_rows(), after the tasks).
    void keep_tasks(std::vector<std::function<void()>>& tasks, const Results& part, int year) {
        tasks.emplace_back([this, &part] { tables_input.add(part); });
        tasks.emplace_back([this, &part, year] { division_input.add(part, year, !o.by.empty()); });
    }
    void keep_rows(const Results& part, int year) {
        for (const CoverageRow& c : part.coverage)
            if (c.year == year) coverage.push_back(c);
        for (const OverlapTransfer& t : part.transfers)
            if (t.year == year) transfers.push_back(t);
    }

    void add_year(const Results& part, int year) {
        const report_detail::CsvTable line_rows = report_detail::budget_lines_table(part, names);
        const report_detail::CsvTable cohort_rows = report_detail::cohort_costs_table(part, names);
        std::vector<std::function<void()>> tasks;
        year_tasks(tasks, line_rows, cohort_rows, part, year);
        keep_tasks(tasks, part, year);
        run_tasks(tasks, threads, [] {});
        keep_rows(part, year);
        started = true;
    }

    /// What the files made from the whole run are made from, once every year is in.
    struct Whole {
        Results results;  ///< condensed lines and cohort rows, every coverage row, …
        std::vector<DivisionTables> divisions;  ///< --by
        report_detail::ReportTables tables;
    };

    std::unique_ptr<Whole> gather(const std::vector<Warning>& warnings) {
        auto w = std::make_unique<Whole>();
        Results& whole = w->results;
        whole.scenario = &s;
        whole.lines.assign(tables_input.condensed().lines.begin(), tables_input.condensed().lines.end());
        whole.cohort_costs.assign(tables_input.condensed().cohort_costs.begin(), tables_input.condensed().cohort_costs.end());
        whole.coverage = std::move(coverage);
        whole.transfers = std::move(transfers);
        whole.warnings = warnings;
        whole.carried = division_input.carried();
        // Reports on other divisions (--by), from every year's unit totals and coverage.
        w->divisions = division_input.build(whole.coverage, o);
        w->tables = report_detail::build_report_tables(whole, o);
        tables_input.fill_unit_costs(w->tables);
        w->tables.divisions = &w->divisions;
        return w;
    }

    /// The files made from the whole run but summary.md and run.json (which need the
    /// yearly tables' totals): the workbook first, the largest.
    void whole_run_tasks(std::vector<std::function<void()>>& tasks, const Whole& w) {
        tasks.emplace_back([this, &w] {
            report_detail::write_xlsx_report(dir / "report.xlsx", w.results, o, w.tables);
            start_writeback(dir / "report.xlsx");
        });
        tasks.emplace_back([this, &w] {
            write_file(dir / "report.html",
                       [&](std::ostream& out) { report_detail::write_html_report(out, w.results, o, w.tables); });
        });
        tasks.emplace_back([this, &w] {
            write_file(dir / "provenance.csv", [&](std::ostream& out) {
                write_provenance_csv(out, s, o.lang);
                report_detail::write_carried_provenance(out, w.results, o.lang);
            });
            write_file(dir / "labels.csv", [&](std::ostream& out) { write_labels_csv(out, s); });
        });
        for (const DivisionTables& t : w.divisions) {
            tasks.emplace_back([this, &w, &t] {
                write_file(dir / report_detail::division_budget_file(t),
                           [&](std::ostream& out) { report_detail::write_division_budget_csv(out, w.results, t, o.lang); });
                write_file(dir / report_detail::division_coverage_file(t),
                           [&](std::ostream& out) { report_detail::write_division_coverage_csv(out, t); });
            });
        }
    }

    /// The yearly tables' whole-period rows; every CSV closed.
    void close_tables() {
        for (YearlyFile& f : yearly) {
            report_detail::CsvWriter w(std::move(f.buffer));
            f.stream->finish(w);
            f.buffer = w.take();
            f.file.append(f.buffer);
            f.file.close();
        }
        lines.file.close();
        cohorts.file.close();
    }

    /// summary.md, then run.json last: its manifest names every file the run wrote, which
    /// is what lets a later run recognise the folder as its own (check_output_folder).
    void write_summary_and_manifest(const Whole& w) {
        const std::vector<YearPayerTotal>& totals = year_payer.totals();
        write_file(dir / "summary.md",
                   [&](std::ostream& out) { report_detail::write_summary_md(out, w.results, o, totals, &w.divisions); });
        const std::vector<std::string> written = manifest_listing(dir);
        write_file(dir / "run.json",
                   [&](std::ostream& out) { report_detail::write_run_json(out, w.results, o, totals, written, &w.divisions); });
    }

    void finish(const std::vector<Warning>& warnings) {
        if (!started) {  // no year: the files still get their headers
            Results none;
            none.scenario = &s;
            add_year(none, s.first_year - 1);
        }
        close_tables();
        const std::unique_ptr<Whole> w = gather(warnings);
        std::vector<std::function<void()>> tasks;
        whole_run_tasks(tasks, *w);
        run_tasks(tasks, threads, [] {});
        write_summary_and_manifest(*w);
    }

    /// add_year() and finish() in one: what the whole-run files need of the last year is
    /// kept first, then the workbook and the page are written while the year's rows are
    /// formatted (the workbook alone took as long as a year's rows on both threads).
    void finish_with(const Results& part, int year, const std::vector<Warning>& warnings) {
        {
            std::vector<std::function<void()>> tasks;
            keep_tasks(tasks, part, year);
            run_tasks(tasks, threads, [] {});
            keep_rows(part, year);
        }
        const std::unique_ptr<Whole> w = gather(warnings);
        const report_detail::CsvTable line_rows = report_detail::budget_lines_table(part, names);
        const report_detail::CsvTable cohort_rows = report_detail::cohort_costs_table(part, names);
        std::vector<std::function<void()>> tasks;
        whole_run_tasks(tasks, *w);
        year_tasks(tasks, line_rows, cohort_rows, part, year);
        run_tasks(tasks, threads, [] {});
        started = true;
        close_tables();
        write_summary_and_manifest(*w);
    }

    fs::path dir;
    const Scenario& s;
    ReportOptions o;
    unsigned threads;
    std::shared_ptr<const report_detail::EscapedNames> names;
    report_detail::YearPayerStream year_payer;
    std::vector<std::unique_ptr<report_detail::CsvStream>> owned;
    std::vector<YearlyFile> yearly;
    report_detail::TablesInput tables_input;
    report_detail::DivisionInput division_input;
    BufferPool pool;
    ChunkedFile lines, cohorts;
    std::vector<CoverageRow> coverage;
    std::vector<OverlapTransfer> transfers;
    bool started = false;
};

ReportWriter::ReportWriter(const fs::path& dir, const Scenario& s, const ReportOptions& o)
    : impl_(std::make_unique<Impl>(dir, s, o)) {}
ReportWriter::~ReportWriter() = default;
void ReportWriter::add_year(const Results& part, int year) { impl_->add_year(part, year); }
void ReportWriter::finish(const std::vector<Warning>& warnings) { impl_->finish(warnings); }
void ReportWriter::finish_with(const Results& part, int year, const std::vector<Warning>& warnings) {
    impl_->finish_with(part, year, warnings);
}

void write_reports(const fs::path& dir, const Results& r, const ReportOptions& o) {
    const Scenario& s = report_detail::scenario_of(r);
    // Every simulated year, and any other year a row has, in order.
    std::set<int> years;
    for (int y = s.first_year; y <= s.last_year; ++y) years.insert(y);
    for (const BudgetLine& l : r.lines) years.insert(l.year);
    for (const CohortCost& c : r.cohort_costs) years.insert(c.year);
    for (const CoverageRow& c : r.coverage) years.insert(c.year);
    for (const OverlapTransfer& t : r.transfers) years.insert(t.year);
    ReportWriter writer(dir, s, o);
    Results part;
    part.scenario = &s;
    part.carried = r.carried;  // with the first year's part, as run_exact_by_year gives them
    if (years.empty()) {
        writer.finish(r.warnings);
        return;
    }
    for (int y : years) {
        part.lines.clear();
        part.cohort_costs.clear();
        part.coverage.clear();
        part.transfers.clear();
        for (const BudgetLine& l : r.lines)
            if (l.year == y) part.lines.push_back(l);
        for (const CohortCost& c : r.cohort_costs)
            if (c.year == y) part.cohort_costs.push_back(c);
        for (const CoverageRow& c : r.coverage)
            if (c.year == y) part.coverage.push_back(c);
        for (const OverlapTransfer& t : r.transfers)
            if (t.year == y) part.transfers.push_back(t);
        if (y == *years.rbegin()) {
            writer.finish_with(part, y, r.warnings);
            return;
        }
        writer.add_year(part, y);
        part.carried.clear();
    }
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

void remove_folder(const fs::path& dir, int threads) noexcept;

/// Removes `.<name>.tmp-<pid>-<n>` and `.<name>.old-<pid>-<n>` left by killed runs (a
/// folder of a process still running is left alone: it may be publishing right now; so
/// is a folder that is not subsim's, whatever its name: own_sibling()). Reports a killed
/// fallback left aside are first put back (recover_output_folder).
void remove_stale_siblings(const fs::path& parent, const std::string& name) {
    (void)recover_output_folder(parent / name);
    for (std::string_view marker : {kTempMarker, kOldMarker})
        for (const publish_detail::Sibling& s : publish_detail::siblings(parent, name, marker)) {
            if (publish_detail::process_alive(s.pid) || !publish_detail::own_sibling(s, marker)) continue;
            remove_folder(s.path, 1);
        }
}

fs::path sibling_name(const fs::path& parent, const std::string& name, std::string_view marker) {
    return parent / ("." + name + std::string(marker) + std::to_string(::getpid()) + "-" +
                     std::to_string(publish_counter.fetch_add(1)));
}

/// A fresh hidden folder beside the target, `.<name><marker><pid>-<counter>`, holding
/// kWritingMarker (what marks it as subsim's if the run is killed before it is moved
/// into place).
fs::path create_sibling(const fs::path& parent, const std::string& name, std::string_view marker) {
    constexpr int kAttempts = 1000;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const fs::path candidate = sibling_name(parent, name, marker);
        if (fs::create_directory(candidate)) {
            const fs::path writing = candidate / kWritingMarker;
            const int fd = ::open(writing.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd < 0) {
                const int saved = errno;
                std::error_code ignored;
                fs::remove(candidate, ignored);
                errno = saved;
                throw_errno("cannot create", writing);
            }
            ::close(fd);
            return candidate;
        }
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
/// cleaned by the next publish()): its manifest and marker last, so that a kill part-way
/// leaves a folder still recognisably subsim's. Its files are unlinked on writer_threads(threads) threads,
/// largest first: where the file system discards freed blocks at once (ext4 mounted
/// with `discard`), unlinking a large file waits for the disk, and the waits overlap
/// in part (about 40 → 33 ms for the national run's 110 MB).
void remove_folder(const fs::path& dir, int threads) noexcept {
    try {
        std::vector<std::pair<std::uintmax_t, fs::path>> files;
        std::vector<fs::path> folders;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code ignored;
            // run.json and the marker go last (below): killed half-way, the folder is still
            // recognised as subsim's and removed by the next run (own_sibling()).
            const fs::path name = it->path().filename();
            if (name == "run.json" || name == kWritingMarker) continue;
            if (it->is_directory(ignored) && !it->is_symlink(ignored)) folders.push_back(it->path());
            else files.emplace_back(it->file_size(ignored), it->path());
        }
        std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        std::atomic<std::size_t> next{0};
        const auto work = [&] {
            for (std::size_t i = next++; i < files.size(); i = next++) ::unlink(files[i].second.c_str());
        };
        std::vector<std::jthread> helpers;  // joined when the try block ends
        try {
            const std::size_t wanted = std::min<std::size_t>(writer_threads(threads), files.size());
            for (std::size_t t = 1; t < wanted; ++t) helpers.emplace_back(work);
        } catch (const std::system_error&) {
            // No more threads: this one unlinks them all.
        }
        work();
        for (std::jthread& helper : helpers) helper.join();
        for (const fs::path& folder : folders) {
            std::error_code ignored;
            fs::remove_all(folder, ignored);
        }
        ::unlink((dir / "run.json").c_str());
        ::unlink((dir / kWritingMarker).c_str());
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
    // Only a folder subsim wrote is replaced: not a link, a file, a folder of the user's,
    // or another command's reports.
    check_replaceable_contents(target, out_dir.string(), options.kind);

    const fs::path temp = create_sibling(parent, name, kTempMarker);
    fs::path to_remove = temp;
    try {
        write(temp);
        if (::unlink((temp / kWritingMarker).c_str()) != 0) throw_errno("cannot remove", temp / kWritingMarker);
        sync_tree(temp);
        if (fs::exists(fs::symlink_status(target))) {
            // Checked again at the last moment: the folder may have changed since the run began.
            check_replaceable_contents(target, out_dir.string(), options.kind);
            to_remove = swap_into_place(temp, target, parent, name, options);
        } else {
            fs::rename(temp, target);
            to_remove.clear();
        }
    } catch (...) {
        if (!to_remove.empty()) remove_folder(to_remove, options.threads);
        throw;
    }
    // Committed: from here on nothing may fail the call.
    try {
        sync_path(parent, true);
    } catch (const std::exception&) {
        // The new folder is in place; only its durability across a power cut is unsure.
    }
    if (!to_remove.empty()) {
        remove_folder(to_remove, options.threads);  // the old reports; a leftover is cleaned next time
    }
}

}  // namespace subsim
