package dingtalk

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits and timings (platforms.md §4, §6.2).
const (
	// callbackSkew: a callback's timestamp must be this close to our clock.
	callbackSkew = time.Hour
	// maxCallbackBody: larger callback bodies are refused with 413. Real
	// ones are a few KB.
	maxCallbackBody = 1 << 20
	// handleTimeout bounds Handler.Handle; DingTalk's own callback timeout
	// is undocumented (client code assumes a few seconds).
	handleTimeout = 4 * time.Second
	// replyTimeout bounds sending a callback's replies after the callback
	// has been answered.
	replyTimeout = 15 * time.Second
	// httpTimeout is the default client's timeout per request.
	httpTimeout = 10 * time.Second
	// maxIdleConnsPerHost: the default client keeps this many connections
	// to each DingTalk host (Go's default is 2).
	maxIdleConnsPerHost = 32

	// sessionMargin: a sessionWebhook this close to its expiry is treated
	// as expired and the robot send APIs are used instead.
	sessionMargin = time.Minute
	// tokenMargin: the access token (7200 s) is refreshed this long before
	// it expires.
	tokenMargin = 5 * time.Minute

	// Custom robots take 20 messages per minute and are throttled for 10
	// minutes beyond that. The shared limiter counts fixed windows, so a
	// 60 s span can overlap 5 windows of 15 s: 4 per window keeps any
	// minute at 20 or fewer.
	robotLimit  = 4
	robotWindow = 15 * time.Second

	// maxBodyBytes is the most text (UTF-8 bytes) put in one message.
	// DingTalk documents 15000 bytes for groupMessages msgParam only; 6000
	// leaves room for JSON escaping and the title.
	maxBodyBytes = 6000
	// maxParts: a longer text is sent as at most this many messages, the
	// last one ending with a pointer to what was left out.
	maxParts = 3
	// maxTitleRunes bounds a markdown title (the chat list preview).
	maxTitleRunes = 24
	// maxButtons: robot send API action cards carry up to 5 buttons.
	maxButtons = 5
)

// splitText cuts s into parts of at most max bytes, at line breaks where it
// can. When more than parts parts would be needed, the last part is trimmed
// and ends with a note of how much was left out.
func splitText(s string, max, parts int) []string {
	var out []string
	for len(s) > max {
		if len(out) == parts-1 {
			return append(out, trimText(s, max))
		}
		cut := cutPoint(s, max)
		out = append(out, strings.TrimRight(s[:cut], " \n"))
		s = strings.TrimLeft(s[cut:], "\n")
	}
	return append(out, s)
}

// trimText shortens s to at most max bytes, ending with "more" pointer.
func trimText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const room = 64 // the note below, with a large count, fits in this
	cut := cutPoint(s, max-room)
	left := utf8.RuneCountInString(s[cut:])
	return strings.TrimRight(s[:cut], " \n") + fmt.Sprintf("\n\n……（内容过长，其余 %d 字未显示）", left)
}

// cutPoint is where to cut s to keep at most max bytes: after the last line
// break in the second half of that span, else at a rune boundary.
func cutPoint(s string, max int) int {
	if i := strings.LastIndexByte(s[:max], '\n'); i >= max/2 {
		return i + 1
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return cut
}

// memLimiter is a fixed-window RateLimiter for one process, used when no
// shared limiter is given.
type memLimiter struct {
	now func() time.Time

	mu     sync.Mutex
	counts map[string]int
}

func newMemLimiter(now func() time.Time) *memLimiter {
	return &memLimiter{now: now, counts: map[string]int{}}
}

func (l *memLimiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, error) {
	slot := l.now().UnixNano() / int64(window)
	k := fmt.Sprintf("%s:%d", key, slot)
	l.mu.Lock()
	defer l.mu.Unlock()
	for old := range l.counts { // drop past windows; the map stays small
		if old != k && strings.HasPrefix(old, key+":") {
			delete(l.counts, old)
		}
	}
	l.counts[k]++
	return l.counts[k] <= limit, nil
}
