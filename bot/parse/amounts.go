package parse

import "strings"

// Amounts (CONTRACT.md "Amounts"): every sum of money in the message is
// read, classed by the words around it, and the deal's value is the first
// of the best class: contract > quote > budget > estimate > unclassed.
// Payments, discounts, unit prices and past orders are dropped.

// Amount classes (hit.val of catAmountKey), best first.
// A lower class wins; a sum after a transition word (降到, 共) takes the
// class of the money word before it, one better, so the later figure wins
// within its class (报价85万，最后降到80万 → 80万).
const (
	amtContract  = 0
	amtQuote     = 2
	amtBudget    = 4
	amtEstimate  = 6
	amtUnclassed = 8
	amtReduce    = 50 // 降到, 砍到: the price brought down to; contract with nothing before
	amtTotal     = 51 // 共, 合计: a total of what came before
	amtWish      = 98 // 希望, 心理价位, 控制在: the price the customer wishes for, never the deal's value
	amtExcluded  = 99
)

func addAmountWords(tb *table) {
	tb.add(catAmountKey, amtContract,
		"合同金额", "合同额", "合同价", "合同总额", "合同总价", "签约金额", "签约额", "签约价", "签单金额",
		"成交价", "成交金额", "成交额", "中标价", "中标金额", "中标额", "最终价格", "最终价", "最后价格",
		"定在", "定了", "谈妥", "签了", "最后", "签约", "成交", "中标", "合同签了", "签下")
	tb.add(catAmountKey, amtQuote,
		"报价", "报了", "报的是", "报的", "报过", "总价", "价格", "报价单", "报给", "开价", "投标价", "报价是", "最终报价")
	tb.add(catAmountKey, amtBudget, "预算")
	// What the customer wishes to pay is not the deal's value (CONTRACT.md:
	// the deal's value; a wished-for price is neither a quote nor a budget).
	tb.add(catAmountKey, amtWish,
		"心理价位", "心理价", "希望", "压到", "压缩到", "还价", "控制在", "只能给", "出价", "目标价", "能接受", "想要")
	tb.add(catAmountKey, amtReduce, "砍到", "降到", "谈到", "让到", "压到了", "降价到", "砍价到", "谈到了", "降至")
	tb.add(catAmountKey, amtTotal, "共", "总共", "一共", "合计", "总计", "共计")
	tb.add(catAmountKey, amtEstimate,
		"预估", "预计", "估计", "大概", "大约", "规模", "年费", "每年", "金额", "项目金额", "投资", "总投资", "总额", "估值")
	tb.add(catAmountKey, amtExcluded,
		"首付", "首款", "尾款", "预付", "预付款", "定金", "订金", "到账", "回款", "付款", "付了", "已付", "支付",
		"打款", "让了", "让利", "优惠", "折扣", "便宜了", "降了", "少了", "减了", "单价", "每台", "每套", "每个",
		"每月", "每人", "每家", "一台", "一套", "采购过", "买过", "去年", "上次", "罚款", "押金", "保证金", "差价",
		"利润", "毛利", "成本", "提成", "奖金", "工资", "报销", "营收", "营业额", "收入", "市值", "融资",
		"注册资本", "差了", "相差", "差距", "便宜", "降价", "减免", "合作过", "开票", "发票", "已收", "收款", "退款",
		"赔偿", "违约金", "垫资", "每次", "每平", "每平米", "一个人", "人均")
	tb.add(catEstimateMod, 0, "预计", "预估", "估计", "大概", "大约", "约")
}

// money is one sum found in the text.
type money struct {
	start, end int
	value      int64
	class      int
}

// notAfterMoney lists what, right after 万/千/亿, shows a count, not money.
var notAfterMoney = runeSet("人台套家次条平米吨辆张份件户用行字步倍名粉级像亩册本支箱瓶片只头盒袋包座栋辆颗")

