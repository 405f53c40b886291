// Package builder compiles the stance lexicon that package lexicon embeds.
//
// It reads four sources under the shared data folder and one of its own:
//
//   - the PETRARCH-2 CAMEO verb dictionary: verbs with their surface forms
//     (inflected here where the dictionary lists none) and simple
//     verb-object patterns ("struck a deal"), each with a CAMEO event code;
//   - the CAMEO Goldstein scores, -10..+10, which give those codes their
//     weight (score/10);
//   - VADER (mean valence -4..+4) and AFINN-165 (-5..+5), scaled to -1..+1
//     and averaged where both list a word;
//   - team.tsv, the team's hand-written geopolitical cues and modifiers.
//
// Generic or ambiguous entries ("say", "bill", "united", "party") and
// near-neutral ones are left out, since they add noise rather than signal.
// For a phrase given by several sources the team's cue wins, then CAMEO,
// then the sentiment lexicons. The output is sorted and its weights are
// rounded, so the same inputs always give the same bytes.
package builder
