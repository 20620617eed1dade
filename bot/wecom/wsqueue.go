package wecom

import (
	"encoding/json"
	"sync"
	"unicode/utf8"
)

// Outcomes of the long connection's inbound frames, for Deps.OnFrame.
const (
	frameAcked    = "acked"     // handled; answered (or its replies sent as new messages)
	frameNotAcked = "not_acked" // the Handler failed: not answered, WeCom may deliver it again
	frameIgnored  = "ignored"   // nothing to store or say (enter_chat, feedback, pictures)
	frameBad      = "bad"       // an unusable body
	frameShed     = "shed"      // refused by the full queue: not handled, not answered
)

// countFrame tells Deps.OnFrame a frame's outcome.
func (w *WeCom) countFrame(outcome string) {
	if w.frameHook != nil {
		w.frameHook(outcome)
	}
}

// frameQueue hands the long connection's inbound frames (messages and
// events) to a fixed number of workers. The read loop only offers frames
// and never waits for room: a handler may itself wait for an answer frame
// (its reply's ack, a push's ack) that only the read loop can read, so a
// read loop blocked on handler capacity could deadlock. Answers to our own
// requests are routed by the read loop directly (socket.answer).
//
// A frame offered when the queue is full is refused: it is neither handled
// nor answered, and the caller logs and counts it (WeCom may deliver an
// unanswered callback again, platforms.md §2.7; the fake does on the next
// connection). The queue outlives connections: a frame whose connection
// ended while it waited is still handled, and its answer goes out as a new
// message, like a frame in hand when the connection drops.
type frameQueue struct {
	mu     sync.RWMutex // guards closed against offers racing close
	closed bool
	ch     chan queuedFrame
	wg     sync.WaitGroup
}

type queuedFrame struct {
	s *socket
	f frame
}

// newFrameQueue starts workers goroutines calling handle for each frame,
// with room for size frames waiting.
func newFrameQueue(workers, size int, handle func(*socket, frame)) *frameQueue {
	q := &frameQueue{ch: make(chan queuedFrame, size)}
	q.wg.Add(workers)
	for range workers {
		go func() {
			defer q.wg.Done()
			for qf := range q.ch {
				handle(qf.s, qf.f)
			}
		}()
	}
	return q
}

// offer queues f without waiting; false: the queue is full or closed, and
// f was not taken.
func (q *frameQueue) offer(s *socket, f frame) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return false
	}
	select {
	case q.ch <- queuedFrame{s, f}:
		return true
	default:
		return false
	}
}

// close refuses further frames and returns once every queued frame has
// been handled: on shutdown the frames in hand are stored, not left to a
// redelivery WeCom does not promise.
func (q *frameQueue) close() {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
	q.mu.Unlock()
	q.wg.Wait()
}

// refuse logs and counts an inbound frame the queue did not take. It is
// not answered, so WeCom does not take it for handled; the body is logged
// so that an operator can recover the message should WeCom not deliver it
// again.
func (w *WeCom) refuse(f frame) {
	var b struct {
		MsgID string `json:"msgid"`
		From  struct {
			UserID string `json:"userid"`
		} `json:"from"`
		ChatID string `json:"chatid"`
	}
	_ = json.Unmarshal(f.Body, &b)
	w.log.Error("wecom AI bot frame queue full (or shutting down): frame not handled and not answered, WeCom may deliver it again",
		"cmd", f.Cmd, "req_id", f.Headers.ReqID, "msg_id", b.MsgID, "user_id", b.From.UserID, "chat_id", b.ChatID,
		"queue", w.cfg.LongConn.QueueSize, "body", clipBody(f.Body, 2000))
	w.countFrame(frameShed)
}

// clipBody is at most n bytes of a frame body, for a log line.
func clipBody(b json.RawMessage, n int) string {
	if len(b) <= n {
		return string(b)
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "…"
}