// readMoney reads a sum of money at i, or returns ok=false.
func readMoney(t []rune, i int) (value int64, end int, ok bool) {
	r := t[i]
	var prev rune
	if i > 0 {
		prev = t[i-1]
	}
	switch {
	case isDigit(r):
		if isDigit(prev) || prev == '.' || isLatin(prev) || prev == ',' && i > 1 && isDigit(t[i-2]) {
			return 0, i, false
		}
		return readArabicMoney(t, i)
	case cnDigit(r) >= 0 || r == '十':
		if isCNNum(prev) || prev == '第' {
			return 0, i, false
		}
		return readChineseMoney(t, i)
	}
	return 0, i, false
}

// readArabicMoney: 50w, 3.5万, 1.2个亿, 1,280,000元, 680k, 26000块, 3万5.
func readArabicMoney(t []rune, i int) (int64, int, bool) {
	j := i
	var ip int64
	nd, grp, grouped := 0, 0, false
	for j < len(t) && nd < 15 {
		if isDigit(t[j]) {
			ip = ip*10 + int64(t[j]-'0')
			nd++
			grp++
			j++
			continue
		}
		if t[j] == ',' && grp > 0 && (grp <= 3 && !grouped || grp == 3) && j+4 <= len(t) && allDigits(t[j+1:j+4]) && (j+4 >= len(t) || !isDigit(t[j+4])) {
			grouped, grp = true, 0
			j++
			continue
		}
		break
	}
	var frac int64
	fd := 0
	if j+1 < len(t) && t[j] == '.' && isDigit(t[j+1]) {
		j++
		for j < len(t) && isDigit(t[j]) && fd < 6 {
			frac = frac*10 + int64(t[j]-'0')
			fd++
			j++
		}
	}
	k := j
	if k < len(t) && t[k] == ' ' {
		k++
	}
	if k < len(t) && (t[k] == '多' || t[k] == '余' || t[k] == '几' || t[k] == '来') && k+1 < len(t) && (t[k+1] == '万' || t[k+1] == '亿') {
		k++ // 100多万, 80来万: about that many
	}
	if k < len(t) && t[k] == '%' {
		return 0, i, false
	}
	mult, u := unitAt(t, k)
	if mult == 0 && k < len(t) && t[k] == 'm' && (k+1 >= len(t) || !isAlnum(t[k+1]) && !isHan(t[k+1])) && moneyWordBefore(t, i) {
		mult, u = 1000000, 1 // RMB 3.6M, 报价 1.5m: millions, only after a money word
	}
	if mult == 0 {
		// No unit: a grouped number, or a plain one of at least 1,000 after
		// a currency sign or a money word.
		if j < len(t) && (t[j] == '-' || t[j] == '~' || t[j] == '到' || t[j] == '至') && j+1 < len(t) && isDigit(t[j+1]) {
			if _, e2, ok := readArabicMoney(t, j+1); ok {
				if m2, _ := unitAt(t, unitPos(t, j+1)); m2 > 1 {
					return scale(ip, frac, fd, m2), e2, true
				}
			}
		}
		if grouped || ip >= 1000 && fd == 0 && moneyWordBefore(t, i) {
			return ip, j, true
		}
		return 0, i, false
	}
	v := scale(ip, frac, fd, mult)
	end := k + u
	if mult >= 10000 || mult == 1000 {
		if end < len(t) && notAfterMoney[t[end]] {
			return 0, i, false
		}
		v, end = moneyTail(t, end, mult, v)
	}
	if end < len(t) && (t[end] == '元' || t[end] == '块') {
		end++
	}
	return v, end, true
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !isDigit(r) {
			return false
		}
	}
	return true
}

// unitPos skips the digits of a number starting at i.
func unitPos(t []rune, i int) int {
	for i < len(t) && (isDigit(t[i]) || t[i] == '.' || t[i] == ',') {
		i++
	}
	return i
}

