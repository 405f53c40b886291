package features_test

import (
	"fmt"

	"github.com/stance/classifierd/internal/features"
)

func ExampleSplitWords() {
	text := "NATO’s “expansion” worried the U.S., Kan'ani said."
	for _, t := range features.SplitWords(nil, text) {
		fmt.Printf("[%d,%d) %s %q\n", t.Start, t.End, t.Kind, text[t.Start:t.End])
	}
	// Output:
	// [0,4) word "NATO"
	// [4,8) word "’s"
	// [9,12) punct "“"
	// [12,21) word "expansion"
	// [21,24) punct "”"
	// [25,32) word "worried"
	// [33,36) word "the"
	// [37,41) word "U.S."
	// [41,42) punct ","
	// [43,50) word "Kan'ani"
	// [51,55) word "said"
	// [55,56) punct "."
}
