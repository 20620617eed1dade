package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"salesbot/domain/domaintest"
)

// RunJobs seeds a tiny MySQL database, runs every job it times, and
// reuses the seed on a second run.
func TestRunJobsTiny(t *testing.T) {
	dsn := domaintest.MySQLDSN()
	db := fmt.Sprintf("salesbot_jobbench_test_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		cfg, err := gomysql.ParseDSN(dsn)
		if err != nil {
			return
		}
		cfg.DBName = ""
		if admin, err := sql.Open("mysql", cfg.FormatDSN()); err == nil {
			admin.Exec("DROP DATABASE IF EXISTS `" + db + "`")
			admin.Close()
		}
	})
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	o := JobOptions{DSN: dsn, DB: db, Teams: 2, Reps: 4, Deals: 8, Visits: 40, Years: 1, NoCharts: true, TZ: loc}
	for _, want := range []string{"seeding " + db, "already holds"} {
		var out bytes.Buffer
		if err := RunJobs(context.Background(), o, &out, io.Discard); err != nil {
			t.Fatalf("RunJobs: %v\n%s", err, out.String())
		}
		t.Logf("\n%s", out.String())
		for _, line := range []string{want, "pool 03:00 ", "morning 08:30 ", "cold ", "warm "} {
			if !strings.Contains(out.String(), line) {
				t.Errorf("output lacks %q", line)
			}
		}
	}
}
