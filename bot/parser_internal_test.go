package bot

import (
	"os"
	"regexp"
	"testing"

	"salesbot/bot/parse"
)

// Every command kind the parser can answer with reaches a command of the
// bot's: an unmapped kind would silently become 帮助. The kinds are read
// from the parser's source, so a new one fails here until it is mapped.
func TestEveryParserCommandIsMapped(t *testing.T) {
	src, err := os.ReadFile("parse/commands.go")
	if err != nil {
		t.Fatal(err)
	}
	kinds := regexp.MustCompile(`(?m)^\s*(Command\w+)\s+CommandKind = "(\w+)"`).FindAllStringSubmatch(string(src), -1)
	if len(kinds) < 10 {
		t.Fatalf("found %d command kinds in parse/commands.go", len(kinds))
	}
	for _, k := range kinds {
		if _, ok := commandKinds[parse.CommandKind(k[2])]; !ok {
			t.Errorf("parse.%s (%q) is not mapped to a bot command", k[1], k[2])
		}
	}
}
