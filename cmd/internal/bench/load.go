package bench

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// result is what one phase measured.
type result struct {
	ok, failed int
	latencies  []time.Duration
	elapsed    time.Duration
}

func (r result) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok) / r.elapsed.Seconds()
}

// percentile returns the p-th latency (0 < p < 1); r.latencies must be
// sorted.
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

// timings collects the outcome of calls made from many goroutines.
type timings struct {
	mu  sync.Mutex
	res result
}

func (t *timings) add(d time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.res.failed++
		return
	}
	t.res.ok++
	t.res.latencies = append(t.res.latencies, d)
}

// done returns the result, its latencies sorted, timed from start.
func (t *timings) done(start time.Time) result {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.res
	r.elapsed = time.Since(start)
	return sorted(r)
}

// sorted sorts r's latencies, as percentile needs.
func sorted(r result) result {
	slices.Sort(r.latencies)
	return r
}

// pace calls send(i) for i = 0..n-1, call i at i/rate seconds after start
// whatever came before (an open loop; rate 0: back to back), until ctx ends,
// send returns false or maxTime has passed. It returns how many it called.
func pace(ctx context.Context, start time.Time, n, rate int, maxTime time.Duration, send func(i int) bool) int {
	for i := 0; i < n; i++ {
		if rate > 0 {
			if d := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); d > 0 {
				time.Sleep(d)
			}
		}
		if ctx.Err() != nil || time.Since(start) > maxTime || !send(i) {
			return i
		}
	}
	return n
}

// quietWait is how long a long-connection phase waits for answers once
// none has come: the service answers or gives up on a message within
// seconds (its handling is bounded), and the fakes do not redeliver.
const quietWait = 10 * time.Second

// awaitAnswers polls answered() until it reports all sent messages done,
// ctx ends, maxTime has passed since start, or no new answer came for
// quietWait.
func awaitAnswers(ctx context.Context, start time.Time, maxTime time.Duration, every time.Duration, answered func() (got int, all bool)) {
	last, lastAt := -1, time.Now()
	for ctx.Err() == nil && time.Since(start) < maxTime {
		got, all := answered()
		if all {
			return
		}
		if got != last {
			last, lastAt = got, time.Now()
		} else if time.Since(lastAt) > quietWait {
			return
		}
		time.Sleep(every)
	}
}

// window bounds the reports in flight on a long connection in an unpaced
// phase, as the HTTP senders do for callbacks: take before sending, give
// back on the answer. A report left unanswered for quietWait is given up
// on: take goes ahead without its slot. A nil window bounds nothing.
type window chan struct{}

func newWindow(rate, conc int) window {
	if rate > 0 || conc <= 0 {
		return nil
	}
	return make(window, conc)
}

func (w window) take() {
	if w == nil {
		return
	}
	select {
	case w <- struct{}{}:
	case <-time.After(quietWait):
	}
}

func (w window) give() {
	if w == nil {
		return
	}
	select {
	case <-w:
	default:
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// runConcurrent runs fn(0..n-1) on conc workers, timing each call, and
// stops starting calls after maxTime.
func runConcurrent(n, conc int, maxTime time.Duration, fn func(i int) error) result {
	var next atomic.Int64
	var t timings
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || time.Since(start) > maxTime {
					return
				}
				t0 := time.Now()
				err := fn(i)
				t.add(time.Since(t0), err)
			}
		}()
	}
	wg.Wait()
	return t.done(start)
}
