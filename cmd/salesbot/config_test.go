package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

func TestConfigDefaultsAndRefusals(t *testing.T) {
	const dsn = "u:p@tcp(db:3306)/salesbot"
	for _, tt := range []struct {
		name    string
		env     map[string]string
		addr    string // want, when no error
		prefix  string
		wantErr string
	}{
		{"EmbeddedListensOnLoopback", map[string]string{}, "127.0.0.1:8080", "salesbot:", ""},
		{"EmbeddedAddrOverride", map[string]string{"SALESBOT_ADDR": ":9000"}, ":9000", "salesbot:", ""},
		{"MySQLListensEverywhere", map[string]string{"SALESBOT_MYSQL_DSN": dsn}, ":8080", "salesbot:", ""},
		{"RedisPrefix", map[string]string{"SALESBOT_REDIS_PREFIX": "acme:"}, "127.0.0.1:8080", "acme:", ""},
		{"RedisPrefixWithBrace", map[string]string{"SALESBOT_REDIS_PREFIX": "{acme}:"}, "", "", "SALESBOT_REDIS_PREFIX"},
		{"SimulatorBesideMySQLWithoutToken", map[string]string{"SALESBOT_MYSQL_DSN": dsn, "SALESBOT_SIMULATOR": "1"}, "", "", "SALESBOT_SIMULATOR_TOKEN"},
		{"SimulatorBesideMySQLWithToken", map[string]string{"SALESBOT_MYSQL_DSN": dsn, "SALESBOT_SIMULATOR": "1", "SALESBOT_SIMULATOR_TOKEN": "t0ken"}, ":8080", "salesbot:", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(envOf(tt.env), "")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Addr != tt.addr || c.RedisPrefix != tt.prefix {
				t.Errorf("addr %q prefix %q; want %q %q", c.Addr, c.RedisPrefix, tt.addr, tt.prefix)
			}
		})
	}
}

// serve refuses to start the simulator beside MySQL without a token, before
// it opens anything.
func TestServeRefusesSimulatorWithoutToken(t *testing.T) {
	env := map[string]string{"SALESBOT_MYSQL_DSN": "u:p@tcp(127.0.0.1:1)/x", "SALESBOT_SIMULATOR": "1"}
	err := run(context.Background(), []string{"serve"}, envOf(env), strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "SALESBOT_SIMULATOR_TOKEN") {
		t.Fatalf("serve returned %v; want a clear error naming SALESBOT_SIMULATOR_TOKEN", err)
	}
}
