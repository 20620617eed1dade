// Package store keeps salesbot's records with GORM, on MySQL or on an
// embedded SQLite file. It implements domain.Store; every line of SQL in the
// project lives here.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	gomysql "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"

	"salesbot/domain"
)

// Config says which database to use.
type Config struct {
	// MySQLDSN selects MySQL (go-sql-driver syntax). Whatever the DSN says,
	// times are read and written in UTC.
	MySQLDSN string
	// DataDir holds the embedded database file salesbot.db when MySQLDSN is
	// empty. It is created if missing.
	DataDir string
	// AutoMigrate migrates the MySQL schema on Open. The embedded database
	// is always migrated on Open.
	AutoMigrate bool
	// Logger receives slow queries and failed statements; nil discards them.
	Logger *slog.Logger
}

// Store implements domain.Store. A Store handed to an InTx callback is bound
// to that transaction.
type Store struct {
	db   *gorm.DB
	inTx bool
	// uncomputed: customers' activity columns may hold rows not computed
	// yet (activity.go); shared with the Stores bound to transactions.
	uncomputed *atomic.Bool
}

var _ domain.Store = (*Store)(nil)

// Open connects to the database cfg names.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gcfg := &gorm.Config{
		Logger:                 newLogger(log),
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	var (
		s       *Store
		migrate bool
		err     error
	)
	if cfg.MySQLDSN != "" {
		s, err = openMySQL(cfg.MySQLDSN, gcfg)
		migrate = cfg.AutoMigrate
	} else {
		s, err = openSQLite(cfg.DataDir, gcfg)
		migrate = true
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if migrate {
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func openMySQL(dsn string, gcfg *gorm.Config) (*Store, error) {
	mc, err := gomysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("open mysql: bad DSN: %w", err)
	}
	mc.ParseTime = true
	mc.Loc = time.UTC
	// Report matched rather than changed rows, as SQLite does, so that an
	// update that changes nothing is not mistaken for a missing row.
	mc.ClientFoundRows = true
	// Send each statement in one round trip instead of prepare, execute and
	// close: safe with the utf8mb4 connection charset, and it roughly halves
	// the time of the many small statements a report makes.
	mc.InterpolateParams = true
	precision := 6
	db, err := gorm.Open(mysql.New(mysql.Config{DSNConfig: mc, DefaultDatetimePrecision: &precision}), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open mysql %s@%s/%s: %w", mc.User, mc.Addr, mc.DBName, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	sqlDB.SetMaxOpenConns(32)
	sqlDB.SetMaxIdleConns(32)
	sqlDB.SetConnMaxLifetime(5 * time.Minute)
	return newStore(db), nil
}

// openSQLite opens DataDir/salesbot.db in WAL mode. Transactions begin
// IMMEDIATE, so a writer waits (busy_timeout) for the single write lock at
// BEGIN instead of failing later when a read lock cannot be upgraded.
func openSQLite(dir string, gcfg *gorm.Config) (*Store, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("open embedded database: %w", err)
	}
	path := filepath.Join(dir, "salesbot.db")
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(dsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open embedded database %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open embedded database: %w", err)
	}
	// One writer at a time anyway; a few connections let reads run beside it.
	sqlDB.SetMaxOpenConns(4)
	sqlDB.SetMaxIdleConns(4)
	return newStore(db), nil
}

// newStore wraps a connection pool; until a look finds none, readers
// expect uncomputed activity rows (an upgrade not migrated yet).
func newStore(db *gorm.DB) *Store {
	s := &Store{db: db, uncomputed: new(atomic.Bool)}
	s.uncomputed.Store(true)
	return s
}

// DB is the underlying GORM handle, for other store-side code.
func (s *Store) DB() *gorm.DB { return s.db }

// Dialect is "mysql" or "sqlite".
func (s *Store) Dialect() string { return s.db.Dialector.Name() }

// Close releases the connections. It is a no-op on a transaction-bound Store.
func (s *Store) Close() error {
	if s.inTx {
		return nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Exec("SELECT 1").Error; err != nil {
		return fmt.Errorf("ping database: %w", translate(err))
	}
	return nil
}

// InTx runs fn in a transaction with a Store bound to it. On a Store that
// is already bound to one, fn simply runs with that Store.
func (s *Store) InTx(ctx context.Context, fn func(tx domain.Store) error) error {
	if s.inTx {
		return fn(s)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, inTx: true, uncomputed: s.uncomputed})
	})
	return translate(err)
}

// tx runs fn in a transaction bound to a *Store, for store methods that
// write more than one row.
func (s *Store) tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.InTx(ctx, func(tx domain.Store) error { return fn(tx.(*Store)) })
}

// q is the handle for one operation.
func (s *Store) q(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }
