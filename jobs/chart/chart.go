// Package chart draws the pictures the jobs push: the weekly leaderboard
// and the digest's pipeline funnel, as PNG images with Chinese text. It is
// pure Go (golang.org/x/image) and needs a CJK font file at run time, such
// as Noto Sans CJK from the Debian package fonts-noto-cjk; no font is
// bundled.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"strings"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FontPaths are where FindFont looks for a CJK font, in order.
func FontPaths() []string {
	return []string{
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
		"/System/Library/Fonts/PingFang.ttc",
	}
}

// ErrNoFont: no CJK font was found.
var ErrNoFont = errors.New("chart: no CJK font found (install fonts-noto-cjk)")

// FindFont returns the first CJK font file of FontPaths that exists.
func FindFont() (string, error) {
	for _, p := range FontPaths() {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", ErrNoFont
}

// Renderer draws charts with one font. It is safe for concurrent use.
type Renderer struct {
	font *sfnt.Font
	path string
}

// New loads a font file: .ttf, .otf, or a .ttc collection (in which the
// Simplified Chinese face is chosen when there is one).
func New(path string) (*Renderer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chart: read font: %w", err)
	}
	f, err := pickFont(b)
	if err != nil {
		return nil, fmt.Errorf("chart: font %s: %w", path, err)
	}
	r := &Renderer{font: f, path: path}
	if err := r.check("销售排行榜商机漏斗"); err != nil {
		return nil, fmt.Errorf("chart: font %s has no Chinese: %w", path, err)
	}
	return r, nil
}

// Path is the font file in use.
func (r *Renderer) Path() string { return r.path }

func pickFont(b []byte) (*sfnt.Font, error) {
	if f, err := opentype.Parse(b); err == nil {
		return f, nil
	}
	c, err := opentype.ParseCollection(b)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	var first *sfnt.Font
	for i := 0; i < c.NumFonts(); i++ {
		f, err := c.Font(i)
		if err != nil {
			continue
		}
		if first == nil {
			first = f
		}
		name, _ := f.Name(&buf, sfnt.NameIDFamily)
		if strings.Contains(name, " SC") || strings.Contains(name, "Simplified") || strings.Contains(name, "Micro Hei") {
			return f, nil
		}
	}
	if first == nil {
		return nil, errors.New("empty font collection")
	}
	return first, nil
}

// check fails when the font lacks a glyph for a Chinese character of s.
func (r *Renderer) check(s string) error {
	var buf sfnt.Buffer
	for _, c := range s {
		if i, err := r.font.GlyphIndex(&buf, c); err != nil || i == 0 {
			if unicode.Is(unicode.Han, c) {
				return fmt.Errorf("no glyph for %q", c)
			}
		}
	}
	return nil
}

// clean drops what the font cannot draw (emoji) so that no box shows; a
// missing Chinese character is an error instead.
func (r *Renderer) clean(s string) (string, error) {
	var buf sfnt.Buffer
	var b strings.Builder
	for _, c := range s {
		if i, err := r.font.GlyphIndex(&buf, c); err != nil || i == 0 {
			if unicode.Is(unicode.Han, c) {
				return "", fmt.Errorf("chart: font has no glyph for %q", c)
			}
			continue
		}
		b.WriteRune(c)
	}
	return strings.TrimSpace(b.String()), nil
}

func (r *Renderer) face(size float64) (font.Face, error) {
	return opentype.NewFace(r.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// canvas is an image being drawn with the renderer's faces.
type canvas struct {
	r     *Renderer
	img   *image.RGBA
	faces map[float64]font.Face
	err   error
}

func (r *Renderer) canvas(w, h int) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(colBackground), image.Point{}, draw.Src)
	return &canvas{r: r, img: img, faces: map[float64]font.Face{}}
}

func (c *canvas) faceOf(size float64) font.Face {
	if f, ok := c.faces[size]; ok {
		return f
	}
	f, err := c.r.face(size)
	if err != nil && c.err == nil {
		c.err = err
	}
	c.faces[size] = f
	return f
}

// text draws s with its baseline at y; align is 'l', 'r' or 'c' about x.
// It returns the width drawn.
func (c *canvas) text(s string, x, y int, size float64, col color.Color, align byte) int {
	s, err := c.r.clean(s)
	if err != nil {
		if c.err == nil {
			c.err = err
		}
		return 0
	}
	f := c.faceOf(size)
	if f == nil {
		return 0
	}
	w := font.MeasureString(f, s).Ceil()
	switch align {
	case 'r':
		x -= w
	case 'c':
		x -= w / 2
	}
	src := image.NewUniform(col)
	dot := fixed.P(x, y)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += f.Kern(prev, r)
		}
		dr, mask, mp, adv, ok := f.Glyph(dot, r)
		if ok {
			draw.DrawMask(c.img, dr, src, image.Point{}, quantize(mask, mp, dr.Size()), image.Point{}, draw.Over)
		}
		dot.X += adv
		prev = r
	}
	return w
}

// quantize copies a glyph's coverage rounded to 17 levels, so that the
// picture keeps few enough colours for a small, quickly encoded palette
// PNG; the edges still look smooth.
func quantize(mask image.Image, mp image.Point, size image.Point) *image.Alpha {
	out := image.NewAlpha(image.Rectangle{Max: size})
	for y := 0; y < size.Y; y++ {
		for x := 0; x < size.X; x++ {
			_, _, _, a := mask.At(mp.X+x, mp.Y+y).RGBA()
			q := (a>>8 + 8) / 16 * 16
			out.Pix[y*out.Stride+x] = uint8(min(q, 255))
		}
	}
	return out
}

func (c *canvas) rect(x0, y0, x1, y1 int, col color.Color) {
	draw.Draw(c.img, image.Rect(x0, y0, x1, y1), image.NewUniform(col), image.Point{}, draw.Src)
}

