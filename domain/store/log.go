package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// slowQuery is how long a statement may take before it is logged.
const slowQuery = 200 * time.Millisecond

// gormLogger adapts GORM's logger to slog: failed statements and slow ones
// are logged, the rest is not. SQL is logged with placeholders, never with
// the values (they hold personal data and robot secrets).
type gormLogger struct {
	log *slog.Logger
}

func newLogger(log *slog.Logger) gormLogger { return gormLogger{log: log} }

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// ParamsFilter keeps values out of the SQL handed to Trace.
func (l gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	level, msg := slog.LevelError, "sql failed"
	switch {
	case err == nil && elapsed < slowQuery:
		return
	case err == nil:
		level, msg = slog.LevelWarn, "sql slow"
	case errors.Is(err, gorm.ErrRecordNotFound), errors.Is(err, gorm.ErrDuplicatedKey):
		return // expected outcomes, reported to the caller as domain errors
	case retryable(err), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		level = slog.LevelWarn
	}
	if !l.log.Enabled(ctx, level) {
		return
	}
	sql, rows := fc()
	attrs := []any{"sql", sql, "rows", rows, "elapsed_ms", elapsed.Milliseconds()}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	l.log.Log(ctx, level, msg, attrs...)
}
