package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/domain/domaintest"
)

// TestBenchEachPath runs `salesbot bench` at a tiny load through every
// path (WeCom callbacks, the DingTalk Stream and the WeCom AI bot long
// connections, the storage limit), on the embedded default and on MySQL
// and Redis, and checks that every report answered was stored (bench
// fails otherwise) and that the table has a row for each phase
// accounting for every report.
func TestBenchEachPath(t *testing.T) {
	t.Run("embedded", func(t *testing.T) { benchEachPath(t, map[string]string{}) })
	t.Run("mysql+redis", func(t *testing.T) {
		redisURL := os.Getenv("SALESBOT_TEST_REDIS_URL")
		if redisURL == "" {
			redisURL = "redis://127.0.0.1:6379/15"
		}
		benchEachPath(t, map[string]string{"SALESBOT_MYSQL_DSN": domaintest.MySQLDSN(), "SALESBOT_REDIS_URL": redisURL})
	})
}

func benchEachPath(t *testing.T, env map[string]string) {
	const n = 20
	out, err := runCmd(t, env, "bench", "-n", fmt.Sprint(n), "-rate", "50", "-reps", "5", "-customers", "8", "-max-time", time.Minute.String())
	t.Logf("output:\n%s", out)
	if err != nil {
		t.Fatalf("bench: %v", err)
	}
	rows := benchRows(out)
	for _, want := range []string{
		"wecom callback (HTTP) 50/s", "wecom callback (HTTP) open",
		"dingtalk stream 50/s", "dingtalk stream open",
		"wecom aibot long conn 50/s", "wecom aibot long conn open",
		"storage limit (domain only) open",
	} {
		f, ok := rows[want]
		if !ok {
			t.Errorf("no row %q", want)
			continue
		}
		// Under load some may miss the service's handling deadline; each
		// report is still counted once.
		answered, _ := strconv.Atoi(f[0])
		failed, _ := strconv.Atoi(f[1])
		if answered+failed != n {
			t.Errorf("%s: %s ok + %s failed; want %d in all", want, f[0], f[1], n)
		}
	}
	if !strings.Contains(out, "bench: before: load average") || !strings.Contains(out, "bench: after: load average") {
		t.Errorf("the load is not printed next to the figures")
	}
}

// benchRows reads the table: "path pace" → the fields after them.
func benchRows(out string) map[string][]string {
	rows := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		for i, w := range f {
			if (w == "open" || strings.HasSuffix(w, "/s")) && i > 0 && i+1 < len(f) {
				rows[strings.Join(f[:i+1], " ")] = f[i+1:]
				break
			}
		}
	}
	return rows
}

// TestBenchOnePath drives only the AI bot's long connection: the other
// paths are left out of the table.
func TestBenchOnePath(t *testing.T) {
	out, err := runCmd(t, map[string]string{}, "bench", "-paths", "aibot", "-n", "5", "-rate", "50", "-reps", "2", "-customers", "3")
	t.Logf("output:\n%s", out)
	if err != nil {
		t.Fatalf("bench: %v", err)
	}
	rows := benchRows(out)
	if _, ok := rows["wecom aibot long conn open"]; !ok {
		t.Errorf("no AI bot row")
	}
	for r := range rows {
		if strings.HasPrefix(r, "wecom callback") || strings.HasPrefix(r, "dingtalk") {
			t.Errorf("row %q for a path not asked for", r)
		}
	}
	if _, err := runCmd(t, map[string]string{}, "bench", "-paths", "carrier-pigeon"); err == nil || !strings.Contains(err.Error(), "unknown path") {
		t.Errorf("bench -paths carrier-pigeon: err = %v, want unknown path", err)
	}
}
