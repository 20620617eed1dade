package store_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"salesbot/domain"
	"salesbot/domain/store"
)

func TestLogger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	buf.Reset() // migration chatter

	secret := domain.Team{Name: "华东大客户部", DingTalkRobotSecret: "SECtopsecret"}
	if err := s.CreateTeam(ctx, &secret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TeamByID(ctx, 4242); !errors.Is(err, domain.ErrNotFound) {
		t.Fatal(err)
	}
	if err := s.CreateTeam(ctx, &domain.Team{Name: "华东大客户部", DingTalkRobotSecret: "SECtopsecret"}); !errors.Is(err, domain.ErrConflict) {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("ordinary statements, a miss and a conflict were logged:\n%s", buf.String())
	}

	if err := s.DB().WithContext(ctx).Exec("SELECT * FROM no_such_table WHERE name = ?", "SECtopsecret").Error; err == nil {
		t.Fatal("query on a missing table succeeded")
	}
	out := buf.String()
	for _, want := range []string{"level=ERROR", "sql failed", "no_such_table", "name = ?"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SECtopsecret") {
		t.Errorf("log shows a bound value:\n%s", out)
	}
}
