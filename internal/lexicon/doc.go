// Package lexicon holds the table of stance cues that the classifier looks
// for near an entity mention: hostile and cooperative words and phrases
// with strengths, and the negators, intensifiers and hedges that modify
// them.
//
// A Lexicon maps a phrase of lowercase words to a Cue. The pipeline matches
// phrases against the lowercased tokens of a text (longest match first;
// MaxWords bounds the n-grams to try) and builds features from the cues it
// finds. Default returns the table compiled into the binary by
// cmd/lexicongen from the CAMEO verb dictionary with Goldstein scores,
// VADER, AFINN and the team's own cues; Load reads a table, and Merge lays
// one table over another, which is how users add or override cues at
// start-up without retraining.
//
// # Format
//
// Tables are UTF-8 text, one cue per line, fields separated by a TAB:
//
//	phrase<TAB>weight<TAB>kind[<TAB>source]
//
// Blank lines and lines starting with '#' are skipped; a trailing CR is
// dropped and spaces around a field are ignored.
//
//   - phrase: one to MaxPhraseWords lowercase words separated by single
//     spaces. A word is a run of letters and digits, possibly joined by
//     internal hyphens ("anti-western") or ending in a negative contraction
//     with an ASCII apostrophe ("don't"). Punctuation is not part of a
//     phrase, since the tokenizer splits it off.
//   - weight: a decimal number. For the stance kinds (verb, noun,
//     adjective, adverb, phrase) it runs from -1 (most hostile) to +1 (most
//     cooperative). For a negator it is the factor applied to the cues it
//     governs, in [-1, 1] (-1 flips). For an intensifier or hedge it is a
//     multiplier in (0, MaxMultiplier]. Weight 0 marks a removal: merged
//     over another lexicon it deletes that phrase.
//   - kind: verb, noun, adjective, adverb, phrase, negator, intensifier or
//     hedge (see Kind). A verb is directional: its subject acts on its
//     object.
//   - source: where the cue comes from, parts joined by "+": "team",
//     "vader", "afinn", "cameo:112" (with the CAMEO event code, see
//     Cue.Quad), "user". It defaults to "user" when left out.
//
// A phrase may appear once per file. Load reports every problem of a file
// at once, each as a *LineError with its line number. Write produces the
// canonical form: sorted by phrase, four fields, weights in the shortest
// decimal that reads back exactly; Version hashes that form.
//
// A user override file in this format, merged over Default, adds cues,
// replaces cues with the same phrase (whatever their kind) and, with weight
// 0, removes cues:
//
//	# my-cues.tsv
//	special military operation	-0.6	phrase
//	partnership	0	noun
//
// The package does not log and keeps no mutable state; a Lexicon is
// immutable and safe for concurrent use.
package lexicon
