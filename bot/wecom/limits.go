package wecom

import (
	"strings"
	"unicode/utf8"
)

// Size limits, in UTF-8 bytes (platforms.md §6.1). WeCom truncates or
// refuses beyond them.
const (
	maxBody = 64 << 10 // callback bodies; real ones are a few KiB

	appTextMax       = 2048  // message/send and appchat/send text.content
	appMarkdownMax   = 2048  // message/send and appchat/send markdown.content
	robotTextMax     = 2048  // robot webhook text.content
	robotMarkdownMax = 4096  // robot webhook markdown.content
	aibotMax         = 20480 // AI bot stream content and response_url markdown
	robotImageMax    = 2 << 20

	cardTitleMax   = 128 // template card main_title.title
	cardDescMax    = 256 // main_title.desc, sub_title_text
	cardKeyMax     = 64  // horizontal_content_list keyname
	cardValueMax   = 256 // horizontal_content_list value
	cardButtonMax  = 64  // button text
	cardFieldsMax  = 6   // horizontal_content_list entries
	cardButtonsMax = 6   // button_list entries
	taskIDMax      = 128

	// maxParts: a long text goes out as at most this many messages; the
	// rest is cut with a pointer saying so.
	maxParts = 3
)

const (
	contd = "\n（未完，见下一条）"
	cut   = "\n……（内容过长，其余已省略）"
)

// trimBytes cuts s to at most max bytes on a rune boundary, ending with "…"
// when something was cut.
func trimBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ell = "…"
	return cutRunes(s, max-len(ell)) + ell
}

// cutRunes returns the longest prefix of s of at most max bytes that ends on
// a rune boundary.
func cutRunes(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// split breaks text into messages of at most max bytes each, at line breaks
// where it can, never inside a character. Every message but the last says
// that more follows; beyond parts messages the text is cut with a pointer.
func split(text string, max, parts int) []string {
	if len(text) <= max {
		return []string{text}
	}
	var out []string
	rest := text
	for len(rest) > 0 {
		if len(out) == parts-1 {
			if len(rest) > max {
				rest = cutAtLine(rest, max-len(cut)) + cut
			}
			out = append(out, rest)
			break
		}
		if len(rest) <= max {
			out = append(out, rest)
			break
		}
		head := cutAtLine(rest, max-len(contd))
		out = append(out, head+contd)
		rest = strings.TrimLeft(rest[len(head):], "\n")
	}
	return out
}

// cutAtLine returns a prefix of s of at most max bytes, ending at the last
// line break if there is one in its second half.
func cutAtLine(s string, max int) string {
	head := cutRunes(s, max)
	if i := strings.LastIndexByte(head, '\n'); i > len(head)/2 {
		return head[:i]
	}
	return head
}
