package domain_test

import (
	"sync"
	"testing"

	"salesbot/domain"
)

func TestRegisterFromDirectory(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		east := f.East
		east.WeComDepartmentID = 7
		if err := f.store.UpdateTeam(f.ctx, &east); err != nil {
			t.Fatal(err)
		}

		t.Run("MappedDepartment", func(t *testing.T) {
			m, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformWeCom, "newrep", "新同事", []int64{3, 7})
			if err != nil {
				t.Fatal(err)
			}
			if m.ID == 0 || m.TeamID != east.ID || m.Role != domain.RoleRep || !m.Active || m.WeComUserID != "newrep" || m.Name != "新同事" {
				t.Errorf("registered %+v", m)
			}
			got, err := f.svc.Identify(f.ctx, domain.PlatformWeCom, "newrep")
			if err != nil || got.ID != m.ID {
				t.Errorf("Identify after registering: %+v, %v", got, err)
			}
			again, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformWeCom, "newrep", "新同事", []int64{7})
			if err != nil || again.ID != m.ID {
				t.Errorf("second registration: %+v, %v", again, err)
			}
		})
		t.Run("NoMappedTeam", func(t *testing.T) {
			_, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformWeCom, "outsider", "外人", []int64{99})
			wantCode(t, err, domain.ENOTFOUND)
			if msg := domain.ErrorMessage(err); msg != "你所在的部门还没有对应的销售团队，请联系管理员把你加入团队" {
				t.Errorf("message %q", msg)
			}
			_, err = f.svc.Identify(f.ctx, domain.PlatformWeCom, "outsider")
			wantCode(t, err, domain.ENOTFOUND)
		})
		t.Run("OnlyWeComHasMappings", func(t *testing.T) {
			_, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformDingTalk, "dt1", "某人", []int64{7})
			wantCode(t, err, domain.ENOTFOUND)
		})
		t.Run("LinksImportedMember", func(t *testing.T) {
			imported := domain.Member{Name: "赵敏", Role: domain.RoleRep, TeamID: east.ID, Active: true, CreatedAt: start}
			if err := f.store.CreateMember(f.ctx, &imported); err != nil {
				t.Fatal(err)
			}
			m, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformWeCom, "zhaomin", "赵敏", []int64{7})
			if err != nil {
				t.Fatal(err)
			}
			if m.ID != imported.ID || m.WeComUserID != "zhaomin" {
				t.Errorf("got %+v, want the imported member %d linked", m, imported.ID)
			}
		})
		t.Run("SameNameInOtherTeamIsAnotherPerson", func(t *testing.T) {
			other := f.SouthReps[0]
			m, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformWeCom, "namesake", other.Name, []int64{7})
			if err != nil {
				t.Fatal(err)
			}
			if m.ID == other.ID || m.TeamID != east.ID {
				t.Errorf("got %+v", m)
			}
		})
		t.Run("ConcurrentDeliveries", func(t *testing.T) {
			var wg sync.WaitGroup
			ids := make([]int64, 3)
			errs := make([]error, 3)
			for i := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					m, err := f.svc.RegisterFromDirectory(f.ctx, domain.PlatformWeCom, "racer", "赛跑者", []int64{7})
					ids[i], errs[i] = m.ID, err
				}()
			}
			wg.Wait()
			for i := range ids {
				if errs[i] != nil || ids[i] != ids[0] {
					t.Errorf("registration %d: id %d, err %v (first id %d)", i, ids[i], errs[i], ids[0])
				}
			}
		})
	})
}
