package parse

// Numerals shared by dates and amounts.

// cnDigit maps a Chinese digit to its value (-1 if r is none).
func cnDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一', '壹':
		return 1
	case '二', '两', '贰':
		return 2
	case '三', '叁':
		return 3
	case '四', '肆':
		return 4
	case '五', '伍':
		return 5
	case '六', '陆':
		return 6
	case '七', '柒':
		return 7
	case '八', '捌':
		return 8
	case '九', '玖':
		return 9
	}
	return -1
}

// cnScale maps a Chinese scale word to its multiplier (0 if r is none).
func cnScale(r rune) int64 {
	switch r {
	case '十', '拾':
		return 10
	case '百', '佰':
		return 100
	case '千', '仟':
		return 1000
	case '万':
		return 10000
	case '亿':
		return 100000000
	}
	return 0
}

func isCNNum(r rune) bool { return cnDigit(r) >= 0 || cnScale(r) > 0 }

// readSmallInt reads a small integer (Arabic, at most 4 digits, or Chinese
// below 100) at i. It returns the value and the end, or ok=false.
func readSmallInt(t []rune, i int) (n, end int, ok bool) {
	if i >= len(t) {
		return 0, i, false
	}
	if isDigit(t[i]) {
		j := i
		for j < len(t) && isDigit(t[j]) && j-i < 5 {
			n = n*10 + int(t[j]-'0')
			j++
		}
		if j-i > 4 || j < len(t) && isDigit(t[j]) {
			return 0, i, false
		}
		return n, j, true
	}
	// Chinese: [D]十[D] or D
	j := i
	d := cnDigit(t[j])
	switch {
	case t[j] == '十' || t[j] == '拾':
		n = 10
		j++
		if j < len(t) && cnDigit(t[j]) > 0 {
			n += cnDigit(t[j])
			j++
		}
	case d >= 0:
		j++
		if j < len(t) && (t[j] == '十' || t[j] == '拾') {
			n = d * 10
			j++
			if j < len(t) && cnDigit(t[j]) > 0 {
				n += cnDigit(t[j])
				j++
			}
		} else {
			n = d
		}
	default:
		return 0, i, false
	}
	if j < len(t) && (cnScale(t[j]) >= 100 || cnDigit(t[j]) >= 0) {
		return 0, i, false // a larger number (一百, 二零二六): not a small one
	}
	return n, j, true
}
