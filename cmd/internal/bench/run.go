// Package bench measures salesbot: `salesbot bench` loads the wired
// service through each way reports arrive (WeCom callbacks over HTTP, the
// DingTalk Stream and WeCom AI bot long connections) against in-process
// fakes of the platforms, next to the storage limit; `salesbot job bench`
// times the scheduled jobs on a large MySQL database.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"salesbot/bot/wecom"
	"salesbot/bot/wecom/aibotfake"
	"salesbot/domain"
)

// The paths reports take into the service.
const (
	PathCallback = "callback" // WeCom self-built app callbacks over HTTP
	PathStream   = "stream"   // the DingTalk Stream long connection
	PathAIBot    = "aibot"    // the WeCom AI bot long connection
)

// Paths are all of them, in the order the bench runs them.
var Paths = []string{PathCallback, PathStream, PathAIBot}

// Options are the flags of `salesbot bench`.
type Options struct {
	N          int           // reports per phase
	Rate       int           // reports per second in the paced phases
	Conc       int           // unpaced: reports in flight on each path, and storage writers
	Reps       int           // bench reps to create
	Customers  int           // bench customers to create
	MaxTime    time.Duration // a phase stops after this long
	CPUProfile string        // where to write a CPU profile of the unpaced callback phase
	Paths      []string      // which paths to drive (nil: all); the storage limit always runs
	// MySQLDSN is the server the scratch database goes on; "": the
	// embedded default in a scratch directory.
	MySQLDSN string
}

// Env is what the caller wires the service under test with: scratch
// storage and the fake platforms' addresses and credentials.
type Env struct {
	Name     string // the run's name: start Redis keys with Name+":"
	MySQLDSN string // the scratch database ("" on the embedded default)
	DataDir  string // the scratch directory on the embedded default
	WeCom    WeComEnv
	DingTalk DingTalkEnv  // AppKey "" when the Stream path is not driven
	Log      *slog.Logger // for the service: the bench summarises what it logs
}

// WeComEnv configures the self-built app (callbacks) and the AI bot's
// long connection (AIBotID "" when that path is not driven).
type WeComEnv struct {
	CorpID, AgentID, Secret, Token, AESKey, APIBase string
	AIBotID, AIBotSecret, AIBotWSURL                string
}

// DingTalkEnv configures the app robot in Stream mode.
type DingTalkEnv struct {
	AppKey, AppSecret, APIBase, OAPIBase string
}

// Store is what the bench reads back from the service's storage.
type Store interface {
	MemberByName(ctx context.Context, name string) (domain.Member, error)
	ListVisits(ctx context.Context, f domain.VisitFilter) ([]domain.Visit, error)
}

// Service is the service under test, wired as serve wires it.
type Service struct {
	Handler  http.Handler // its HTTP routes (POST /wecom/callback among them)
	Domain   *domain.Service
	Store    Store
	Database string // for the heading: "mysql", "sqlite"
	Cache    string // for the heading: "redis", "in-process"
	TZ       *time.Location
	// StartStreams opens the long connections; stop ends them and waits
	// for the messages in hand.
	StartStreams func(context.Context) (stop func())
	Close        func() error
}

// Start wires the service under test with env.
type Start func(ctx context.Context, env Env) (*Service, error)

