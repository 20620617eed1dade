package parse

// An unknown organisation written right before a person (华为张总, 腾讯欧阳总,
// 比亚迪王经理): the surname and title are split off as a contact, unless
// the title belongs to the organisation (总医院, 总公司, 总部).

// commonGivenRunes are frequent given-name runes. In 刘晓燕经理 the rune
// after the surname is one, so the run is a full name, not an organisation
// 刘晓 and a person 燕经理; in 华为张总 it is not.
var commonGivenRunes = runeSet("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂建国文海晓玉红志鹏飞宇浩凯俊峰波辉亮成斌" +
	"欣佳雪梅琳莉婷慧颖思雨晨春秋冬永德立新中光荣振庆福祥瑞家子小秀英兰凤玲珍萍燕华林军东南北" +
	"卫红兴旭彬琪倩婧嘉怡欢露晶丹妍蕾薇芬云天宏鑫磊宁安元洪继少金铁长世锦坤晓红亚")

// personAt reads a surname (one or two runes) and a title starting at k, as
// a contact: 张总, 欧阳总, 王经理. The title must not begin an organisation
// word (总医院, 总部, 工厂) and 局 is left out (公安局).
func (m *msg) personAt(k int) (contactMatch, bool) {
	t := m.t
	for s := 2; s >= 1; s-- {
		if k+s >= len(t) {
			continue
		}
		if s == 2 && !isCompound(t[k:k+2]) || s == 1 && !singleSurnames[t[k]] {
			continue
		}
		if s == 1 && k > 0 && surnameTraps[string(t[k-1:k+1])] {
			continue
		}
		p := k + s
		end := -1
		for _, h := range m.hits[m.firstHit(p):] {
			if int(h.pos) > p {
				break
			}
			if h.cat == catTitle && int(h.end) > end {
				end = int(h.end)
			}
		}
		if end < 0 {
			continue
		}
		title := string(t[p:end])
		if title == "工" && (t[k] == '施' || t[k] == '童') {
			return contactMatch{}, false // 施工, 童工
		}
		if title == "局" || title == "总" && end < len(t) && (t[end] == '监' || t[end] == '裁') {
			return contactMatch{}, false
		}
		if deny, ok := notAfterTitle[title]; ok && end < len(t) && deny[t[end]] {
			return contactMatch{}, false
		}
		if m.suffixStartsAt(end) {
			return contactMatch{}, false
		}
		return contactMatch{start: k, end: end, surname: s}, true
	}
	return contactMatch{}, false
}

// suffixStartsAt reports whether an organisation suffix begins at k (总医院).
func (m *msg) suffixStartsAt(k int) bool {
	for _, h := range m.hits[m.firstHit(k):] {
		if int(h.pos) > k {
			break
		}
		if h.cat == catOrgSuffix {
			return true
		}
	}
	return false
}

// personSplit returns where a person begins inside the organisation
// candidate [s,e), leaving at least two runes of name before it, or e.
func (m *msg) personSplit(s, e int) int {
	t := m.t
	for j := s + 2; j < e; j++ {
		if !isNameRune(t[j-1]) {
			return e
		}
		if _, ok := m.personAt(j); !ok {
			continue
		}
		if j-s == 2 && singleSurnames[t[s]] && commonGivenRunes[t[s+1]] {
			return e // 刘晓燕经理: a full name
		}
		return j
	}
	return e
}

// contactAfterOrg makes the person right after the organisation taken as
// written a contact, in place of a reading that ran into the name.
func (m *msg) contactAfterOrg() {
	o := m.org
	if o.end <= o.start {
		return
	}
	c, ok := m.personAt(o.end)
	if !ok || m.absent(c.start, c.end) {
		return
	}
	kept := m.contacts[:0]
	at := -1
	for _, x := range m.contacts {
		if x.start < c.end && c.start < x.end || x.start < o.end && x.end > o.start {
			continue
		}
		if at < 0 && x.start > c.start {
			at = len(kept)
		}
		kept = append(kept, x)
	}
	c.planned = m.plannedAt(c.start, true)
	if at < 0 {
		m.contacts = append(kept, c)
		return
	}
	m.contacts = append(kept, contactMatch{})
	copy(m.contacts[at+1:], m.contacts[at:])
	m.contacts[at] = c
}