func (c *canvas) png() ([]byte, error) {
	for _, f := range c.faces {
		if f != nil {
			f.Close()
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	var img image.Image = c.img
	if p := paletted(c.img); p != nil {
		img = p
	}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

var (
	colBackground = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colHeader     = color.RGBA{0x1f, 0x4e, 0x8c, 0xff}
	colText       = color.RGBA{0x22, 0x22, 0x22, 0xff}
	colMuted      = color.RGBA{0x80, 0x80, 0x80, 0xff}
	colRule       = color.RGBA{0xe6, 0xe9, 0xef, 0xff}
	colBar        = color.RGBA{0x3b, 0x82, 0xf6, 0xff}
	colGold       = color.RGBA{0xf5, 0x9e, 0x0b, 0xff}
	colUp         = color.RGBA{0xdc, 0x26, 0x26, 0xff} // red is up in China
	colDown       = color.RGBA{0x16, 0xa3, 0x4a, 0xff}
	funnelColors  = []color.RGBA{
		{0x93, 0xc5, 0xfd, 0xff}, {0x60, 0xa5, 0xfa, 0xff}, {0x3b, 0x82, 0xf6, 0xff},
		{0x25, 0x63, 0xeb, 0xff}, {0x1d, 0x4e, 0xd8, 0xff}, {0x16, 0xa3, 0x4a, 0xff}, {0x9c, 0xa3, 0xaf, 0xff},
	}
)

const width = 760

// Row is one member on the leaderboard.
type Row struct {
	Rank  int
	Name  string
	Value float64 // the bar's length
	Label string  // the bar's figure, e.g. "12 次"
	Extra string  // a second, smaller line, e.g. "新商机 2 · 赢单 50万"
	Move  string  // ↑2, ↓1, –, 新
}

// Leaderboard draws ranked rows with bars.
func (r *Renderer) Leaderboard(title string, rows []Row) ([]byte, error) {
	const header, rowH, pad = 76, 62, 24
	c := r.canvas(width, header+rowH*max(len(rows), 1)+pad)
	c.rect(0, 0, width, header-12, colHeader)
	c.text(title, pad, 42, 26, colBackground, 'l')
	var top float64
	for _, row := range rows {
		top = max(top, row.Value)
	}
	const barX, barMax = 210, 330
	for i, row := range rows {
		y := header + i*rowH
		if i > 0 {
			c.rect(pad, y-2, width-pad, y-1, colRule)
		}
		rankCol := colText
		if row.Rank <= 3 {
			rankCol = colGold
		}
		c.text(fmt.Sprint(row.Rank), pad+14, y+30, 24, rankCol, 'c')
		c.text(row.Name, pad+44, y+30, 22, colText, 'l')
		c.text(row.Extra, pad+44, y+52, 15, colMuted, 'l')
		w := 4
		if top > 0 {
			w = max(4, int(row.Value/top*barMax))
		}
		c.rect(barX, y+12, barX+w, y+36, colBar)
		c.text(row.Label, barX+w+10, y+31, 18, colText, 'l')
		moveCol := colMuted
		switch {
		case strings.HasPrefix(row.Move, "↑"):
			moveCol = colUp
		case strings.HasPrefix(row.Move, "↓"):
			moveCol = colDown
		}
		c.text(row.Move, width-pad, y+31, 20, moveCol, 'r')
	}
	if len(rows) == 0 {
		c.text("暂无数据", width/2, header+36, 20, colMuted, 'c')
	}
	return c.png()
}

// Step is one stage of the funnel.
type Step struct {
	Label string  // the stage
	Value float64 // the bar's width (deals)
	Note  string  // e.g. "12 个 · 80万"
}

// Funnel draws stages as centred bars, widest first in funnel order.
func (r *Renderer) Funnel(title string, steps []Step) ([]byte, error) {
	const header, rowH, pad = 76, 50, 24
	c := r.canvas(width, header+rowH*max(len(steps), 1)+pad)
	c.rect(0, 0, width, header-12, colHeader)
	c.text(title, pad, 42, 26, colBackground, 'l')
	var top float64
	for _, s := range steps {
		top = max(top, s.Value)
	}
	const labelW, noteW = 120, 170
	centre := pad + labelW + (width-2*pad-labelW-noteW)/2
	half := (width - 2*pad - labelW - noteW) / 2
	for i, s := range steps {
		y := header + i*rowH
		w := half
		if top > 0 {
			w = max(8, int(s.Value/top*float64(half)))
		}
		col := funnelColors[i%len(funnelColors)]
		c.rect(centre-w, y+6, centre+w, y+rowH-6, col)
		c.text(s.Label, pad, y+32, 20, colText, 'l')
		c.text(s.Note, width-pad, y+32, 18, colText, 'r')
	}
	if len(steps) == 0 {
		c.text("暂无在跟商机", width/2, header+30, 20, colMuted, 'c')
	}
	return c.png()
}

// paletted is src with its exact colours in a palette, or nil when it has
// more than 256 of them. A palette PNG is a third of the bytes to compress
// and needs no row filters: several times faster to encode.
func paletted(src *image.RGBA) *image.Paletted {
	b := src.Bounds()
	dst := image.NewPaletted(b, nil)
	index := make(map[uint32]uint8, 256)
	var pal color.Palette
	last, lastIdx := uint32(1<<31), uint8(0)
	for y := 0; y < b.Dy(); y++ {
		row := src.Pix[y*src.Stride : y*src.Stride+b.Dx()*4]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+b.Dx()]
		for x := range out {
			p := row[x*4 : x*4+4]
			c := uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2])
			if c != last {
				i, ok := index[c]
				if !ok {
					if len(pal) == 256 {
						return nil
					}
					i = uint8(len(pal))
					pal = append(pal, color.RGBA{p[0], p[1], p[2], 0xff})
					index[c] = i
				}
				last, lastIdx = c, i
			}
			out[x] = lastIdx
		}
	}
	dst.Palette = pal
	return dst
}
