package chart_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"

	"salesbot/jobs/chart"
)

// mustRenderer loads the system CJK font. In CI (where .ci/run installs
// fonts-noto-cjk) a missing font fails the test; elsewhere it skips.
func mustRenderer(t *testing.T) *chart.Renderer {
	t.Helper()
	path := os.Getenv("SALESBOT_CHART_FONT")
	if path == "" {
		var err error
		path, err = chart.FindFont()
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%v: CI must install fonts-noto-cjk", err)
			}
			t.Skip(err)
		}
	}
	r, err := chart.New(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// inked counts non-white pixels in a rectangle.
func inked(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if cr, cg, cb, _ := img.At(x, y).RGBA(); cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				n++
			}
		}
	}
	return n
}

func TestLeaderboard(t *testing.T) {
	r := mustRenderer(t)
	b, err := r.Leaderboard("🏆 华东大客户部 上周排行榜（1月12日–1月18日）", []chart.Row{
		{Rank: 1, Name: "李娜", Value: 12, Label: "12 次", Extra: "新商机 2 · 赢单 50万", Move: "↑1"},
		{Rank: 1, Name: "欧阳娜娜", Value: 12, Label: "12 次", Extra: "新商机 0 · 赢单 0", Move: "–"},
		{Rank: 3, Name: "王强", Value: 0, Label: "0 次", Extra: "新商机 0 · 赢单 0", Move: "新"},
	})
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 760 || h < 76+3*62 {
		t.Errorf("size %dx%d", w, h)
	}
	// The names column of each row has ink: the Chinese text was drawn.
	for i := range 3 {
		y := 76 + i*62
		if n := inked(img, image.Rect(68, y+8, 200, y+36)); n < 50 {
			t.Errorf("row %d: name area has %d inked pixels; text missing?", i, n)
		}
	}
}

func TestFunnel(t *testing.T) {
	r := mustRenderer(t)
	b, err := r.Funnel("华东大客户部 商机漏斗（1月7日）", []chart.Step{
		{Label: "初步接触", Value: 12, Note: "12 个 · 80万"},
		{Label: "需求分析", Value: 6, Note: "6 个 · 120万"},
		{Label: "报价", Value: 2, Note: "2 个 · 30万"},
	})
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	if img.Bounds().Dy() != 76+3*50+24 {
		t.Errorf("height %d", img.Bounds().Dy())
	}
	// Bars narrow down the funnel.
	wide, narrow := inked(img, image.Rect(150, 76+20, 590, 76+30)), inked(img, image.Rect(150, 176+20, 590, 176+30))
	if wide <= narrow {
		t.Errorf("first bar %d px, third %d px; want the funnel to narrow", wide, narrow)
	}
}

func TestMissingGlyph(t *testing.T) {
	r := mustRenderer(t)
	// An emoji the font lacks is dropped, not drawn as a box.
	if _, err := r.Funnel("📊 漏斗", nil); err != nil {
		t.Errorf("emoji in title: %v", err)
	}
}
