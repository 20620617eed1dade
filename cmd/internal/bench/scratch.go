package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"

	gomysql "github.com/go-sql-driver/mysql"
)

// scratch is where one run keeps its data: a database created on the
// MySQL server (dropped afterwards), or a temporary directory for the
// embedded default (removed afterwards).
type scratch struct {
	name     string // salesbot_bench_<random>: the database, and the Redis key prefix
	mysqlDSN string // the scratch database; "" on the embedded default
	dataDir  string // the scratch directory on the embedded default
	remove   func()
}

// newScratch makes a scratch database on the server of mysqlDSN, or a
// scratch directory when mysqlDSN is empty.
func newScratch(ctx context.Context, mysqlDSN string) (scratch, error) {
	suffix := make([]byte, 4)
	rand.Read(suffix)
	s := scratch{name: "salesbot_bench_" + hex.EncodeToString(suffix)}
	if mysqlDSN == "" {
		dir, err := os.MkdirTemp("", s.name)
		if err != nil {
			return s, err
		}
		s.dataDir, s.remove = dir, func() { os.RemoveAll(dir) }
		return s, nil
	}
	dsn, err := gomysql.ParseDSN(mysqlDSN)
	if err != nil {
		return s, fmt.Errorf("SALESBOT_MYSQL_DSN: %w", err)
	}
	server := dsn.Clone()
	server.DBName = ""
	admin, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		return s, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+s.name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		admin.Close()
		return s, fmt.Errorf("create bench database: %w", err)
	}
	dsn.DBName = s.name
	s.mysqlDSN = dsn.FormatDSN()
	s.remove = func() {
		admin.ExecContext(context.Background(), "DROP DATABASE `"+s.name+"`")
		admin.Close()
	}
	return s, nil
}
