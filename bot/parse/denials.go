package parse

// Denials: 不是X是Y (不是X而是Y, 不是X应该是Y) names Y and denies X. The
// denied words are no stage, amount, contact or date, in reports and in
// corrections alike (金额不是50万是80万, 联系人不是马经理是孙工).

// denialReach is how far after 不是 the affirming 是 may stand.
const denialReach = 16

// findDenials records, in m.denied, every X of a 不是X是Y in one clause.
func (m *msg) findDenials() {
	t := m.t
	for i := 0; i+1 < len(t); i++ {
		if t[i] != '不' || t[i+1] != '是' || i > 0 && t[i-1] == '是' {
			continue // 是不是: a question, not a denial
		}
		for j := i + 3; j < len(t) && j <= i+2+denialReach; j++ {
			if isClauseBreak(t, j) {
				// 不是50万，是80万: the affirming clause may follow a comma.
				if k := affirmAfter(t, j); k > j && j > i+2 {
					m.denied = append(m.denied, span{i, j})
					i = k
				}
				break
			}
			if t[j] != '是' {
				continue
			}
			if t[j-1] == '不' {
				break // a second 不是: a list of denials
			}
			end := j
			switch {
			case t[j-1] == '而':
				end = j - 1
			case j >= 2 && t[j-2] == '应' && t[j-1] == '该':
				end = j - 2
			}
			if end > i+2 {
				m.denied = append(m.denied, span{i, end})
			}
			i = j
			break
		}
	}
}

// isDenied reports whether position i lies in a denied X.
func (m *msg) isDenied(i int) bool {
	for _, s := range m.denied {
		if s.has(i) {
			return true
		}
	}
	return false
}

// openRanges splits [a,b) around the denied spans, keeping the text that
// is not denied, in order.
func (m *msg) openRanges(a, b int) []span {
	if len(m.denied) == 0 {
		return []span{{a, b}}
	}
	var out []span
	for _, d := range m.denied {
		if d.end <= a || d.start >= b {
			continue
		}
		if d.start > a {
			out = append(out, span{a, d.start})
		}
		a = max(a, d.end)
	}
	if b > a {
		out = append(out, span{a, b})
	}
	return out
}

// affirmAfter returns the end of 是, 而是 or 应该是 right after the comma at
// j (spaces allowed), or j.
func affirmAfter(t []rune, j int) int {
	if t[j] != ',' && t[j] != '，' {
		return j
	}
	k := j + 1
	for k < len(t) && isSpace(t[k]) {
		k++
	}
	for _, w := range []string{"而是", "应该是", "是"} {
		if hasStrAt(t, k, w) {
			return k + len([]rune(w))
		}
	}
	return j
}
