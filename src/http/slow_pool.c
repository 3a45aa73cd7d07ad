/* The slow pool (slow_pool.h): a queue of suspended requests and the threads that run
 * their handlers. */
#include "http/slow_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "http/reply.h"
#include "util/xmalloc.h"

/* At most WAITING_PER_THREAD requests wait per pool thread, and none longer than
 * MAX_WAIT_S: beyond that the hashes cannot keep up (the CPUs are busy) and a client
 * would wait longer than it is willing to, so it is told at once to come back later
 * (503) instead of timing out while its hash is computed for nobody. */
enum { QUEUE_SIZE = 1024, WAITING_PER_THREAD = 4, MAX_WAIT_S = 5 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static jz_req *queue[QUEUE_SIZE];
static time_t queued_at[QUEUE_SIZE];
static size_t head, queued, running;
static bool accepting, stopping;
static pthread_t *threads;
static unsigned n_threads;
static jz_db *(*thread_db)(void);

/* Runs the handler on this thread's connection (checked and cleared of any earlier outage
 * by db_for_thread), or answers 503 when the request waited too long or serve is stopping;
 * the reply is kept for the resumed connection (reply.c queues nothing while req->defer
 * is set). */
static void
run(jz_req *req, bool fresh)
{
	req->defer = true;
	req->ctx.db = fresh ? thread_db() : NULL;
	if (req->ctx.db)
		req->slow_result = req->route->handler(req);
	else
		req->slow_result = jz_reply_code(req, JZ_E_UNAVAILABLE);
	req->defer = false;
	MHD_resume_connection(req->conn);
}

static void *
worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!queued && !stopping)
			pthread_cond_wait(&work_ready, &lock);
		if (!queued)
			break;
		jz_req *req = queue[head];
		bool fresh = accepting && time(NULL) - queued_at[head] <= MAX_WAIT_S;
		head = (head + 1) % QUEUE_SIZE;
		queued--;
		running++;
		pthread_mutex_unlock(&lock);
		run(req, fresh);
		pthread_mutex_lock(&lock);
		running--;
		if (!queued && !running)
			pthread_cond_broadcast(&all_done);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

bool
jz_slow_pool_start(unsigned count, jz_db *(*db_for_thread)(void))
{
	thread_db = db_for_thread;
	threads = jz_xcalloc(count, sizeof *threads);
	for (n_threads = 0; n_threads < count; n_threads++)
		if (pthread_create(&threads[n_threads], NULL, worker, NULL) != 0)
			break;
	accepting = n_threads > 0;
	return accepting;
}

jz_slow_status
jz_slow_pool_submit(jz_req *req)
{
	pthread_mutex_lock(&lock);
	jz_slow_status st = !accepting                             ? JZ_SLOW_INLINE
	                    : queued >= n_threads * WAITING_PER_THREAD ? JZ_SLOW_FULL
	                                                            : JZ_SLOW_QUEUED;
	if (st == JZ_SLOW_QUEUED) {
		/* Suspended before it is queued, so a pool thread never resumes it too early. */
		req->slow = true;
		MHD_suspend_connection(req->conn);
		size_t at = (head + queued) % QUEUE_SIZE;
		queue[at] = req;
		queued_at[at] = time(NULL);
		queued++;
		pthread_cond_signal(&work_ready);
	}
	pthread_mutex_unlock(&lock);
	return st;
}

void
jz_slow_pool_drain(void)
{
	pthread_mutex_lock(&lock);
	accepting = false;
	while (queued || running)
		pthread_cond_wait(&all_done, &lock);
	pthread_mutex_unlock(&lock);
}

void
jz_slow_pool_stop(void)
{
	pthread_mutex_lock(&lock);
	accepting = false;
	stopping = true;
	pthread_cond_broadcast(&work_ready);
	pthread_mutex_unlock(&lock);
	for (unsigned i = 0; i < n_threads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	threads = NULL;
	n_threads = 0;
}
