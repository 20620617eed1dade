package store

import (
	"context"
	"database/sql/driver"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// mysqlTableOptions gives every MySQL table full Unicode (Chinese names,
// emoji in messages).
const mysqlTableOptions = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"

// rows lists every table, in creation order.
func rows() []any {
	return []any{
		&teamRow{}, &memberRow{},
		&customerRow{}, &aliasRow{}, &contactRow{},
		&dealRow{}, &stageChangeRow{},
		&visitRow{}, &taskRow{}, &targetRow{},
		&pushRow{}, &pushImageRow{}, &settingRow{}, &calendarRow{}, &auditRow{},
		&ownerChangeRow{},
	}
}

// Migrate creates or upgrades the tables and indexes. It is safe to run
// again on an up-to-date schema.
func (s *Store) Migrate(ctx context.Context) error {
	db := s.q(ctx)
	if s.Dialect() == "mysql" {
		db = db.Set("gorm:table_options", mysqlTableOptions)
	}
	if err := db.AutoMigrate(rows()...); err != nil {
		return fmt.Errorf("migrate: %w", translate(err))
	}
	if err := s.backfillStageChangeTeams(ctx); err != nil {
		return err
	}
	if err := s.backfillOwnedSince(ctx); err != nil {
		return err
	}
	if err := s.refreshStaleActivity(ctx, ""); err != nil {
		return err
	}
	s.uncomputed.Store(false)
	return nil
}

// key is a string column compared byte for byte on every backend: names,
// lookup keys and platform ids. MySQL's utf8mb4_unicode_ci would otherwise
// treat "ABC" and "abc" (or full- and half-width brackets) as one value,
// which SQLite does not, and a message id differing only in case as a
// redelivery. Lookups that ignore case use a lower-cased key column.
type key string

// GormDBDataType pins the binary collation on MySQL.
func (key) GormDBDataType(db *gorm.DB, f *schema.Field) string { return keyType(db, f) }

// nullKey is a key stored as NULL when empty, so that a unique index on it
// admits any number of unset values.
type nullKey string

// GormDBDataType pins the binary collation on MySQL.
func (nullKey) GormDBDataType(db *gorm.DB, f *schema.Field) string { return keyType(db, f) }

// Value stores "" as NULL.
func (k nullKey) Value() (driver.Value, error) {
	if k == "" {
		return nil, nil
	}
	return string(k), nil
}

// Scan reads NULL as "".
func (k *nullKey) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*k = ""
	case string:
		*k = nullKey(v)
	case []byte:
		*k = nullKey(v)
	default:
		return fmt.Errorf("nullKey: cannot scan %T", v)
	}
	return nil
}

func keyType(db *gorm.DB, f *schema.Field) string {
	size := f.Size
	if size == 0 {
		size = 191
	}
	if db.Dialector.Name() == "mysql" {
		return fmt.Sprintf("varchar(%d) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", size)
	}
	return "text"
}
