package lexicon_test

import (
	"fmt"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// A user file laid over the default lexicon adds, replaces and removes
// cues without retraining the model.
func Example() {
	const userFile = `# analyst overrides
special military operation	-0.6	phrase
accused	-0.8	verb	analyst
partnership	0	noun
`
	over, err := lexicon.Load(strings.NewReader(userFile))
	if err != nil {
		fmt.Println(err)
		return
	}
	l := lexicon.Default().Merge(over)

	for _, phrase := range []string{"special military operation", "accused", "partnership", "mutual respect", "not", "reportedly"} {
		c, ok := l.Lookup(phrase)
		if !ok {
			fmt.Printf("%-26s -\n", phrase)
			continue
		}
		fmt.Printf("%-26s %-5v %-11v %s\n", phrase, c.Weight, c.Kind, c.Source)
	}
	// Output:
	// special military operation -0.6  phrase      user
	// accused                    -0.8  verb        analyst
	// partnership                -
	// mutual respect             0.8   phrase      team
	// not                        -1    negator     team
	// reportedly                 0.6   hedge       team
}

// Load reports every problem of a file at once, each with its line number.
func ExampleLoad() {
	_, err := lexicon.Load(strings.NewReader("threat\t-0.7\tnoun\nThreat!\t-2\tnoun\nally\t0.6\tfriend\n"))
	fmt.Println(err)
	// Output:
	// line 2: bad phrase "Threat!": word "Threat!": not lowercase
	// line 2: bad weight -2: must be in [-1, 1]
	// line 3: bad kind "friend"
}