// unitAt reads a money unit at k: its multiplier and length (0 if none).
func unitAt(t []rune, k int) (int64, int) {
	if k >= len(t) {
		return 0, 0
	}
	switch t[k] {
	case '万':
		if hasStrAt(t, k+1, "亿") {
			return 1000000000000, 2
		}
		return 10000, 1
	case '亿':
		return 100000000, 1
	case '千':
		if hasStrAt(t, k+1, "万") {
			return 10000000, 2
		}
		return 1000, 1
	case '个':
		if hasStrAt(t, k+1, "亿") {
			return 100000000, 2
		}
	case 'w':
		if k+1 >= len(t) || !isAlnum(t[k+1]) {
			return 10000, 1
		}
	case 'k':
		if k+1 >= len(t) || !isAlnum(t[k+1]) {
			return 1000, 1
		}
		if t[k+1] == 'w' && (k+2 >= len(t) || !isAlnum(t[k+2])) {
			return 10000000, 2 // 1.2kw: 千万
		}
	case '元':
		if !hasStrAt(t, k+1, "旦") {
			return 1, 1
		}
	case '块':
		if k+1 >= len(t) || !isHan(t[k+1]) || strings.ContainsRune("钱的左以多一", t[k+1]) {
			return 1, 1
		}
	}
	return 0, 0
}

func scale(ip, frac int64, fd int, mult int64) int64 {
	v := ip * mult
	if fd > 0 {
		p := int64(1)
		for k := 0; k < fd; k++ {
			p *= 10
		}
		v += frac * mult / p
	}
	return v
}

// moneyTail reads what may follow 万/亿/千: a lone digit counts in the next
// unit down (四十八万八, 3万5), a further number with its own smaller unit
// is added (1亿2000万, 3万5千).
func moneyTail(t []rune, end int, mult, v int64) (int64, int) {
	if end >= len(t) {
		return v, end
	}
	d := -1
	if isDigit(t[end]) {
		d = int(t[end] - '0')
	} else {
		d = cnDigit(t[end])
	}
	if d > 0 && (end+1 >= len(t) || !isAlnum(t[end+1]) && t[end+1] != '.' && (!isHan(t[end+1]) || strings.ContainsRune("元块左上以的多", t[end+1]))) {
		return v + int64(d)*mult/10, end + 1
	}
	if isDigit(t[end]) {
		if v2, e2, ok := readArabicMoney(t, end); ok {
			if m2, _ := unitAt(t, unitPos(t, end)); m2 > 1 && m2 < mult {
				return v + v2, e2
			}
		}
	}
	return v, end
}

// moneyWordBefore reports a currency sign or a money word right before i.
func moneyWordBefore(t []rune, i int) bool {
	j := i - 1
	for j >= 0 && (t[j] == ' ' || t[j] == ':' || t[j] == '是' || t[j] == '为' || t[j] == '约' || t[j] == '在') {
		j--
	}
	if j < 0 {
		return false
	}
	if t[j] == '¥' || t[j] == '￥' || t[j] == '$' {
		return true
	}
	for _, w := range []string{"报价", "预算", "金额", "总价", "合同额", "价格", "rmb", "cny", "报了"} {
		if endsWithStr(t, j+1, w) {
			return true
		}
	}
	return false
}

// readChineseMoney: 二十万, 一百五十万, 四十八万八, 两个亿, 九千, 五百块.
func readChineseMoney(t []rune, i int) (int64, int, bool) {
	if i > 0 && t[i-1] == '几' {
		return 0, i, false // 几十万, 大几十万: no figure named
	}
	j := i
	for j < len(t) && (isCNNum(t[j]) || t[j] == '个' && hasStrAt(t, j+1, "亿")) {
		j++
	}
	run := t[i:j]
	hasUnit := false
	for _, r := range run {
		if r == '万' || r == '亿' || r == '千' || r == '仟' {
			hasUnit = true
		}
	}
	end := j
	if end+1 < len(t) && (t[end] == '多' || t[end] == '余' || t[end] == '几' || t[end] == '来') && (t[end+1] == '万' || t[end+1] == '亿') {
		// 一千多万: the leading figure scaled by the unit after 多.
		if v, ok := cnValue(run); ok && v > 0 {
			return v * cnScale(t[end+1]), end + 2, true
		}
	}
	unit1 := false
	if end < len(t) && (t[end] == '元' || t[end] == '块') {
		if u, _ := unitAt(t, end); u == 1 {
			unit1 = true
		}
	}
	if !hasUnit && !unit1 {
		return 0, i, false
	}
	if end < len(t) && notAfterMoney[t[end]] {
		return 0, i, false
	}
	v, ok := cnValue(run)
	if !ok || v <= 0 {
		return 0, i, false
	}
	if unit1 {
		end++
	}
	return v, end, true
}

