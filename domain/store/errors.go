package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	gosqlite "github.com/glebarez/go-sqlite"
	gomysql "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
	sqlite3 "modernc.org/sqlite/lib"

	"salesbot/domain"
)

// MySQL server error numbers that mean "run the transaction again".
const (
	mysqlLockWaitTimeout = 1205
	mysqlDeadlock        = 1213
)

// translate maps driver and GORM errors onto the domain sentinels, keeping
// the original in the chain. Errors that already carry a *domain.Error, and
// errors it does not know, are returned unchanged.
func translate(err error) error {
	var de *domain.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%w: %w", domain.ErrNotFound, err)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %w", domain.ErrConflict, err)
	case retryable(err):
		return fmt.Errorf("%w: %w", domain.ErrRetry, err)
	case unreachable(err):
		return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
	}
	return err
}

// unreachable reports a connection to the database that could not be made
// or broke: refused, reset, closed mid-answer. A timeout (a slow or
// overloaded server) is not one.
func unreachable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, gomysql.ErrInvalidConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// retryable reports a deadlock, a lock wait timeout or a busy embedded
// database.
func retryable(err error) bool {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == mysqlDeadlock || me.Number == mysqlLockWaitTimeout
	}
	var se *gosqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// wrap translates err and says what was being done.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), translate(err))
}

// mustAffect turns "no row matched" into ErrNotFound.
func mustAffect(res *gorm.DB, format string, args ...any) error {
	if res.Error != nil {
		return wrap(res.Error, format, args...)
	}
	if res.RowsAffected == 0 {
		return wrap(domain.ErrNotFound, format, args...)
	}
	return nil
}
