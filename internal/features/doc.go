// Package features turns news text into the tokens, sentences and
// target-aware features that the stance model scores.
//
// Tokenization is exact: every token, piece and sentence carries UTF-8 byte
// offsets into the caller's text, so that spans reported to users map back
// to what they sent. Words are split by SplitWords (our own splitter, not
// sugarme's EncodeSingle, which mishandles offsets and some valid input)
// and each word goes to the WordPiece model of github.com/sugarme/tokenizer
// with the cased BERT vocabulary.
package features
