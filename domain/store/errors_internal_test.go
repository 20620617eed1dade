package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"

	"salesbot/domain"
)

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

// An unreachable database is told apart from a slow one: only the first is
// ridden out by journaling (bot.Journaled); the second is an error the
// platform retries.
func TestTranslateUnreachable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"refused", fmt.Errorf("begin: %w", refused), true},
		{"bad connection", driver.ErrBadConn, true},
		{"invalid connection", gomysql.ErrInvalidConn, true},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, true},
		{"timeout", &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}, false},
		{"deadline", context.DeadlineExceeded, false},
		{"duplicate key", &gomysql.MySQLError{Number: 1062}, false},
	} {
		if got := errors.Is(translate(tc.err), domain.ErrUnavailable); got != tc.want {
			t.Errorf("%s: unavailable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
