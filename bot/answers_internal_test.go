package bot

import "testing"

// TestPosition reads answers that pick a listed item by number.
func TestPosition(t *testing.T) {
	for s, want := range map[string]int{"2": 2, "第二个": 2, "第2家": 2, "选3": 3, "三": 3, "两": 2, "第十个": 10} {
		if n, ok := position(s); !ok || n != want {
			t.Errorf("position(%q) = %d %v; want %d", s, n, ok, want)
		}
	}
	for _, s := range []string{"医疗", "第二", "二七区", "金石重工"} {
		if n, ok := position(s); ok && s != "第二" {
			t.Errorf("position(%q) = %d", s, n)
		}
	}
}

// TestPartOf picks the one candidate an answer names part of.
func TestPartOf(t *testing.T) {
	cs := []string{"德润医疗器械有限公司", "德润精密机械有限公司"}
	for s, want := range map[string]string{"医疗": cs[0], "精密的那个": cs[1], "是医疗那家": cs[0], "德润": "", "医": "", "机械": cs[1]} {
		got, ok := partOf(s, cs)
		if got != want || ok != (want != "") {
			t.Errorf("partOf(%q) = %q %v; want %q", s, got, ok, want)
		}
	}
}

// TestTrimAnswer keeps an abbreviation's dot and drops end punctuation.
func TestTrimAnswer(t *testing.T) {
	for s, want := range map[string]string{"Acme Inc.": "Acme Inc.", "金石重工。": "金石重工", "金石重工.": "金石重工", " 星河科技！": "星河科技"} {
		if got := trimAnswer(s); got != want {
			t.Errorf("trimAnswer(%q) = %q; want %q", s, got, want)
		}
	}
}