// cnValue computes a Chinese numeral, with the colloquial tail rule: a lone
// digit after a unit counts in the next unit down (四十八万八 = 488000,
// 一百五 = 150, 三千五 = 3500).
func cnValue(run []rune) (int64, bool) {
	var total, section, digit int64
	lastUnit := int64(0)
	digitSeen := false
	for _, r := range run {
		if r == '个' {
			continue
		}
		if d := cnDigit(r); d >= 0 {
			if digitSeen && d > 0 && digit > 0 {
				continue // 两三百万, 三五十万: a range, keep its lower end
			}
			digit = int64(d)
			digitSeen = true
			continue
		}
		s := cnScale(r)
		switch {
		case s >= 10000:
			section += digit
			if section == 0 {
				section = 1
			}
			if s == 100000000 {
				total = (total + section) * s
			} else {
				total += section * s
			}
			section, digit, digitSeen = 0, 0, false
			lastUnit = s
		default:
			if !digitSeen && s == 10 {
				digit = 1
			}
			section += digit * s
			digit, digitSeen = 0, false
			lastUnit = s
		}
	}
	if digitSeen {
		if lastUnit >= 100 && len(run) >= 2 && cnScale(run[len(run)-2]) == lastUnit {
			section += digit * lastUnit / 10
		} else {
			section += digit
		}
	}
	return total + section, true
}

// amount returns the deal's value, if the message names one.
func (m *msg) amount() (int64, bool) {
	t := m.t
	var best *money
	var cur money
	for i := 0; i < len(t); {
		v, end, ok := readMoney(t, i)
		if !ok || m.inDate(i) {
			i++
			continue
		}
		cur = money{start: i, end: end, value: v, class: m.moneyClass(i, end)}
		if m.isDenied(i) {
			cur.class = amtExcluded // 不是50万是80万
		}
		m.sums = append(m.sums, cur)
		if cur.class != amtExcluded && cur.class != amtWish && (best == nil || cur.class < best.class) {
			c := cur
			best = &c
		}
		i = end
	}
	if best == nil {
		return 0, false
	}
	return best.value, true
}

// prevMoneyKey returns the class of the nearest plain money word before
// pos (transitions, exclusions and estimates skipped).
func (m *msg) prevMoneyKey(from, pos int) (int, bool) {
	best, ok, end := 0, false, -1
	m.hitsIn(catAmountKey, from, pos, func(h hit) bool {
		v := int(h.val)
		if int(h.end) <= pos && v <= amtBudget && int(h.end) >= end {
			best, ok, end = v, true, int(h.end)
		}
		return true
	})
	return best, ok
}

// inDate reports whether i lies inside a date mention.
func (m *msg) inDate(i int) bool {
	for _, d := range m.dates {
		if i >= d.start && i < d.end {
			return true
		}
	}
	return false
}

