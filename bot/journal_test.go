package bot_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/parse"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

// outage is a router on MySQL reached through a proxy the test can cut,
// real Redis for claims and the journal, and a sender that records what the
// journal delivers.
type outage struct {
	proxy  *domaintest.Proxy
	store  *store.Store
	router *bot.Router
	kv     bot.Journal
	claims bot.Claims
	sent   *recorder
	demo   domaintest.Demo
	log    *slog.Logger
}

type recorder struct {
	mu      sync.Mutex
	replies []bot.Reply
}

func (r *recorder) Send(_ context.Context, rep bot.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, rep)
	return nil
}

func (r *recorder) cards() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, rep := range r.replies {
		if rep.Card != nil {
			out[rep.Card.ID]++
		}
	}
	return out
}

func newOutage(t *testing.T) *outage {
	t.Helper()
	gomysql.SetLogger(log.New(io.Discard, "", 0)) // the cut connections' complaints
	cfg, err := gomysql.ParseDSN(domaintest.FreshMySQLDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := domaintest.NewProxy(t, cfg.Addr)
	cfg.Addr = proxy.Addr()
	cfg.Timeout, cfg.ReadTimeout, cfg.WriteTimeout = time.Second, 2*time.Second, 2*time.Second
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{MySQLDSN: cfg.FormatDSN(), AutoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	k := bottest.MustKV(t, true)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	svc := domain.NewService(st, loc, time.Now)
	demo := domaintest.Seed(t, ctx, st)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := bot.NewRouter(svc, k, k, bot.NewParser(st, parse.Lexicon{}), log, bot.Options{})
	return &outage{proxy: proxy, store: st, router: r, kv: k, claims: k, sent: &recorder{}, demo: demo, log: log}
}

func (o *outage) journaled() *bot.Journaled {
	jd := bot.NewJournaled(o.router, o.kv, o.store, o.claims, o.sent, o.log)
	jd.Poll = 20 * time.Millisecond
	return jd
}

// report is the i-th report of the run: each rep, customer of the rep's
// team and day once, so that no two ask to be merged.
func (o *outage) report(i int) bot.Message {
	reps := o.demo.EastReps
	var custs []domain.Customer
	for _, c := range o.demo.Customers {
		if c.TeamID == o.demo.East.ID {
			custs = append(custs, c)
		}
	}
	rep, cust := reps[i%len(reps)], custs[(i/len(reps))%len(custs)]
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -i/(len(reps)*len(custs)))
	text := fmt.Sprintf("%d年%d月%d日拜访了%s张总，聊了设备联网", day.Year(), day.Month(), day.Day(), cust.Name)
	return bot.Message{Platform: domain.PlatformSim, ID: fmt.Sprintf("outage-%d", i), UserID: rep.SimUserID, Text: text, At: time.Now()}
}

func (o *outage) visits(t *testing.T) (total, distinct int) {
	t.Helper()
	vs, err := o.store.ListVisits(context.Background(), domain.VisitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range vs {
		seen[v.SourceMsgID] = true
	}
	return len(vs), len(seen)
}

// waitDrained waits until the journal is empty, allowing a generous 50 ms
// an entry (a loaded CI machine), and says how long it took.
func (o *outage) waitDrained(t *testing.T) time.Duration {
	t.Helper()
	start := time.Now()
	left, _ := o.kv.JournalLen(context.Background())
	deadline := start.Add(30*time.Second + time.Duration(left)*50*time.Millisecond)
	for {
		n, err := o.kv.JournalLen(context.Background())
		if err == nil && n == 0 {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("journal still holds %d entries (%v)", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A database outage in the middle of a stream of reports loses nothing and
// duplicates nothing: every message is acknowledged, those the database
// could not take are journaled and applied in order once it is back, and
// each rep gets the normal card for every report.
func TestDatabaseOutageLosesNothing(t *testing.T) {
	var err error
	o := newOutage(t)
	jd := o.journaled()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go jd.Run(ctx)

	// A steady 20 reports/s: 1 s before the outage, the outage, 2 s after.
	// SALESBOT_TEST_OUTAGE sets its length (default 6s; try 5m by hand).
	down := 6 * time.Second
	if v := os.Getenv("SALESBOT_TEST_OUTAGE"); v != "" {
		if down, err = time.ParseDuration(v); err != nil {
			t.Fatal(err)
		}
	}
	const every = 50 * time.Millisecond
	cut, back := int(time.Second/every), int((time.Second+down)/every)
	n := back + int(2*time.Second/every)
	direct, busy := map[string]bool{}, 0
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 0; i < n; i++ {
		<-tick.C
		switch i {
		case cut:
			o.proxy.Cut()
		case back:
			o.proxy.Restore()
		}
		m := o.report(i)
		for try := 0; try < 1+i%2; try++ { // every other message is delivered twice
			replies, err := jd.Handle(context.Background(), m)
			if err != nil {
				t.Fatalf("message %d not acknowledged: %v", i, err)
			}
			for _, r := range replies {
				switch {
				case r.Card != nil:
					direct[r.Card.ID] = true
				case r.Text == bot.Busy:
					busy++
				}
			}
		}
	}
	if busy == 0 {
		t.Fatal("no message was journaled: the outage did not happen")
	}
	left, _ := o.kv.JournalLen(context.Background())
	took := o.waitDrained(t)
	total, distinct := o.visits(t)
	cards := o.sent.cards()
	t.Logf("outage of %s: %d reports, %d answers %q, %d journal entries left at the end, applied in %s; %d stored, %d distinct, %d cards direct, %d cards after the outage",
		down, n, busy, bot.Busy, left, took.Round(time.Millisecond), total, distinct, len(direct), len(cards))
	if total != n || distinct != n {
		t.Errorf("stored %d visits (%d distinct), want %d", total, distinct, n)
	}
	for id, k := range cards {
		if k != 1 || direct[id] {
			t.Errorf("card %s sent %d times after the outage (direct: %v)", id, k, direct[id])
		}
	}
	if len(direct)+len(cards) != n {
		t.Errorf("%d cards direct + %d after the outage, want %d", len(direct), len(cards), n)
	}
}

// An applier that stops in the middle of the journal (its replica died)
// hands over to another after its turn expires; still one record each.
func TestJournalApplierKilledMidway(t *testing.T) {
	o := newOutage(t)
	a := o.journaled()
	o.proxy.Cut()
	const n = 12
	for i := 0; i < n; i++ {
		if _, err := a.Handle(context.Background(), o.report(i)); err != nil {
			t.Fatal(err)
		}
	}
	if l, _ := o.kv.JournalLen(context.Background()); l != n {
		t.Fatalf("journal holds %d, want %d", l, n)
	}
	o.proxy.Restore()

	// Replica A applies a few entries, then dies while holding the turn.
	dying := &dyingHandler{h: o.router, after: 4, died: make(chan struct{}), grave: make(chan struct{})}
	t.Cleanup(func() { close(dying.grave) })
	dead := bot.NewJournaled(dying, o.kv, o.store, o.claims, o.sent, o.log)
	dead.Turn = time.Second
	go func() { // as Run would: until it hangs (a busy machine may delay its first turn)
		for fails := map[string]int{}; ; time.Sleep(10 * time.Millisecond) {
			select {
			case <-dying.died:
				return
			default:
			}
			dead.Drain(context.Background(), fails)
		}
	}()
	select {
	case <-dying.died:
	case <-time.After(2 * time.Minute):
		t.Fatal("the first applier never took its turn")
	}

	// Replica B takes over once A's turn has run out.
	b := o.journaled()
	b.Turn = time.Second
	ctxB, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Run(ctxB)
	o.waitDrained(t)
	if total, distinct := o.visits(t); total != n || distinct != n {
		t.Errorf("stored %d visits (%d distinct), want %d", total, distinct, n)
	}
	cards := o.sent.cards()
	for id, k := range cards {
		if k != 1 {
			t.Errorf("card %s sent %d times", id, k)
		}
	}
	if len(cards) != n {
		t.Errorf("%d cards, want %d", len(cards), n)
	}
}

// dyingHandler handles `after` messages, then hangs for good (until the
// test ends), as a replica killed mid-apply: it never releases its turn.
type dyingHandler struct {
	h     bot.Handler
	after int
	n     int
	died  chan struct{} // closed when it hangs
	grave chan struct{} // closed when the test ends
}

func (d *dyingHandler) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	d.n++
	if d.n > d.after {
		close(d.died)
		<-d.grave
		return nil, fmt.Errorf("killed")
	}
	return d.h.Handle(ctx, m)
}

// With Redis down as well the message is refused, so that the platform
// retries it: nothing is acknowledged that is not kept somewhere.
func TestOutageWithoutJournalIsRefused(t *testing.T) {
	o := newOutage(t)
	jd := bot.NewJournaled(o.router, brokenJournal{}, o.store, o.claims, o.sent, o.log)
	o.proxy.Cut()
	if _, err := jd.Handle(context.Background(), o.report(0)); err == nil {
		t.Fatal("acknowledged with neither database nor journal")
	}
}

type brokenJournal struct{}

func (brokenJournal) JournalAppend(context.Context, []byte) (string, error) {
	return "", fmt.Errorf("redis down")
}
func (brokenJournal) JournalLen(context.Context) (int64, error) { return 0, fmt.Errorf("redis down") }
func (brokenJournal) JournalFirst(context.Context) (string, []byte, bool, error) {
	return "", nil, false, fmt.Errorf("redis down")
}
func (brokenJournal) JournalDelete(context.Context, string) error { return fmt.Errorf("redis down") }
