package entities_test

import (
	"fmt"

	"github.com/stance/classifierd/internal/entities"
)

func ExampleGazetteer_Find() {
	text := "Iran's Defense Minister Karim Rahimi met NATO officials. Rahimi said the U.S. must act."
	ms, err := entities.Default().Find(text, entities.Options{Builtin: true})
	if err != nil {
		panic(err)
	}
	for _, m := range ms {
		fmt.Printf("%-12s %-20s %-7s %s\n", text[m.Start:m.End], m.Entity.ID, m.Entity.Country, m.Source)
	}
	// Output:
	// Iran         IRN                          GAZETTEER
	// Karim Rahimi person:karim-rahimi  IRN     TITLE
	// NATO         NATO                         GAZETTEER
	// Rahimi       person:karim-rahimi  IRN     SHORT_REF
	// U.S.         USA                          GAZETTEER
}

func ExampleGroupMentions() {
	text := "NATO and Iran. Iran again."
	ms, _ := entities.Default().Find(text, entities.Options{Builtin: true})
	for _, g := range entities.GroupMentions(text, ms) {
		fmt.Printf("%s %d %.2f\n", g.Entity.ID, len(g.Mentions), g.Salience)
	}
	// Output:
	// NATO 1 0.41
	// IRN 2 0.59
}