// moneyClass classes the sum at [start,end) by the nearest money word
// before it in its sentence, then by the words right after it.
func (m *msg) moneyClass(start, end int) int {
	t := m.t
	// Words right after the sum: 八十万成交, 3.5万已经付了, 75万以内.
	ce := clauseEnd(t, end, true)
	if ce > end+8 {
		ce = end + 8
	}
	for _, w := range []string{"已到账", "到账", "已经付", "已付", "付了", "已支付", "的订单", "回款"} {
		if containsStr(t, end, ce, w) {
			return amtExcluded
		}
	}
	// A sum named as a discount (6万的优惠, 5万折扣) is not the deal's value.
	for _, w := range []string{"的优惠", "的折扣", "的让利", "优惠", "折扣", "让利"} {
		if hasStrAt(t, end, w) && !hasStrAt(t, end+len([]rune(w)), "到") && !hasStrAt(t, end+len([]rune(w)), "后") && !hasStrAt(t, end+len([]rune(w)), "价") {
			return amtExcluded
		}
	}
	// A price per unit (3万一台, 500元/人) is not the deal's value; a yearly
	// fee (3.5万一年) counts as an estimate.
	for _, w := range []string{"一台", "每台", "/台", "一套", "每套", "/套", "一个", "每个", "/个", "每人", "/人", "一人",
		"每月", "/月", "一个月", "每次", "/次", "一次", "每平", "/平", "平米", "一平", "每家", "一家", "/件", "一件", "每件"} {
		if hasStrAt(t, end, w) {
			return amtExcluded
		}
	}
	annual := false
	for _, w := range []string{"一年", "每年", "/年", "年费"} {
		if hasStrAt(t, end, w) {
			annual = true
		}
	}
	from := sentenceStart(t, start)
	if start-from > 30 {
		from = start - 30
	}
	h, ok := m.lastHitBefore(catAmountKey, from, start)
	if ok && h.val == amtExcluded && discountThen(t, int(h.pos), int(h.end)) {
		ok = false // 优惠后45万签了: the price after the discount
	}
	if ok && !(h.val == amtExcluded && (start-int(h.end) > 8 || clauseStart(t, start, false) > int(h.pos))) {
		c := int(h.val)
		if c == amtReduce && m.wishBefore(int(h.pos)) {
			c = amtWish // 要砍到280万: what they want, not the price agreed
		}
		if c == amtWish {
			return amtWish
		}
		if c == amtQuote && m.anyHit(catCompetitor, clauseStart(t, start, false), int(h.pos)) {
			return amtExcluded // 竞品华讯报了45w: a competitor's price
		}
		if c == amtReduce || c == amtTotal {
			def := amtContract
			if c == amtTotal {
				def = amtUnclassed
			}
			c = def
			if p, ok := m.prevMoneyKey(from, int(h.pos)); ok {
				c = p - 1
			}
		}
		if c == amtContract || c == amtQuote {
			if mod, ok := m.lastHitBefore(catEstimateMod, from, int(h.pos)+1); ok && int(h.pos)-int(mod.end) <= 3 && int(mod.pos) < int(h.pos) {
				c = amtEstimate
			}
		}
		if annual && c != amtExcluded {
			return amtEstimate
		}
		return c
	}
	if annual {
		return amtEstimate
	}
	for _, w := range []string{"成交", "签约", "签了"} {
		if containsStr(t, end, ce, w) {
			return amtContract
		}
	}
	if containsStr(t, end, ce, "以内") {
		return amtBudget
	}
	return amtUnclassed
}

// wishBefore reports a wish word (要, 想, 希望) right before pos.
func (m *msg) wishBefore(pos int) bool {
	h, ok := m.lastHitBefore(catFuture, max(0, pos-5), pos)
	if !ok || h.val != futureWeak {
		return false
	}
	if pos-int(h.end) <= 1 {
		return true
	}
	switch string(m.t[h.end:pos]) {
	case "我们", "他们", "我方", "咱们", "你们", "我们再", "我们能":
		return true // 希望我们降到25万
	}
	return false
}

// discountThen reports a discount word followed by 后/到/至 (优惠后, 让利到):
// the sum after it is the resulting price, not the discount.
func discountThen(t []rune, pos, end int) bool {
	w := string(t[pos:end])
	switch w {
	case "优惠", "折扣", "让利", "降价", "便宜":
	default:
		return false
	}
	return end < len(t) && strings.ContainsRune("后到至", t[end])
}

// apartOnPrice reports a quoted sum above what the customer wishes to pay
// (我们报的35万，他们希望我们降到25万): the two sides are still apart on
// price (CONTRACT.md: → negotiation). A budget below the quote alone (报价
// 42万，预算只有35万) is left a quote, as the labelled sets have it. It
// reads the sums amount found.
func (m *msg) apartOnPrice() bool {
	var quote, want int64
	for _, s := range m.sums {
		switch s.class {
		case amtQuote, amtQuote - 1:
			quote = max(quote, s.value)
		case amtWish:
			if want == 0 || s.value < want {
				want = s.value
			}
		}
	}
	return quote > 0 && want > 0 && want < quote
}
