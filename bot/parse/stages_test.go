package parse_test

import (
	"testing"

	"salesbot/domain"
)

func TestStages(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		want       domain.Stage
	}{
		{"first visit", "初次拜访长风汽车，见了李总", domain.StageProspecting},
		{"project cut", "长风汽车 李总 电话 说项目被砍了", domain.StageLost},
		{"budget cut is no loss", "长风汽车 李总 微信 说预算被砍到了30万", ""},
		{"quote chased, not sent", "长风汽车 李总 电话 催我们出报价", ""},
		{"first phone call", "今天第一次和长风汽车的李总通了电话", domain.StageProspecting},
		{"quote above the price wished for", "长风汽车李总说我们报的35万太多，他们希望我们降到25万", domain.StageNegotiation},
		{"budget below the quote alone stays a quote", "长风汽车 李总 电话 报价四十二万 他说预算只有三十五万", domain.StageQuote},
		{"done demo, then a dated next step", "这周三去长风汽车给李总做了方案演示 下周二出报价", domain.StageProposal},
		{"demo planned for a date", "长风汽车 李总 电话 方案演示 下周二去", ""},
		{"new lead", "新线索：长风汽车，李总加了微信", domain.StageProspecting},
		{"contact re-established", "长风汽车李总电话，这次算重新建立联系", domain.StageProspecting},
		{"needs survey", "今天去长风汽车做了需求调研，李总参加", domain.StageQualification},
		{"needs understood, with a gap", "长风汽车 李总 电话 了解了一下需求", domain.StageQualification},
		{"needs confirmed, with a gap", "长风汽车李总电话，二期需求基本确认了", domain.StageQualification},
		{"demo", "长风汽车 李总 线上演示了排产系统", domain.StageProposal},
		{"solution presented", "今天去长风汽车给李总讲了MES方案", domain.StageProposal},
		{"solution looked at", "长风汽车李总电话 方案初稿他们看过了", domain.StageProposal},
		{"POC running", "长风汽车 李总 POC环境搭好了 客户开始测试", domain.StageProposal},
		{"quote sent", "长风汽车 发了报价单 报了280万", domain.StageQuote},
		{"quote asked for is no quote", "长风汽车的采购李经理打电话来问我们的报价", ""},
		{"chose another's solution", "长风汽车的李总来电，说他们选了华为的方案", domain.StageLost},
		{"signed with a rival", "长风汽车的李总说已经跟竞品签了", domain.StageLost},
		{"chose ours is not lost", "长风汽车的李总来电，说他们选了我们的方案", ""},
		{"terse fields, date belongs to the next step", "长风汽车 李总 电话 需求确认 下周一 送样", domain.StageQualification},
		{"quote handed over", "长风汽车李总 报价单已经当面给了", domain.StageQuote},
		{"we quoted", "长风汽车李总电话 这次我们报了62万", domain.StageQuote},
		{"negotiating", "长风汽车李总 商务谈判，对方要求降价", domain.StageNegotiation},
		{"haggling with a gap", "长风汽车李总电话 砍了一下午价", domain.StageNegotiation},
		{"contract in approval", "长风汽车的项目已经进入合同审批了", domain.StageNegotiation},
		{"contract in process", "长风汽车 李总 电话 价格谈妥了，合同走流程中", domain.StageNegotiation},
		{"negotiation ongoing", "长风汽车 李总 报价三十二万 对方希望三十万以内 议价中", domain.StageNegotiation},
		{"signed", "长风汽车的合同签了，合同金额一百五十万", domain.StageWon},
		{"signed, bare", "长风汽车的项目签了！", domain.StageWon},
		{"won the bid", "长风汽车 李总 电话 中标了", domain.StageWon},
		{"stamped and returned", "长风汽车 李总 微信 合同已经盖章寄回", domain.StageWon},
		{"lost", "长风汽车那单丢了，选了竞品", domain.StageLost},
		{"cancelled", "长风汽车李总电话通知，项目取消了", domain.StageLost},
		{"taken by a rival", "长风汽车的项目输单了，被竞品低价拿走了", domain.StageLost},
		{"bid not won", "长风汽车 李总 电话 没中标", domain.StageLost},
		{"furthest wins", "长风汽车李总 现场 报价50万，对方砍价", domain.StageNegotiation},
		{"furthest wins over earlier steps", "今天去长风汽车给李总讲了方案，报价单也当面给了", domain.StageQuote},
		{"not signed yet", "长风汽车的合同还没签，下周一再催", ""},
		{"quote not given", "长风汽车 李总 现场 出方案了 报价还没给", domain.StageProposal},
		{"quote not sent", "长风汽车 李总 电话 还没发报价", ""},
		{"planned demo", "长风汽车李总电话，下周去做方案演示", ""},
		{"planned quote", "长风汽车李总电话 让我们下周一发正式报价", ""},
		{"planned signing", "长风汽车 李总 电话 报价给了68万，下礼拜三签约", domain.StageQuote},
		{"planned survey with a date", "长风汽车李总电话 约了下周四去总部做需求调研", ""},
		{"next step field", "客户：长风汽车\n内容：首次接触\n下一步：下周二安排产品演示", domain.StageProspecting},
		{"wish", "长风汽车李总电话 他们想先在10家店试点", ""},
		{"earlier deal lost does not count", "长风汽车李总电话 他们之前的系统选了别家，这次重新建立联系", domain.StageProspecting},
		{"earlier deal won does not count", "长风汽车李总电话 去年签过一单，今年想做二期", ""},
		{"no need", "初次拜访长风汽车，见了李总，他们暂时没有需求", ""},
		{"verbal yes is not won", "长风汽车 李总 电话 口头答应了 合同下周签", domain.StageNegotiation},
		{"signed POC is proposal", "长风汽车 李总 POC协议签了", domain.StageProposal},
		{"signed trial is proposal", "长风汽车 李总 现场 试用协议签了", domain.StageProposal},
		{"signed NDA is no stage", "长风汽车 李总 现场 保密协议签了", ""},
		{"product name is not a stage", "长风汽车 李总 现场 了解需求 家庭医生签约系统", domain.StageQualification},
		{"no stage word", "长风汽车李总电话 聊了二期，他们明年有预算", ""},
		{"report form field", "客户：长风汽车\n项目阶段：方案演示\n下一步计划：6月16日提交正式报价", domain.StageProposal},
		{"first call at their door", "长风汽车 今天首次上门 见了李总", domain.StageProspecting},
		{"solution submitted, object first", "长风汽车 李总 现场 方案已经提交 报价还没发", domain.StageProposal},
		{"solution not submitted", "长风汽车 李总 现场 方案还没提交", ""},
		{"plan after a holiday", "长风汽车 李总 电话 确认了需求 五一后出方案", domain.StageQualification},
		{"quote planned with a day after it", "长风汽车李总来公司参观交流，报价下周发", ""},
		{"still bargaining", "长风汽车李总来电说要砍到两百八十万，还在谈", domain.StageNegotiation},
		{"a chance is not a win", "长风汽车李总说我们中标的概率很大", ""},
		{"put off is not lost", "长风汽车 李总 电话 二期今年不做了，暂时没有需求", ""},
		{"test equipment is not a test", "长风汽车 李总 现场 带上测试设备看了产线", ""},
		{"曾经理 is not an earlier deal", "长风汽车 曾经理 电话 合同签了", domain.StageWon},
		// CONTRACT.md cues for the hard cases.
		{"price found too high", "长风汽车李总看了报价，觉得我们太贵", domain.StageNegotiation},
		{"asks for a discount", "长风汽车 李总 电话 要求打个八折", domain.StageNegotiation},
		{"wants a better price", "去长风汽车见了李总，他希望我们再让一点", domain.StageNegotiation},
		{"still apart on price", "长风汽车李总说双方在价格上还有分歧", domain.StageNegotiation},
		{"over their budget", "长风汽车 李总 现场 我们的价格超出了他们的预算", domain.StageNegotiation},
		{"a discount we gave is a quote", "给长风汽车报了65万，打了九折", domain.StageQuote},
		{"contract being drafted", "长风汽车李总说价格谈妥了，法务在起草合同", domain.StageNegotiation},
		{"waiting for their stamp", "长风汽车的合同寄过去了，在等对方盖章", domain.StageNegotiation},
		{"asked for the contract", "长风汽车李总电话确认了价格，让我们出合同", domain.StageNegotiation},
		{"quote accepted stays a quote", "长风汽车李总电话说报价可以接受", domain.StageQuote},
		{"both sides signed", "长风汽车的合同今天双方都签了", domain.StageWon},
		{"solution e-mailed", "长风汽车的解决方案已经邮件发给李总了", domain.StageProposal},
		{"solution still to write", "长风汽车李总电话，回头写个方案给他", ""},
		{"new opportunity", "长风汽车李总电话，有个新商机，想做车间数字化", domain.StageProspecting},
		{"back in touch", "失联了半年的长风汽车又联系上了，李总约我们去聊", domain.StageProspecting},
		{"restarted despite an old loss", "去年丢过一单的长风汽车，项目重新启动了，李总来电", domain.StageProspecting},
		{"lost to a named rival", "长风汽车李总来电说最后定了用友", domain.StageLost},
		{"won by someone else", "长风汽车的项目被友商拿下了", domain.StageLost},
		{"switched to a rival", "长风汽车转投了西门子，李总电话说的", domain.StageLost},
		{"chose us is not lost", "长风汽车李总说最后选择了我们", ""},
		{"decided a day is not lost", "长风汽车李总电话 最后定了下周签", ""},
		{"signed with another", "长风汽车最终和金蝶签了合同", domain.StageLost},
		{"slip: solution", "长风汽车 李总 现场 方按演示完成", domain.StageProposal},
		{"slip: contract", "长风汽车李总电话 合铜已经签了", domain.StageWon},
		{"slip: quote", "长风汽车 李总 报家已发 30万", domain.StageQuote},
		{"slip: needs", "长风汽车李总 电话 需球确认了", domain.StageQualification},
		{"slip: bargaining", "长风汽车李总 电话 在宜价", domain.StageNegotiation},
		{"no slip inside a word", "长风汽车李总电话，和同事一起把资料发过去了", ""},
		{"no slip across words", "长风汽车李总电话，地方安排好了", ""},
		{"signed POC agreement", "长风汽车 李总 现场 签了POC协议", domain.StageProposal},
		{"bid won", "长风汽车李总说招标结果下来了，我们中了", domain.StageWon},
		{"contract on its way to be signed", "长风汽车李总电话 合同已经走到院长那签字了", domain.StageNegotiation},
		{"one side stamped", "长风汽车的合同我们这边已经盖章寄过去了，等对方回寄", domain.StageNegotiation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			if got := stageOf(r); got != tc.want {
				t.Errorf("%q: stage %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestStagePlannedAfterVagueFuture(t *testing.T) {
	d := testDict()
	for _, text := range []string{
		"今天拜访了长风汽车李总，聊得不错，下个月签合同，预计200万",
		"长风汽车李总电话，年底签约",
		"长风汽车 李总 电话 下季度 报价",
		"长风汽车李总来访，明年出方案",
		"长风汽车李总电话，过段时间再谈价格",
		"长风汽车李总电话，近期演示一下",
		"长风汽车李总电话，下月签合同",
	} {
		r := d.Parse(text, wed)
		mustReport(t, r, text)
		if st := stageOf(r); st != "" {
			t.Errorf("%q: stage %s, want none", text, st)
		}
	}
	for _, tc := range []struct {
		text string
		want domain.Stage
	}{
		{"长风汽车 李总 视频会议 说明年扩产 需求确认了", domain.StageQualification},
		{"长风汽车李总电话，明年的项目今天签了", domain.StageWon},
		{"长风汽车李总电话，上个月签了合同，下个月出方案", domain.StageWon},
	} {
		r := d.Parse(tc.text, wed)
		if st := stageOf(r); st != tc.want {
			t.Errorf("%q: stage %q, want %q", tc.text, st, tc.want)
		}
	}
}
