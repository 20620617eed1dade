package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// The targets (issue #9): at the paced rate, p99 from frame in to reply
// out under 100 ms; unpaced, at least 60% of the storage limit.
const (
	targetP99   = 100 * time.Millisecond
	targetRatio = 0.60
)

// row is one line of the table.
type row struct {
	path    string
	rate    int // reports per second asked for; 0: unpaced
	r       result
	storage bool // the storage limit itself
}

const rowFormat = "%-28s %6s %6s %6s %7s %9s %8s %8s %8s  %s\n"

// printTable prints the rows as one table, each against the storage
// limit's throughput and the targets.
func printTable(w io.Writer, rows []row) {
	var limit float64
	for _, x := range rows {
		if x.storage {
			limit = x.r.throughput()
		}
	}
	fmt.Fprintf(w, rowFormat, "path", "pace", "ok", "failed", "seconds", "reports/s", "p50 ms", "p99 ms", "storage", "target")
	for _, x := range rows {
		pace, ratio, verdict := "open", "-", ""
		if x.rate > 0 {
			pace = fmt.Sprintf("%d/s", x.rate)
			verdict = check(x.r.percentile(0.99) < targetP99 && x.r.failed == 0, fmt.Sprintf("p99 < %d ms", targetP99.Milliseconds()))
		}
		if limit > 0 && x.rate == 0 {
			f := x.r.throughput() / limit
			ratio = fmt.Sprintf("%.0f%%", 100*f)
			if !x.storage {
				verdict = check(f >= targetRatio && x.r.failed == 0, fmt.Sprintf(">= %.0f%% of storage", 100*targetRatio))
			}
		}
		line := fmt.Sprintf(rowFormat, x.path, pace, fmt.Sprint(x.r.ok), fmt.Sprint(x.r.failed),
			fmt.Sprintf("%.2f", x.r.elapsed.Seconds()), fmt.Sprintf("%.1f", x.r.throughput()),
			ms(x.r.percentile(0.50)), ms(x.r.percentile(0.99)), ratio, verdict)
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func check(ok bool, what string) string {
	if ok {
		return "ok   " + what
	}
	return "MISS " + what
}

// loadAverage is the machine's load as uptime shows it, with the CPU
// count: figures taken on a busy machine are not comparable.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if err != nil || len(f) < 3 {
		return fmt.Sprintf("load average unknown, %d CPUs", runtime.NumCPU())
	}
	return fmt.Sprintf("load average %s %s %s (1, 5, 15 min), %d CPUs", f[0], f[1], f[2], runtime.NumCPU())
}
