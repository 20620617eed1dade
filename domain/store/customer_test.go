package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestCustomer(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		jinshi := d.Customer("金石重工股份有限公司")

		t.Run("RoundTrip", func(t *testing.T) {
			got, err := s.CustomerByID(ctx, jinshi.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jinshi, got); diff != "" {
				t.Errorf("CustomerByID (-want +got):\n%s", diff)
			}
			if _, err := s.CustomerByID(ctx, 99999); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("CustomerByID(unknown) = %v, want ErrNotFound", err)
			}
		})

		t.Run("FindByName", func(t *testing.T) {
			tests := []struct {
				name string
				want []string
			}{
				{"金石重工股份有限公司", []string{"金石重工股份有限公司"}},
				{"金石重工", []string{"金石重工股份有限公司"}},
				{"jshi", []string{"金石重工股份有限公司"}},
				{"JINSHI heavy industry", []string{"金石重工股份有限公司"}},
				{"  Huachen Tech ", []string{"华辰科技有限公司"}},
				{"德润", []string{"德润医疗器械有限公司", "德润精密机械有限公司"}},
				{"金石", nil},
				{"", nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.FindCustomersByName(ctx, tt.name)
					if err != nil {
						t.Fatal(err)
					}
					var gotNames []string
					for _, c := range got {
						gotNames = append(gotNames, c.Name)
					}
					if diff := cmp.Diff(tt.want, gotNames, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
						t.Errorf("FindCustomersByName(%q) (-want +got):\n%s", tt.name, diff)
					}
				})
			}
		})

		t.Run("NameUniqueIgnoringCase", func(t *testing.T) {
			tests := []string{"金石重工股份有限公司", "Acme Ltd", "ACME LTD"}
			first := domain.Customer{Name: "Acme Ltd", Tier: domain.TierC}
			if err := s.CreateCustomer(ctx, &first); err != nil {
				t.Fatal(err)
			}
			for _, name := range tests {
				t.Run(name, func(t *testing.T) {
					c := domain.Customer{Name: name, Tier: domain.TierC, Aliases: []string{"x-" + name}}
					if err := s.CreateCustomer(ctx, &c); !errors.Is(err, domain.ErrConflict) {
						t.Errorf("CreateCustomer = %v, want ErrConflict", err)
					}
				})
			}
			// The failed creation left no alias behind.
			if got, _ := s.FindCustomersByName(ctx, "x-ACME LTD"); len(got) != 0 {
				t.Errorf("alias of a refused customer found: %v", got)
			}
		})

		t.Run("UpdateReplacesAliases", func(t *testing.T) {
			c := jinshi
			c.Aliases = []string{"金石", "JS重工", "js重工"} // the last repeats the second
			c.Tier, c.Industry = domain.TierB, "重工"
			if err := s.UpdateCustomer(ctx, &c); err != nil {
				t.Fatal(err)
			}
			got, err := s.CustomerByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			c.Aliases = []string{"金石", "JS重工"}
			if diff := cmp.Diff(c, got); diff != "" {
				t.Errorf("after update (-want +got):\n%s", diff)
			}
			if found, _ := s.FindCustomersByName(ctx, "JSHI"); len(found) != 0 {
				t.Errorf("old alias still found: %v", found)
			}
			missing := domain.Customer{ID: 99999, Name: "无", Tier: domain.TierC}
			if err := s.UpdateCustomer(ctx, &missing); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("UpdateCustomer(missing) = %v, want ErrNotFound", err)
			}
		})

		t.Run("List", func(t *testing.T) {
			lina := d.EastReps[0]
			tests := []struct {
				name string
				f    domain.CustomerFilter
				want int
			}{
				{"All", domain.CustomerFilter{}, len(d.Customers) + 1},
				{"Owner", domain.CustomerFilter{OwnerID: lina.ID}, 2},
				{"Team", domain.CustomerFilter{TeamID: d.South.ID}, 6},
				{"OwnerAndTeam", domain.CustomerFilter{OwnerID: lina.ID, TeamID: d.South.ID}, 0},
				{"Limit", domain.CustomerFilter{Limit: 3}, 3},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.ListCustomers(ctx, tt.f)
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != tt.want {
						t.Errorf("got %d customers, want %d", len(got), tt.want)
					}
					for i := 1; i < len(got); i++ {
						if got[i-1].Name > got[i].Name {
							t.Errorf("not ordered by name: %q before %q", got[i-1].Name, got[i].Name)
						}
					}
				})
			}
		})

		t.Run("Contacts", func(t *testing.T) {
			c := d.Customer("蓝鲸新材料科技有限公司")
			for _, names := range [][]string{{"陈总", "李工"}, {"李工", " 陈总 ", "", "王经理"}, nil} {
				if err := s.AddContacts(ctx, c.ID, names); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.ListContacts(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var gotNames []string
			for _, ct := range got {
				gotNames = append(gotNames, ct.Name)
				if ct.CustomerID != c.ID || ct.ID == 0 || ct.CreatedAt.IsZero() {
					t.Errorf("contact %+v incomplete", ct)
				}
			}
			if diff := cmp.Diff([]string{"陈总", "李工", "王经理"}, gotNames); diff != "" {
				t.Errorf("ListContacts (-want +got):\n%s", diff)
			}
		})

		t.Run("ConcurrentContacts", func(t *testing.T) {
			c := d.Customer("远航物流有限公司")
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for range 8 {
				wg.Go(func() {
					errs <- s.InTx(ctx, func(tx domain.Store) error {
						return tx.AddContacts(ctx, c.ID, []string{"刘总", "孙经理"})
					})
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			got, err := s.ListContacts(ctx, c.ID)
			if err != nil || len(got) != 2 {
				t.Errorf("ListContacts = %v, %v; want 2 contacts", got, err)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			c := domain.Customer{Name: "临时客户", Aliases: []string{"临时"}, Tier: domain.TierC}
			if err := s.CreateCustomer(ctx, &c); err != nil {
				t.Fatal(err)
			}
			if err := s.AddContacts(ctx, c.ID, []string{"某总"}); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteCustomer(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			for _, check := range []struct {
				name string
				err  error
			}{
				{"ByID", second(s.CustomerByID(ctx, c.ID))},
				{"Again", s.DeleteCustomer(ctx, c.ID)},
			} {
				if !errors.Is(check.err, domain.ErrNotFound) {
					t.Errorf("%s: %v, want ErrNotFound", check.name, check.err)
				}
			}
			if found, _ := s.FindCustomersByName(ctx, "临时"); len(found) != 0 {
				t.Errorf("alias of deleted customer found: %v", found)
			}
			if cs, _ := s.ListContacts(ctx, c.ID); len(cs) != 0 {
				t.Errorf("contacts of deleted customer: %v", cs)
			}
			// The name is free again.
			again := domain.Customer{Name: "临时客户", Tier: domain.TierC}
			if err := s.CreateCustomer(ctx, &again); err != nil {
				t.Errorf("recreate: %v", err)
			}
		})
	})
}

func TestCustomerManyAliases(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// More customers than one alias batch.
		err := s.InTx(ctx, func(tx domain.Store) error {
			for i := range 520 {
				c := domain.Customer{Name: fmt.Sprintf("客户%04d", i), Aliases: []string{fmt.Sprintf("C%d", i)}, Tier: domain.TierC}
				if err := tx.CreateCustomer(ctx, &c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.ListCustomers(ctx, domain.CustomerFilter{})
		if err != nil || len(all) != 520 {
			t.Fatalf("ListCustomers = %d, %v", len(all), err)
		}
		for i, c := range all {
			if want := fmt.Sprintf("C%d", i); len(c.Aliases) != 1 || c.Aliases[0] != want {
				t.Fatalf("customer %s aliases %v, want [%s]", c.Name, c.Aliases, want)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }
