// Package entities finds the countries, organisations, armed groups,
// territories and people that a political news article talks about.
//
// A [Gazetteer] holds the built-in table (compiled by cmd/gazettegen from the
// Phoenix actor dictionaries plus hand-written additions) as tries that
// [Gazetteer.Find] walks only where a word starts, people's names and
// all-capital aliases only where it starts with a capital (PERFORMANCE.md
// says why). Find returns non-overlapping mentions with exact UTF-8 byte
// offsets; on top of the table it recognises people introduced with a
// title ("Foreign Minister Sergey Lavrov"), links them to the state the text
// says they speak for ("Iran's Defense Minister ..."), and resolves later short
// references ("Lavrov") to them. Caller-supplied targets are matched the same
// way and win over built-in entries. [GroupMentions] groups mentions by entity
// and scores how central each entity is to the document.
//
// A match of the table is kept only where its context lets it name the
// entity (context.go): a capital used as a place, a state's name inside the
// name of a school, paper or team, a famous surname on a namesake, or a
// state name shared with a US state and unsupported by the rest of the
// document is left out, and a namesake is returned as an unlinked person.
// [Evaluate] scores Find on a labelled set.
//
// The package never logs and keeps no mutable state beyond the lazily built
// [Default] gazetteer.
package entities
