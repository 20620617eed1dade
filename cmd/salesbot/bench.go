package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"salesbot/bot/wecom"
	"salesbot/domain"
)

// runBench loads the WeCom callback path of the full service with signed,
// encrypted text callbacks carrying real reports, then the DingTalk Stream
// connection with robot-message frames (timed from frame in to reply
// out), then writes the same
// number of reports straight through the domain service (no HTTP, crypto or
// parsing) to measure the storage limit, and prints both.
//
// It creates a scratch database on the MySQL server of SALESBOT_MYSQL_DSN
// (dropped afterwards) and uses SALESBOT_REDIS_URL with its own key prefix;
// without them it runs on the embedded default in a temporary directory.
// All traffic stays on the loopback interface, bounded in count and time.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 3000, "reports per phase")
	rate := fs.Int("rate", 300, "reports per second in the paced phase")
	conc := fs.Int("c", 32, "concurrent senders")
	reps := fs.Int("reps", 400, "bench reps to create")
	customers := fs.Int("customers", 625, "bench customers to create")
	maxTime := fs.Duration("max-time", 3*time.Minute, "stop a phase after this long")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the unpaced end-to-end phase to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 || *rate <= 0 || *conc <= 0 || *reps <= 0 || *customers <= 0 {
		return errors.New("bench: -n, -rate, -c, -reps and -customers must be positive")
	}
	cfg, err := loadConfig(getenv, "")
	if err != nil {
		return err
	}
	cfg.Addr, cfg.Simulator, cfg.LogFormat = "127.0.0.1:0", false, "text"
	run, cleanup, err := benchDatabase(ctx, &cfg)
	if err != nil {
		return err
	}
	cfg.RedisPrefix = run + ":" // this run's keys only
	defer cleanup()
	fakeWeCom := httptest.NewServer(http.HandlerFunc(fakeWeComAPI))
	defer fakeWeCom.Close()
	cfg.WeComCorpID, cfg.WeComAgentID, cfg.WeComSecret = "wwbench", "1000002", "bench-secret"
	cfg.WeComToken, cfg.WeComAESKey, cfg.WeComAPIBase = "benchtoken", randomKey43(), fakeWeCom.URL
	fakeDingTalk := newBenchDingTalk()
	defer fakeDingTalk.Close()
	cfg.DingTalkAppKey, cfg.DingTalkAppSecret, cfg.DingTalkMode = "dingbench", "bench-secret", dingtalkStream
	cfg.DingTalkAPIBase, cfg.DingTalkOAPIBase = fakeDingTalk.URL, fakeDingTalk.URL

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.mountPlatforms(ctx, a.inbox); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench: database %s, cache %s\n", a.store.Dialect(), map[bool]string{true: "in-process", false: "redis"}[a.kv.Embedded()])
	members, custs, err := seedBench(ctx, a.svc, a.store, *reps, *customers)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.routes()}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/wecom/callback"
	wcfg := wecom.Config{CorpID: cfg.WeComCorpID, AgentID: 1000002, Token: cfg.WeComToken, AESKey: cfg.WeComAESKey}

	// Each phase reports a different day, so no rep reports the same
	// customer twice in a day (which would ask "merge or new?").
	now := time.Now()
	phase := func(name, day string, pace int) (benchResult, error) {
		reqs := make([]benchRequest, *n)
		for i := range reqs {
			m, c := members[i%len(members)], custs[i%len(custs)]
			text := benchText(i, day, c)
			q, body, err := wecom.SealText(wcfg, m.WeComUserID, fmt.Sprintf("%s-%s-%d", run, name, i), text, now)
			if err != nil {
				return benchResult{}, err
			}
			reqs[i] = benchRequest{url: url + "?" + q.Encode(), body: body}
		}
		return loadHTTP(ctx, reqs, pace, *conc, *maxTime), nil
	}
	// Every acknowledged report must be stored: count them per phase.
	today := domain.DateOf(now, cfg.TZ)
	stored := func(day domain.Date) (int, error) {
		vs, err := a.store.ListVisits(ctx, domain.VisitFilter{From: day, To: day})
		return len(vs), err
	}
	check := func(r benchResult, day domain.Date) error {
		n, err := stored(day)
		if err != nil {
			return err
		}
		if n != r.ok {
			return fmt.Errorf("bench: %d reports acknowledged but %d stored", r.ok, n)
		}
		return nil
	}
	paced, err := phase("paced", "今天", *rate)
	if err != nil {
		return err
	}
	paced.print(stdout, fmt.Sprintf("end-to-end at %d/s", *rate))
	if err := check(paced, today); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	open, err := phase("open", "昨天", 0)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	open.print(stdout, "end-to-end, unpaced")
	if err := check(open, today.AddDays(-1)); err != nil {
		return err
	}

	// The same through the DingTalk Stream connection, frame in to reply out.
	dtPaced, dtOpen, err := benchStream(ctx, a, fakeDingTalk, members, custs, run, *n, *rate, *maxTime, now)
	if err != nil {
		return err
	}
	dtPaced.print(stdout, fmt.Sprintf("dingtalk stream at %d/s", *rate))
	if err := check(dtPaced, today.AddDays(-3)); err != nil {
		return err
	}
	dtOpen.print(stdout, "dingtalk stream, unpaced")
	if err := check(dtOpen, today.AddDays(-4)); err != nil {
		return err
	}

	// The storage limit: the same reports through the domain service.
	day := today.AddDays(-2)
	store := runConcurrent(*n, *conc, *maxTime, func(i int) error {
		m, c := members[i%len(members)], custs[i%len(custs)]
		_, err := a.svc.RecordReport(ctx, m, domain.Report{Platform: domain.PlatformWeCom, SourceMsgID: fmt.Sprintf("store-%d", i), Text: benchText(i, "前天", c), At: now, Facts: domain.Facts{Customer: c.Name, Contacts: []string{"张总"}, Channel: domain.ChannelOnsite, VisitDate: day, Stage: domain.StageQuote, Amount: int64(10000 * (i%90 + 10)), NextDate: day.AddDays(9), NextAction: "再约演示"}})
		return err
	})
	store.print(stdout, "storage limit (domain service only)")
	if store.throughput() > 0 {
		fmt.Fprintf(stdout, "ratio end-to-end / storage: %.0f%%\n", 100*open.throughput()/store.throughput())
		fmt.Fprintf(stdout, "ratio dingtalk stream / storage: %.0f%%\n", 100*dtOpen.throughput()/store.throughput())
	}
	return nil
}