// Run measures each path in o.Paths twice: paced at o.Rate (an open
// loop: report i goes at i/rate seconds whatever came before), and
// unpaced (each next report as soon as one of o.Conc in flight is
// answered, on every path alike). It then writes the same number of
// reports straight through the domain service (no HTTP, crypto, sockets
// or parsing) for the storage limit, and prints one table with the
// machine's load before and after. Each phase reports a different day, so
// that no rep reports a customer twice in a day (which would ask "merge
// or new?"), and every report acknowledged must be stored that day. All
// traffic stays on the loopback interface, bounded by o.N per phase and
// o.MaxTime.
func Run(ctx context.Context, o Options, start Start, stdout io.Writer) error {
	if o.N <= 0 || o.Rate <= 0 || o.Conc <= 0 || o.Reps <= 0 || o.Customers <= 0 || o.MaxTime <= 0 {
		return errors.New("bench: -n, -rate, -c, -reps, -customers and -max-time must be positive")
	}
	if len(o.Paths) == 0 {
		o.Paths = Paths
	}
	for _, p := range o.Paths {
		if !slices.Contains(Paths, p) {
			return fmt.Errorf("bench: unknown path %q (want some of %v)", p, Paths)
		}
	}
	drive := func(p string) bool { return slices.Contains(o.Paths, p) }

	sc, err := newScratch(ctx, o.MySQLDSN)
	if err != nil {
		return err
	}
	defer sc.remove()
	wecomAPI := newFakeWeComAPI()
	defer wecomAPI.Close()
	dingtalk := newFakeDingTalk()
	defer dingtalk.Close()
	aibot := newFakeAIBot()
	defer aibot.Close()
	var logs serviceLog
	env := Env{Name: sc.name, MySQLDSN: sc.mysqlDSN, DataDir: sc.dataDir, Log: logs.logger(), WeCom: WeComEnv{
		CorpID: wecomCorpID, AgentID: strconv.Itoa(wecomAgentID), Secret: wecomSecret, Token: wecomToken,
		AESKey: randomAESKey(), APIBase: wecomAPI.URL,
	}}
	if drive(PathAIBot) {
		env.WeCom.AIBotID, env.WeCom.AIBotSecret, env.WeCom.AIBotWSURL = aibotID, aibotSecret, aibot.URL()
	}
	if drive(PathStream) {
		env.DingTalk = DingTalkEnv{AppKey: "dingbench", AppSecret: "bench-secret", APIBase: dingtalk.URL, OAPIBase: dingtalk.URL}
	}
	s, err := start(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()

	fmt.Fprintf(stdout, "bench: database %s, cache %s; %d reports per phase, paced at %d/s, unpaced %d in flight, %d reps, %d customers\n",
		s.Database, s.Cache, o.N, o.Rate, o.Conc, o.Reps, o.Customers)
	fmt.Fprintf(stdout, "bench: before: %s\n", loadAverage())
	members, custs, err := seed(ctx, s.Domain, s.Store, o.Reps, o.Customers)
	if err != nil {
		return err
	}
	now := time.Now()
	today := domain.DateOf(now, s.TZ)
	phase := func(name string, daysAgo, rate int) phaseSpec {
		return phaseSpec{run: sc.name, name: name, day: dayWord(today, daysAgo), date: today.AddDays(-daysAgo),
			n: o.N, rate: rate, conc: o.Conc, maxTime: o.MaxTime, now: now, members: members, custs: custs}
	}
	// Every report acknowledged must be stored.
	var rows []row
	var lost []error
	add := func(path string, p phaseSpec, r result) error {
		rows = append(rows, row{path: path, rate: p.rate, r: r})
		vs, err := s.Store.ListVisits(ctx, domain.VisitFilter{From: p.date, To: p.date})
		if err != nil {
			return err
		}
		if len(vs) < r.ok { // more is fine: stored, but answered too late
			lost = append(lost, fmt.Errorf("bench: %s %s: %d reports acknowledged but only %d stored", path, p.name, r.ok, len(vs)))
		}
		return nil
	}

	if drive(PathCallback) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: s.Handler, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		url := "http://" + ln.Addr().String() + "/wecom/callback"
		wcfg := wecom.Config{CorpID: env.WeCom.CorpID, AgentID: wecomAgentID, Token: env.WeCom.Token, AESKey: env.WeCom.AESKey}
		// Warm up first (connection pools, the database's caches, a
		// fresh process's first requests): one second at the paced rate
		// on a day no phase uses, left out of the table, so that the
		// first measured phase sees the service as it runs all day.
		warm := phase("warm-up", 7, o.Rate)
		warm.n = max(1, min(o.N, o.Rate))
		if _, err := callbackPhase(ctx, warm, url, wcfg, o.Conc); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "bench: warm-up: %d reports through the WeCom callback, not in the table\n", warm.n)
		p := phase("callback-paced", 0, o.Rate)
		r, err := callbackPhase(ctx, p, url, wcfg, o.Conc)
		if err != nil {
			return err
		}
		if err := add("wecom callback (HTTP)", p, r); err != nil {
			return err
		}
		stopProfile, err := startProfile(o.CPUProfile)
		if err != nil {
			return err
		}
		p = phase("callback-open", 1, 0)
		r, err = callbackPhase(ctx, p, url, wcfg, o.Conc)
		stopProfile()
		if err != nil {
			return err
		}
		if err := add("wecom callback (HTTP)", p, r); err != nil {
			return err
		}
	}

	if drive(PathStream) || drive(PathAIBot) {
		stop := s.StartStreams(ctx)
		err := longConnections(ctx, drive, dingtalk, aibot, phase, o.Rate, add)
		stop()
		if err != nil {
			return err
		}
	}

	// The storage limit: the same reports, their facts already known.
	p := phase("storage", 2, 0)
	r := runConcurrent(o.N, o.Conc, o.MaxTime, func(i int) error {
		m, c := p.member(i), p.customer(i)
		_, err := s.Domain.RecordReport(ctx, m, domain.Report{Platform: domain.PlatformWeCom, SourceMsgID: p.msgID(i),
			Text: reportText(i, p.day, c), At: now, Facts: domain.Facts{Customer: c.Name, Contacts: []string{"张总"},
				Channel: domain.ChannelOnsite, VisitDate: p.date, Stage: domain.StageQuote, Amount: int64(10000 * (i%90 + 10)),
				NextDate: p.date.AddDays(9), NextAction: "再约演示"}})
		return err
	})
	if err := add("storage limit (domain only)", p, r); err != nil {
		return err
	}
	rows[len(rows)-1].storage = true

	printTable(stdout, rows)
	fmt.Fprintf(stdout, "bench: after: %s\n", loadAverage())
	logs.summary(stdout)
	return errors.Join(lost...)
}

