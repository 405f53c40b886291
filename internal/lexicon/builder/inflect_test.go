package builder

import (
	"reflect"
	"testing"
)

func TestInflect(t *testing.T) {
	tests := []struct {
		base string
		want []string
	}{
		{"accuse", []string{"accuse", "accuses", "accused", "accusing"}},
		{"sign", []string{"sign", "signs", "signed", "signing"}},
		{"ban", []string{"ban", "bans", "banned", "banning"}},
		{"admit", []string{"admit", "admits", "admitted", "admitting"}},
		{"visit", []string{"visit", "visits", "visited", "visiting"}},
		{"target", []string{"target", "targets", "targeted", "targeting"}},
		{"deny", []string{"deny", "denies", "denied", "denying"}},
		{"veto", []string{"veto", "vetoes", "vetoed", "vetoing"}},
		{"tie", []string{"tie", "ties", "tied", "tying"}},
		{"agree", []string{"agree", "agrees", "agreed", "agreeing"}},
		{"equip", []string{"equip", "equips", "equipped", "equipping"}},
		{"deter", []string{"deter", "deters", "deterred", "deterring"}},
		{"offer", []string{"offer", "offers", "offered", "offering"}},
		{"cancel", []string{"cancel", "cancels", "canceled", "canceling", "cancelled", "cancelling"}},
		{"strike", []string{"strike", "strikes", "struck", "stricken", "striking"}},
		{"withdraw", []string{"withdraw", "withdraws", "withdrew", "withdrawn", "withdrawing"}},
		{"criticize", []string{"criticize", "criticizes", "criticized", "criticizing", "criticise", "criticises", "criticised", "criticising"}},
		{"seize", []string{"seize", "seizes", "seized", "seizing"}},
	}
	for _, tt := range tests {
		if got := Inflect(tt.base); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Inflect(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for in, want := range map[string]string{
		"threat": "threats", "ally": "allies", "clash": "clashes", "day": "days", "tax": "taxes",
	} {
		if got := Plural(in); got != want {
			t.Errorf("Plural(%q) = %q, want %q", in, got, want)
		}
	}
}
