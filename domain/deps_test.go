package domain_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The import rules of style.md §2: adapters depend on the domain, never the
// reverse, and adapters never on each other.
func TestImportRules(t *testing.T) {
	rules := []struct {
		pkg    string
		banned []string
	}{
		{"salesbot/domain", []string{"salesbot/", "gorm.io/", "github.com/redis/", "net/http", "github.com/silenceper/", "github.com/alicebob/"}},
		{"salesbot/domain/store", []string{"salesbot/bot", "salesbot/jobs", "salesbot/domain/kv", "github.com/redis/"}},
		{"salesbot/domain/kv", []string{"salesbot/bot", "salesbot/jobs", "salesbot/domain/store", "gorm.io/"}},
		{"salesbot/bot/parse", []string{"salesbot/bot", "salesbot/jobs", "salesbot/domain/", "net/http", "gorm.io/", "github.com/redis/"}},
		{"salesbot/bot", []string{"salesbot/bot/wecom", "salesbot/bot/dingtalk", "salesbot/bot/sim", "salesbot/domain/store", "salesbot/domain/kv", "salesbot/jobs", "gorm.io/", "github.com/redis/"}},
		{"salesbot/bot/wecom", []string{"salesbot/bot/dingtalk", "salesbot/bot/sim", "salesbot/domain/store", "salesbot/domain/kv", "salesbot/jobs", "gorm.io/", "github.com/redis/", "github.com/sirupsen/logrus"}},
		{"salesbot/bot/dingtalk", []string{"salesbot/bot/wecom", "salesbot/bot/sim", "salesbot/domain/store", "salesbot/domain/kv", "salesbot/jobs", "gorm.io/", "github.com/redis/"}},
		{"salesbot/bot/sim", []string{"salesbot/bot/wecom", "salesbot/bot/dingtalk", "salesbot/domain/store", "salesbot/domain/kv", "salesbot/jobs", "gorm.io/", "github.com/redis/"}},
	}
	for _, r := range rules {
		t.Run(r.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", r.pkg).Output()
			if err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("go list: %v", err)
				}
				t.Skipf("go list: %v", err)
			}
			for _, dep := range strings.Fields(string(out)) {
				if dep == r.pkg {
					continue
				}
				for _, b := range r.banned {
					if dep == strings.TrimSuffix(b, "/") || strings.HasPrefix(dep, b) {
						// bot/parse may use domain's types.
						if r.pkg == "salesbot/bot/parse" && dep == "salesbot/domain" {
							continue
						}
						t.Errorf("%s depends on %s", r.pkg, dep)
					}
				}
			}
		})
	}
}
