// The one pool of worker threads, each with its own GEOS context, for every engine that spreads work over
// threads: for_each over n items (check, resolve, screen) and jobs streamed in order (overlay, tabulate).
#pragma once

#include "zonekit/geometry/geos_context.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace zk {

// A fixed set of threads; worker i runs on its own thread with context(i). State a caller keeps per worker
// (an area meter, prepared geometries) is indexed by the worker index its function is given. Whatever a
// worker's context makes must be freed, or adopted by a longer-lived context, before the pool goes away:
// declare the pool before what its jobs make.
class WorkerPool {
public:
    explicit WorkerPool(unsigned threads);  // 0 = all cores
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool();  // waits for the jobs posted

    std::size_t size() const { return m_contexts.size(); }
    GeosContext& context(std::size_t worker) { return *m_contexts[worker]; }
    // The worker whose context `ctx` is (0 for another context).
    std::size_t worker_index(const GeosContext& ctx) const;

    // Runs fn(ctx, i) for every i in [0, n), items handed out in chunks; waits for them. Rethrows the first
    // exception once every worker has stopped. Few items run on the calling thread with worker 0's context, so
    // no job posted may be running meanwhile.
    void for_each(std::size_t n, const std::function<void(GeosContext&, std::size_t)>& fn);

    // Queues job(worker) to run on the next free thread; jobs start in the order posted. A job must not throw:
    // it hands its failure back itself (e.g. through a std::promise).
    void post(std::function<void(std::size_t worker)> job);

private:
    void start();  // the threads, on the first job
    std::vector<std::unique_ptr<GeosContext>> m_contexts;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void(std::size_t)>> m_jobs;
    bool m_stop = false;
    std::vector<std::thread> m_threads;  // last: joined before the queue goes
};

}  // namespace zk