type benchRequest struct {
	url  string
	body []byte
}

type benchResult struct {
	ok, failed int
	latencies  []time.Duration
	elapsed    time.Duration
}

func (r benchResult) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok) / r.elapsed.Seconds()
}

func (r benchResult) print(w io.Writer, name string) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	fmt.Fprintf(w, "%-38s %6d ok %4d failed in %6.2fs  %7.1f reports/s  p50 %7.2fms  p99 %7.2fms\n",
		name, r.ok, r.failed, r.elapsed.Seconds(), r.throughput(),
		float64(pct(0.50).Microseconds())/1000, float64(pct(0.99).Microseconds())/1000)
}

// loadHTTP posts the requests with at most conc in flight, paced at rate
// per second (0: as fast as they complete), stopping after maxTime.
func loadHTTP(ctx context.Context, reqs []benchRequest, rate, conc int, maxTime time.Duration) benchResult {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	do := func(i int) error {
		res, err := client.Post(reqs[i].url, "text/xml", bytes.NewReader(reqs[i].body))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	if rate <= 0 {
		return runConcurrent(len(reqs), conc, maxTime, do)
	}
	// Open loop: start request i at i/rate seconds, whatever came before.
	var mu sync.Mutex
	res := benchResult{}
	sem := make(chan struct{}, conc*8)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range reqs {
		at := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		if ctx.Err() != nil || time.Since(start) > maxTime {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			t0 := time.Now()
			err := do(i)
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.failed++
				return
			}
			res.ok++
			res.latencies = append(res.latencies, d)
		}(i)
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// runConcurrent runs fn(0..n-1) on conc workers, timing each call.
func runConcurrent(n, conc int, maxTime time.Duration, fn func(i int) error) benchResult {
	var next atomic.Int64
	var mu sync.Mutex
	res := benchResult{}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || time.Since(start) > maxTime {
					return
				}
				t0 := time.Now()
				err := fn(i)
				d := time.Since(t0)
				mu.Lock()
				if err != nil {
					res.failed++
				} else {
					res.ok++
					res.latencies = append(res.latencies, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

var benchTopics = []string{"ERP升级", "设备联网", "MES选型", "数据中台", "供应链协同", "质量追溯"}

func benchText(i int, day string, c domain.Customer) string {
	return fmt.Sprintf("%s拜访%s张总，聊了%s，已发报价%d万，下周三再约演示", day, c.Name, benchTopics[i%len(benchTopics)], i%90+10)
}

// seedBench creates a bench team with its reps and customers.
func seedBench(ctx context.Context, svc *domain.Service, st domain.Store, reps, customers int) ([]domain.Member, []domain.Customer, error) {
	if _, err := svc.UpsertTeam(ctx, domain.Team{Name: "压测团队"}); err != nil {
		return nil, nil, err
	}
	var members []domain.Member
	for i := 0; i < reps; i++ {
		id := fmt.Sprintf("bench-rep-%03d", i)
		m := domain.Member{Name: fmt.Sprintf("压测销售%03d", i), Role: domain.RoleRep, WeComUserID: id, DingTalkUserID: id}
		if _, err := svc.UpsertMember(ctx, m, "压测团队"); err != nil {
			return nil, nil, err
		}
		got, err := st.MemberByName(ctx, m.Name)
		if err != nil {
			return nil, nil, err
		}
		members = append(members, got)
	}
	var custs []domain.Customer
	for i := 0; i < customers; i++ {
		c := domain.Customer{Name: fmt.Sprintf("压测客户%03d科技有限公司", i), Tier: domain.TierB}
		if _, err := svc.UpsertCustomer(ctx, c, members[i%len(members)].Name); err != nil {
			return nil, nil, err
		}
		custs = append(custs, c)
	}
	return members, custs, nil
}

// benchDatabase points cfg at a scratch database (MySQL) or directory
// (embedded) and returns the run's name and how to remove it.
func benchDatabase(ctx context.Context, cfg *Config) (string, func(), error) {
	suffix := make([]byte, 4)
	rand.Read(suffix)
	name := "salesbot_bench_" + hex.EncodeToString(suffix)
	if cfg.MySQLDSN == "" {
		dir, err := os.MkdirTemp("", name)
		if err != nil {
			return "", nil, err
		}
		cfg.DataDir = dir
		return name, func() { os.RemoveAll(dir) }, nil
	}
	dsn, err := gomysql.ParseDSN(cfg.MySQLDSN)
	if err != nil {
		return "", nil, fmt.Errorf("SALESBOT_MYSQL_DSN: %w", err)
	}
	server := dsn.Clone()
	server.DBName = ""
	admin, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create bench database: %w", err)
	}
	dsn.DBName = name
	cfg.MySQLDSN = dsn.FormatDSN()
	return name, func() {
		admin.ExecContext(context.Background(), "DROP DATABASE `"+name+"`")
		admin.Close()
	}, nil
}

func randomKey43() string {
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 43)
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}

// fakeWeComAPI answers the WeCom API calls the service makes.
func fakeWeComAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/cgi-bin/gettoken":
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok","access_token":"bench-token","expires_in":7200}`)
	default:
		io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok","response_code":"bench"}`)
	}
}
