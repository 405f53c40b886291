package entities

// Type is the kind of real-world entity a mention refers to.
type Type uint8

// Entity types.
const (
	TypeUnspecified Type = iota
	TypeCountry
	TypeOrganization
	TypePerson
	TypeGroup
	TypeLocation
)

var typeNames = [...]string{"TYPE_UNSPECIFIED", "COUNTRY", "ORGANIZATION", "PERSON", "GROUP", "LOCATION"}

// String returns the upper-case name used in the table and the API
// ("COUNTRY", "ORGANIZATION", ...).
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "TYPE_UNSPECIFIED"
}

// parseType is the inverse of String for the table loader.
func parseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if i > 0 && n == s {
			return Type(i), true
		}
	}
	return TypeUnspecified, false
}

// Entity is one real-world entity.
type Entity struct {
	// ID is stable across releases: ISO 3166 alpha-3 for states ("IRN"), a
	// short code for organisations ("NATO", "IAEA"), "person:<slug>" for
	// people, and the caller's id for caller targets.
	ID string
	// Name is the display name ("Iran", "NATO", "Ebrahim Raisi").
	Name string
	Type Type
	// Country is the ID of the state a person or organ speaks for, when
	// known ("IRN" for Raisi or for "Iran's Defense Minister X"); for heads
	// of international bodies it is the body ("NATO" for its Secretary
	// General). Empty otherwise.
	Country string
}

// Source says how a mention was found.
type Source uint8

// Mention sources.
const (
	// SourceGazetteer is a match of the built-in table.
	SourceGazetteer Source = iota
	// SourceCaller is a match of a caller-supplied target.
	SourceCaller
	// SourceTitle is a person found because a title precedes the name.
	SourceTitle
	// SourceShortRef is a short reference ("Raisi") to a person named in
	// full elsewhere in the text, or a phrase that refers back to an entity
	// named before it ("the alliance" for NATO).
	SourceShortRef
	// SourceName is a personal name that the table does not know, found
	// around a known person's namesake ("Sam Harris" is not Kamala Harris)
	// or by a given name the table's people bear ("Nikos Dendias"); its
	// entity is an unlinked PERSON.
	SourceName
)

var sourceNames = [...]string{"GAZETTEER", "CALLER", "TITLE", "SHORT_REF", "NAME"}

// String names the source.
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "UNKNOWN"
}

// Mention is one occurrence of an entity in a text.
type Mention struct {
	// Start and End are UTF-8 byte offsets, half-open: text[Start:End] is
	// the surface form, without a possessive 's.
	Start, End int
	Entity     Entity
	Source     Source
}

// Target is an entity the caller asks to find.
type Target struct {
	// ID may be empty; then a stable id is derived from Name.
	ID      string
	Name    string
	Aliases []string
	// Type may be left unspecified; then Find gives the target the type
	// the service can tell (infer.go: the built-in table's for its name,
	// or a person's by a title or its surname), unless
	// Options.TypesAsGiven.
	Type Type
}

// Options select what Find looks for.
type Options struct {
	// Builtin enables the built-in gazetteer and title-based person
	// detection.
	Builtin bool
	// Targets are matched in addition and win over built-in matches on
	// overlap.
	Targets []Target
	// LeftOut, when not nil, receives the places and phrases that Find
	// matched and left out: a capital or a city as a place ("a hotel in
	// Moscow", "the mayor of London"), a blocked phrase ("the Vienna
	// talks", with no entity). Those words name no actor, which a later
	// stage that looks for unknown names must know. They are appended in
	// order of Start, as Find meets them.
	LeftOut *[]Mention
	// TypesAsGiven leaves the targets the caller did not type untyped.
	// Training sets it where the untyped targets are what the model
	// should see (training.DocRequest).
	TypesAsGiven bool
}
