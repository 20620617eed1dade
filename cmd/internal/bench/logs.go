package bench

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"sync"
)

// serviceLog collects what the service under test logs at error level:
// under overload it logs every report it could not take, which would
// bury the table. It keeps the first few lines and counts the rest.
type serviceLog struct {
	mu    sync.Mutex
	first bytes.Buffer
	lines int
}

const keptLogLines = 5

func (l *serviceLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines++
	if l.lines <= keptLogLines {
		l.first.Write(p)
	}
	return len(p), nil
}

// logger is the service's logger, errors only.
func (l *serviceLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelError}))
}

// summary prints how many errors the service logged, and the first ones.
func (l *serviceLog) summary(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lines == 0 {
		return
	}
	fmt.Fprintf(w, "bench: the service logged %d errors; the first %d:\n%s", l.lines, min(l.lines, keptLogLines), l.first.String())
}
