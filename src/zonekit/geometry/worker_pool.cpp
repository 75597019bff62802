#include "zonekit/geometry/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

namespace zk {

WorkerPool::WorkerPool(unsigned threads) {
    const unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i) m_contexts.push_back(std::make_unique<GeosContext>());
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads) t.join();
}

std::size_t WorkerPool::worker_index(const GeosContext& ctx) const {
    for (std::size_t i = 0; i < m_contexts.size(); ++i)
        if (m_contexts[i].get() == &ctx) return i;
    return 0;
}

void WorkerPool::start() {
    for (std::size_t i = 0; i < m_contexts.size(); ++i)
        m_threads.emplace_back([this, i] {
            for (;;) {
                std::function<void(std::size_t)> job;
                {
                    std::unique_lock lock(m_mutex);
                    m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
                    if (m_jobs.empty()) return;
                    job = std::move(m_jobs.front());
                    m_jobs.pop_front();
                }
                job(i);
            }
        });
}

void WorkerPool::post(std::function<void(std::size_t worker)> job) {
    {
        std::lock_guard lock(m_mutex);
        if (m_threads.empty()) start();
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_one();
}

void WorkerPool::for_each(std::size_t n, const std::function<void(GeosContext&, std::size_t)>& fn) {
    constexpr std::size_t chunk = 8;
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&](GeosContext& ctx) {
        for (;;) {
            const std::size_t begin = next.fetch_add(chunk);
            if (begin >= n) return;
            for (std::size_t i = begin; i < std::min(n, begin + chunk); ++i) {
                try {
                    fn(ctx, i);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(error_mutex);
                    if (!error) error = std::current_exception();
                    next = n;
                    return;
                }
            }
        }
    };
    const std::size_t workers = std::min(size(), (n + chunk - 1) / chunk);
    if (workers <= 1) {
        // Few items: no thread is worth starting. Worker 0's context, as a job of the pool would have.
        work(*m_contexts.front());
    } else {
        std::mutex done_mutex;
        std::condition_variable done_cv;
        std::size_t running = workers;
        for (std::size_t t = 0; t < workers; ++t)
            post([&](std::size_t worker) {
                work(*m_contexts[worker]);
                std::lock_guard lock(done_mutex);
                if (--running == 0) done_cv.notify_one();
            });
        std::unique_lock lock(done_mutex);
        done_cv.wait(lock, [&] { return running == 0; });
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace zk
