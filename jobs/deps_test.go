package jobs_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The jobs package imports domain and bot only: never an adapter, a store
// or Redis (style.md §2, rule 6).
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "salesbot/jobs", "salesbot/jobs/chart").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	banned := []string{
		"salesbot/domain/store", "salesbot/domain/kv", "salesbot/bot/wecom", "salesbot/bot/dingtalk", "salesbot/bot/sim",
		"salesbot/cmd", "gorm.io/", "github.com/redis/", "github.com/silenceper/",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, b := range banned {
			if strings.HasPrefix(pkg, b) {
				t.Errorf("jobs depends on %s", pkg)
			}
		}
	}
}