// longConnections drives the DingTalk Stream and the WeCom AI bot
// connections the service holds, paced and unpaced, once both are up.
func longConnections(ctx context.Context, drive func(string) bool, dt *fakeDingTalk, ab *aibotfake.Server,
	phase func(name string, daysAgo, rate int) phaseSpec, rate int, add func(string, phaseSpec, result) error,
) error {
	const patience = 30 * time.Second
	if drive(PathStream) {
		if err := dt.waitConnected(patience); err != nil {
			return err
		}
		for _, p := range []phaseSpec{phase("stream-paced", 3, rate), phase("stream-open", 4, 0)} {
			if err := add("dingtalk stream", p, dt.streamPhase(ctx, p)); err != nil {
				return err
			}
		}
	}
	if drive(PathAIBot) {
		if !ab.Wait(patience, func() bool { return ab.Live(aibotID) }) {
			return fmt.Errorf("bench: the WeCom AI bot long connection did not subscribe within %s", patience)
		}
		for _, p := range []phaseSpec{phase("aibot-paced", 5, rate), phase("aibot-open", 6, 0)} {
			if err := add("wecom aibot long conn", p, aibotPhase(ctx, p, ab)); err != nil {
				return err
			}
		}
	}
	return nil
}

// startProfile starts a CPU profile into path ("": none).
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// phaseSpec is one phase's reports: n of them, by the seeded reps about
// the seeded customers, all on one day.
type phaseSpec struct {
	run, name string
	day       string      // the day as the reports say it
	date      domain.Date // the same day
	n, rate   int         // rate 0: unpaced
	conc      int         // unpaced: reports in flight at most
	maxTime   time.Duration
	now       time.Time
	members   []domain.Member
	custs     []domain.Customer
}

func (p phaseSpec) member(i int) domain.Member     { return p.members[i%len(p.members)] }
func (p phaseSpec) customer(i int) domain.Customer { return p.custs[i%len(p.custs)] }
func (p phaseSpec) msgID(i int) string             { return fmt.Sprintf("%s-%s-%d", p.run, p.name, i) }
