package bot_test

import (
	"testing"

	"salesbot/bot"
)

// Text a person wrote shows as written inside markdown.
func TestEscapeMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"华辰科技有限公司":     "华辰科技有限公司",
		"<b>华辰</b>":    "&lt;b&gt;华辰&lt;/b&gt;",
		"**A** _b_ #1": `\*\*A\*\* \_b\_ \#1`,
		"[链接](x) `c`":  "\\[链接\\](x) \\`c\\`",
		`a\b`:          `a\\b`,
	} {
		if got := bot.EscapeMarkdown(in); got != want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", in, got, want)
		}
	}
}
