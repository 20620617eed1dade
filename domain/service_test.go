package domain_test

import (
	"context"
	"testing"
	"time"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

// cst is SALESBOT_TZ in these tests (Asia/Shanghai without tzdata).
var cst = time.FixedZone("CST", 8*3600)

// start is Monday 2 March 2026, 10:00 in Shanghai.
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, cst)

// fixture is a service on a fresh, seeded store.
type fixture struct {
	domaintest.Demo
	ctx   context.Context
	store *store.Store
	svc   *domain.Service
	clock *domaintest.Clock
}

// forEach runs fn once per backend with a fresh fixture.
func forEach(t *testing.T, fn func(t *testing.T, f fixture)) {
	t.Helper()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := domaintest.NewClock(start)
		fn(t, fixture{
			Demo:  domaintest.Seed(t, ctx, s),
			ctx:   ctx,
			store: s,
			svc:   domain.NewService(s, cst, clock.Now),
			clock: clock,
		})
	})
}

// record stores a report from the simulator and fails the test on error.
func (f fixture) record(t *testing.T, actor domain.Member, r domain.Report) domain.Recorded {
	t.Helper()
	if r.Platform == "" {
		r.Platform = domain.PlatformSim
	}
	out, err := f.svc.RecordReport(f.ctx, actor, r)
	if err != nil {
		t.Fatalf("RecordReport(%s): %v", r.SourceMsgID, err)
	}
	return out
}

// wantCode checks err carries the domain error code want ("" for nil).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != want {
		t.Errorf("error code = %q (%v), want %q", got, err, want)
	}
}

func TestIdentify(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		tests := []struct {
			name   string
			p      domain.Platform
			userID string
			want   string // error code
		}{
			{"WeCom", domain.PlatformWeCom, lina.WeComUserID, ""},
			{"DingTalk", domain.PlatformDingTalk, lina.DingTalkUserID, ""},
			{"Sim", domain.PlatformSim, "lina", ""},
			{"Stranger", domain.PlatformWeCom, "stranger", domain.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m, err := f.svc.Identify(f.ctx, tt.p, tt.userID)
				wantCode(t, err, tt.want)
				if err == nil && m.ID != lina.ID {
					t.Errorf("Identify = %s, want %s", m.Name, lina.Name)
				}
			})
		}
		t.Run("Departed", func(t *testing.T) {
			gone := lina
			gone.Active = false
			if err := f.store.UpdateMember(f.ctx, &gone); err != nil {
				t.Fatal(err)
			}
			// Deactivated behind the service's back (another replica): the
			// identity cached a moment ago holds for at most 10 s.
			f.clock.Advance(11 * time.Second)
			_, err := f.svc.Identify(f.ctx, domain.PlatformSim, "lina")
			wantCode(t, err, domain.EFORBIDDEN)
		})
	})
}
