package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/valyala/fastjson"
	"google.golang.org/protobuf/encoding/protojson"
)

// Format says how an input file is read.
type Format int

// The input formats.
const (
	// FormatAuto reads a file as JSONL when its name ends in .jsonl,
	// .ndjson or .json (before an optional .gz) or its first non-blank byte
	// is '{', and as one text document otherwise. A directory is always a
	// set of text documents.
	FormatAuto Format = iota
	// FormatJSONL reads stance JSONL: one document per line.
	FormatJSONL
	// FormatText reads the whole file as one document.
	FormatText
	// FormatRequests reads one stance.v1.ClassifyRequest per line, in its
	// protobuf JSON form (either field-name style): caller targets by name
	// with aliases and type, explicit spans, options, offset_encoding.
	FormatRequests
	// FormatCSV reads a CSV file with a header row: one document per row,
	// its text and id from the columns InputOptions name.
	FormatCSV
)

// InputOptions say how to read CSV.
type InputOptions struct {
	// TextColumn names the CSV column holding the text (default "text").
	TextColumn string
	// IDColumn names the CSV column holding the id (default "id" when
	// the header has it; otherwise documents are named line:N).
	IDColumn string
	// HolderSpans sends the holders of a JSONL line's labelled relations
	// as request spans too, beside their targets: the relation stage is
	// then scored on the gold parties, apart from finding the actors
	// (which no gazetteer does for PETRARCH's fictional states).
	HolderSpans bool
}

// String returns the format as the -format flag spells it.
func (f Format) String() string {
	switch f {
	case FormatAuto:
		return "auto"
	case FormatJSONL:
		return "jsonl"
	case FormatText:
		return "text"
	case FormatRequests:
		return "requests"
	case FormatCSV:
		return "csv"
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat reads a format as the -format flag spells it.
func ParseFormat(s string) (Format, error) {
	for _, f := range []Format{FormatAuto, FormatJSONL, FormatText, FormatRequests, FormatCSV} {
		if s == f.String() {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown input format %q (want auto, jsonl, requests, csv or text)", s)
}

// MaxTextBytes is the largest text document read from a file; a larger
// file becomes an error line without being read whole. (The server's own
// limit, 1 MiB by default, is usually lower and reported by the server.)
const MaxTextBytes = 64 << 20

// ErrMalformed marks a document that could not be read from the input.
var ErrMalformed = errors.New("malformed input")

// Doc is one input document.
type Doc struct {
	// Seq is the document's 0-based position in the input. Blank JSONL
	// lines are not documents.
	Seq int64
	// Line is the 1-based line of a JSONL document, 0 for a text file.
	Line int
	// ID identifies the document in the output: the JSONL id (line:N when
	// the line has none), or the file name of a text document.
	ID string
	// Req is the request to send; nil when Err is set.
	Req *stancev1.ClassifyRequest
	// Labels are the gold labels of a JSONL document, aligned with its
	// spans; unused by classify, scored by eval.
	Labels []string
	// Relations are its gold holder -> target labels, and Entities its
	// document-level labels, for eval.
	Relations []GoldRelation
	Entities  []GoldEntity
	// Err says why the document could not be read (it wraps
	// ErrMalformed); such a document is answered with an error line.
	Err error
	// Offset is how many input bytes, as stored (compressed or not), had
	// been read when the document was: the progress of a run.
	Offset int64
}

// Input reads documents from a JSONL file, a text file, a directory of text
// files or standard input, gzip-compressed or not. It is not safe for
// concurrent use.
type Input struct {
	opts    InputOptions
	warning string
	name    string
	size    int64
	next    func() (*Doc, error)
	close   func() error
	seq     int64
}

// Open opens path for reading; "-" is stdin. A directory yields one text
// document per regular file, in file-name order, skipping names that start
// with a dot and subdirectories.
func Open(path string, format Format, stdin io.Reader) (*Input, error) {
	return OpenWith(path, format, stdin, InputOptions{})
}

// OpenWith is Open with the options of a CSV input.
func OpenWith(path string, format Format, stdin io.Reader, opts InputOptions) (*Input, error) {
	if opts.TextColumn == "" {
		opts.TextColumn = "text"
	}
	if path == "-" {
		in := &Input{name: "stdin", size: -1, close: func() error { return nil }, opts: opts}
		if err := in.openStream(stdin, "stdin", format); err != nil {
			return nil, err
		}
		return in, nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	if fi.IsDir() {
		if format != FormatAuto && format != FormatText {
			return nil, fmt.Errorf("input %s is a directory: it is read as one text document per file, not as %s", path, format)
		}
		return openDir(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	in := &Input{name: path, size: fi.Size(), close: f.Close, opts: opts}
	if format == FormatAuto {
		format = formatByName(path)
	}
	if err := in.openStream(f, filepath.Base(path), format); err != nil {
		f.Close()
		return nil, err
	}
	return in, nil
}

// Name is the input's path, or "stdin".
func (in *Input) Name() string { return in.name }

// Size is the input's size in bytes as stored, or -1 when unknown (stdin).
func (in *Input) Size() int64 { return in.size }

// Warning is what the user should know about how the input is read (a
// file that looks like CSV read as one text document), or "".
func (in *Input) Warning() string { return in.warning }

// Close releases the input.
func (in *Input) Close() error { return in.close() }

// Next returns the next document, or io.EOF after the last. A document
// that could not be read is returned with Err set, not as an error; an
// error means the input itself failed.
func (in *Input) Next() (*Doc, error) {
	d, err := in.next()
	if err != nil {
		return nil, err
	}
	d.Seq = in.seq
	in.seq++
	return d, nil
}

// formatByName guesses a file's format from its name; FormatAuto means
// "look at the content".
func formatByName(path string) Format {
	name := strings.TrimSuffix(strings.ToLower(path), ".gz")
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	case ".txt", ".text":
		return FormatText
	case ".csv":
		return FormatAuto // read as text, with a warning: see looksCSV
	}
	return FormatAuto
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decompress returns r, decompressed when it starts with the gzip or
// Zstandard magic.
func decompress(r io.Reader) (*bufio.Reader, error) { return decompressReader(r) }

// openStream sets in.next to read r (a single file or stdin) in format.
func (in *Input) openStream(r io.Reader, id string, format Format) error {
	cr := &countingReader{r: r}
	br, err := decompress(cr)
	if err != nil {
		return fmt.Errorf("open input %s: %w", in.name, err)
	}
	auto := format == FormatAuto
	if auto {
		format = sniff(br)
	}
	if format == FormatText && auto && looksCSV(id, br) {
		in.warning = fmt.Sprintf("%s looks like CSV but is read as ONE text document; to classify one document per row use -format csv (with -text-column and -id-column)", in.name)
	}
	switch format {
	case FormatCSV:
		return in.openCSV(br, cr)
	case FormatRequests:
		return in.openLines(br, cr, parseRequestLine)
	}
	if format == FormatText {
		done := false
		in.next = func() (*Doc, error) {
			if done {
				return nil, io.EOF
			}
			done = true
			d, err := readText(br, id)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", in.name, err)
			}
			d.Offset = cr.n
			return d, nil
		}
		return nil
	}
	var p fastjson.Parser
	return in.openLines(br, cr, func(n int, line []byte) *Doc {
		d := parseLine(n, line, &p)
		if in.opts.HolderSpans {
			addHolderSpans(d)
		}
		return d
	})
}

// addHolderSpans adds the holders of d's labelled relations to its
// request's spans (InputOptions.HolderSpans), each once.
func addHolderSpans(d *Doc) {
	for _, r := range d.Relations {
		addSpan(d.Req, r.Holder)
	}
}

// addSpan adds t's span to req's spans unless it is there.
func addSpan(req *stancev1.ClassifyRequest, t dataset.Target) {
	if !slices.ContainsFunc(req.Spans, func(s *stancev1.Span) bool { return int(s.Start) == t.Start && int(s.End) == t.End }) {
		req.Spans = append(req.Spans, &stancev1.Span{Start: uint32(t.Start), End: uint32(t.End)})
	}
}

// openLines sets in.next to read one document per line with parse.
func (in *Input) openLines(br *bufio.Reader, cr *countingReader, parse func(n int, line []byte) *Doc) error {
	lr := &lineReader{r: br}
	in.next = func() (*Doc, error) {
		for {
			line, tooLong, err := lr.next()
			if err != nil {
				if err != io.EOF {
					err = fmt.Errorf("read %s line %d: %w", in.name, lr.n, err)
				}
				return nil, err
			}
			var d *Doc
			if tooLong {
				d = badLine(lr.n, "", fmt.Errorf("line longer than %d bytes", dataset.MaxLineBytes))
			} else if len(bytes.TrimSpace(line)) == 0 {
				continue
			} else {
				d = parse(lr.n, line)
			}
			d.Offset = cr.n
			return d, nil
		}
	}
	return nil
}

// requestJSON reads ClassifyRequest lines; unknown fields are errors, so
// that a misspelt option is not silently ignored.
var requestJSON = protojson.UnmarshalOptions{}

// parseRequestLine turns a ClassifyRequest JSON line into a document.
// The service checks the request itself (spans, targets, options) and
// answers a bad one with an error line.
func parseRequestLine(n int, b []byte) *Doc {
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return badLine(n, "", errors.New("not a JSON object"))
	}
	req := &stancev1.ClassifyRequest{}
	if err := requestJSON.Unmarshal(b, req); err != nil {
		// protojson's messages start "proto: "; say what failed instead.
		msg := strings.TrimPrefix(err.Error(), "proto:")
		msg = strings.TrimSpace(strings.ReplaceAll(msg, "\u00a0", " "))
		return badLine(n, "", fmt.Errorf("not a ClassifyRequest: %s", msg))
	}
	if req.Id == "" {
		req.Id = lineID(n)
	}
	return &Doc{Line: n, ID: req.Id, Req: req}
}

// looksCSV says whether a document read as text looks like a CSV table:
// its name ends in .csv, or its first line is a header of several
// comma-separated names one of which is "text".
func looksCSV(name string, br *bufio.Reader) bool {
	if strings.HasSuffix(strings.ToLower(strings.TrimSuffix(name, ".gz")), ".csv") {
		return true
	}
	b, _ := br.Peek(4096)
	first, _, _ := bytes.Cut(b, []byte("\n"))
	cols := strings.Split(strings.TrimSpace(string(first)), ",")
	if len(cols) < 2 {
		return false
	}
	for _, c := range cols {
		if strings.EqualFold(strings.Trim(strings.TrimSpace(c), `"`), "text") {
			return true
		}
	}
	return false
}

// openCSV sets in.next to read one document per CSV row.
func (in *Input) openCSV(br *bufio.Reader, cr *countingReader) error {
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1 // a short row is one bad document, not the end
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("read %s: CSV header: %w", in.name, err)
	}
	textCol, idCol := -1, -1
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		switch {
		case h == in.opts.TextColumn:
			textCol = i
		case in.opts.IDColumn != "" && h == in.opts.IDColumn, in.opts.IDColumn == "" && h == "id":
			idCol = i
		}
	}
	if textCol < 0 {
		return fmt.Errorf("read %s: the CSV header %q has no column %q: name the text column with -text-column", in.name, strings.Join(header, ","), in.opts.TextColumn)
	}
	if in.opts.IDColumn != "" && idCol < 0 {
		return fmt.Errorf("read %s: the CSV header %q has no column %q (-id-column)", in.name, strings.Join(header, ","), in.opts.IDColumn)
	}
	in.next = func() (*Doc, error) {
		rec, err := r.Read()
		line, _ := r.FieldPos(0)
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, io.EOF
		case errors.As(err, &pe):
			d := badLine(pe.StartLine, "", fmt.Errorf("CSV: %v", pe.Err))
			d.Offset = cr.n
			return d, nil
		case err != nil:
			return nil, fmt.Errorf("read %s: %w", in.name, err)
		}
		id := lineID(line)
		if idCol >= 0 && idCol < len(rec) && rec[idCol] != "" {
			id = rec[idCol]
		}
		var d *Doc
		switch {
		case textCol >= len(rec):
			d = badLine(line, id, fmt.Errorf("CSV row has %d fields, no %q column", len(rec), in.opts.TextColumn))
		case !utf8.ValidString(rec[textCol]):
			d = badLine(line, id, errors.New("text is not valid UTF-8"))
		default:
			d = &Doc{Line: line, ID: id, Req: &stancev1.ClassifyRequest{Id: id, Text: rec[textCol]}}
		}
		d.Offset = cr.n
		return d, nil
	}
	return nil
}

// sniff reads JSONL when the first non-blank byte is '{'.
func sniff(br *bufio.Reader) Format {
	for n := 64; ; n *= 4 {
		b, err := br.Peek(n)
		if t := bytes.TrimLeft(b, " \t\r\n\ufeff"); len(t) > 0 {
			if t[0] == '{' {
				return FormatJSONL
			}
			return FormatText
		}
		if err != nil || n >= 64<<10 {
			return FormatText
		}
	}
}

// readText reads a whole text document.
func readText(r io.Reader, id string) (*Doc, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxTextBytes+1))
	if err != nil {
		return nil, err
	}
	switch {
	case len(b) > MaxTextBytes:
		return &Doc{ID: id, Err: fmt.Errorf("%w: %s is larger than %d bytes", ErrMalformed, id, MaxTextBytes)}, nil
	case !utf8.Valid(b):
		return &Doc{ID: id, Err: fmt.Errorf("%w: %s is not valid UTF-8", ErrMalformed, id)}, nil
	}
	return &Doc{ID: id, Req: &stancev1.ClassifyRequest{Id: id, Text: string(b)}}, nil
}

// openDir reads a directory of text documents.
func openDir(dir string) (*Input, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	type file struct {
		name string
		size int64
	}
	var files []file
	var total int64
	for _, e := range entries { // ReadDir sorts by name
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fi, err := os.Stat(filepath.Join(dir, e.Name())) // follows symlinks
		if err != nil {
			return nil, fmt.Errorf("open input: %w", err)
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		files = append(files, file{e.Name(), fi.Size()})
		total += fi.Size()
	}
	in := &Input{name: dir, size: total, close: func() error { return nil }}
	var i int
	var offset int64
	in.next = func() (*Doc, error) {
		if i == len(files) {
			return nil, io.EOF
		}
		f := files[i]
		i++
		offset += f.size
		d, err := readTextFile(filepath.Join(dir, f.name), f.name)
		if err != nil {
			return nil, err
		}
		d.Offset = offset
		return d, nil
	}
	return in, nil
}

func readTextFile(path, id string) (*Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	defer f.Close()
	br, err := decompress(f)
	if err != nil {
		return &Doc{ID: id, Err: fmt.Errorf("%w: %s: %v", ErrMalformed, id, err)}, nil
	}
	d, err := readText(br, id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return d, nil
}

// lineReader reads lines of any length, returning at most
// dataset.MaxLineBytes of each.
type lineReader struct {
	r   *bufio.Reader
	buf []byte
	n   int // line number of the line last returned
}

// next returns the next line without its end of line; tooLong reports a
// line over the limit, whose content is dropped.
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !tooLong {
			if len(l.buf)+len(chunk) > dataset.MaxLineBytes+2 { // +2: room for "\r\n"
				tooLong, l.buf = true, l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(l.buf) > 0 || tooLong):
			// A last line without a newline.
		case err != nil:
			return nil, false, err
		}
		l.n++
		return bytes.TrimRight(l.buf, "\r\n"), tooLong, nil
	}
}

// jsonLine is a stance JSONL line; Text is a pointer so that a missing
// text is told apart from an empty one.
type jsonLine struct {
	ID      string           `json:"id"`
	Text    *string          `json:"text"`
	Targets []dataset.Target `json:"targets"`
	Labels  []string         `json:"labels"`
	// Document labels: PerSenT's one main entity, or a list.
	Title    string       `json:"title"`
	Entity   string       `json:"entity"`
	Label    string       `json:"label"`
	Entities []GoldEntity `json:"entities"`
}

// GoldEntity is a document-level label: the stance the whole text takes
// toward an entity, named with the aliases the text uses for it.
type GoldEntity struct {
	Entity  string   `json:"entity"`
	Aliases []string `json:"aliases,omitempty"`
	Label   string   `json:"label"`
}

// GoldRelation is a labelled holder -> target pair, UTF-8 byte spans.
type GoldRelation struct {
	Holder, Target         dataset.Target
	HolderName, TargetName string
	// Label is hostile, cooperative or none.
	Label string
}

// GoldTargetID is the caller target id that a document's labelled entity
// is sent as, so that its answer can be found.
func GoldTargetID(name string) string { return "doc:" + name }

// parseLine turns a JSONL line into a document.
func parseLine(n int, b []byte, p *fastjson.Parser) *Doc {
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return badLine(n, "", errors.New("not a JSON object"))
	}
	var jl jsonLine
	ok := false
	if p != nil {
		jl, ok = parseFast(p, b)
	}
	if !ok {
		jl = jsonLine{}
		if err := json.Unmarshal(b, &jl); err != nil {
			return badLine(n, jl.ID, jsonError(err))
		}
		if what := requestLike(b); what != "" {
			return badLine(n, jl.ID, fmt.Errorf("this is stance JSONL, whose targets are spans, but the line has %s as a ClassifyRequest has: read such a file with -format requests", what))
		}
	}
	if jl.Text == nil {
		return badLine(n, jl.ID, errors.New(`no "text" field`))
	}
	ex := dataset.Example{ID: jl.ID, Text: *jl.Text, Targets: jl.Targets, Labels: jl.Labels}
	if err := ex.Check(); err != nil {
		return badLine(n, jl.ID, err)
	}
	id := jl.ID
	if id == "" {
		id = lineID(n)
	}
	req := &stancev1.ClassifyRequest{Id: id, Text: ex.Text}
	if gold := goldEntities(&jl); len(gold) > 0 {
		// Document labels: the title is the headline, and each labelled
		// entity a caller target.
		if jl.Title != "" {
			req.Text = jl.Title + "\n" + ex.Text
		}
		for _, g := range gold {
			t := &stancev1.Target{Id: GoldTargetID(g.Entity), Name: g.Entity, Aliases: g.Aliases}
			if len(jl.Entities) == 0 {
				// PerSenT's one main entity is a person, as the document
				// model was trained to see it (pronouns refer to it).
				t.Type = stancev1.EntityType_ENTITY_TYPE_PERSON
			}
			req.Targets = append(req.Targets, t)
		}
		return &Doc{Line: n, ID: id, Req: req, Entities: gold}
	}
	if rels := goldRelations(ex); rels != nil {
		// Relation labels: the targets' spans are the request's spans.
		for _, r := range rels {
			addSpan(req, r.Target)
		}
		return &Doc{Line: n, ID: id, Req: req, Relations: rels}
	}
	if len(ex.Targets) > 0 {
		spans := make([]stancev1.Span, len(ex.Targets))
		req.Spans = make([]*stancev1.Span, len(ex.Targets))
		for i, t := range ex.Targets {
			spans[i] = stancev1.Span{Start: uint32(t.Start), End: uint32(t.End)}
			req.Spans[i] = &spans[i]
		}
	}
	return &Doc{Line: n, ID: id, Req: req, Labels: ex.Labels}
}

// jsonError words encoding/json's errors for the user rather than for a
// Go programmer: "field "text": want a string, not a number" rather than
// "cannot unmarshal number into Go struct field jsonLine.text of type
// string".
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	want := "a " + te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint32, reflect.Uint64:
		want = "an integer"
	case reflect.Slice:
		want = "an array"
	case reflect.Struct, reflect.Map:
		want = "an object"
	case reflect.Pointer:
		want = "a " + te.Type.Elem().Kind().String()
	}
	field := te.Field
	if field == "" {
		return fmt.Errorf("want a JSON object, not %s", article(te.Value))
	}
	return fmt.Errorf("field %q: want %s, not %s", field, want, article(te.Value))
}

// article puts "a" or "an" before a JSON value kind ("number", "array").
func article(kind string) string {
	if kind == "" {
		return "this value"
	}
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// requestLike names what makes a line look like a ClassifyRequest rather
// than stance JSONL ("spans", or a target with "name"), or says "".
func requestLike(b []byte) string {
	if !bytes.Contains(b, []byte(`"spans"`)) && !bytes.Contains(b, []byte(`"options"`)) && !bytes.Contains(b, []byte(`"offset`)) &&
		!bytes.Contains(b, []byte(`"name"`)) && !bytes.Contains(b, []byte(`"aliases"`)) {
		return ""
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(b, &probe) != nil {
		return ""
	}
	for _, k := range []string{"spans", "options", "offset_encoding", "offsetEncoding"} {
		if _, ok := probe[k]; ok {
			return fmt.Sprintf("%q", k)
		}
	}
	var targets []map[string]json.RawMessage
	if json.Unmarshal(probe["targets"], &targets) != nil {
		return ""
	}
	for _, t := range targets {
		for _, k := range []string{"name", "aliases"} {
			if _, ok := t[k]; ok {
				return fmt.Sprintf("targets with %q", k)
			}
		}
	}
	return ""
}

// parseFast reads a stance JSONL line with fastjson, five to ten times
// faster than encoding/json, which was a sixth of a -local run. It reads
// only what it reads exactly as encoding/json would, and says !ok for
// anything else (invalid JSON, a key matching a field but for its case, a
// value of another type, invalid UTF-8 or a surrogate escape, which
// encoding/json replaces with U+FFFD, a number that is not an int), so
// that encoding/json reads those lines and words their errors.
// FuzzParseLine checks that both read every line alike.
func parseFast(p *fastjson.Parser, b []byte) (jl jsonLine, ok bool) {
	if surrogateEscape(b) || fastjson.ValidateBytes(b) != nil {
		return jl, false
	}
	v, err := p.ParseBytes(b)
	if err != nil {
		return jl, false
	}
	o, err := v.Object()
	if err != nil {
		return jl, false
	}
	ok = true
	var seen [4]bool // a repeated key: encoding/json's merging rules apply
	once := func(i int) bool {
		if seen[i] {
			ok = false
		}
		seen[i] = true
		return ok
	}
	o.Visit(func(key []byte, v *fastjson.Value) {
		if !ok {
			return
		}
		switch string(key) {
		case "id":
			if !once(0) {
				return
			}
			jl.ID, ok = fastString(v, jl.ID)
		case "text":
			if !once(1) {
				return
			}
			if v.Type() == fastjson.TypeNull {
				return // encoding/json leaves the field as it was
			}
			var t string
			t, ok = fastString(v, "")
			jl.Text = &t
		case "targets":
			if !once(2) {
				return
			}
			jl.Targets, ok = fastTargets(v, jl.Targets)
		case "labels":
			if !once(3) {
				return
			}
			jl.Labels, ok = fastStrings(v, jl.Labels)
		case "spans", "options", "offset_encoding", "offsetEncoding":
			ok = false // a ClassifyRequest line: parseLine says so
		case "entity", "label", "entities":
			ok = false // document labels: encoding/json reads them
		default:
			for _, k := range []string{"id", "text", "targets", "labels"} {
				if strings.EqualFold(string(key), k) {
					ok = false // encoding/json matches keys case-insensitively
				}
			}
		}
	})
	return jl, ok
}

// surrogateEscape says whether b holds a \uD800-\uDFFF escape, which
// encoding/json checks for pairing and fastjson does not.
func surrogateEscape(b []byte) bool {
	for i := bytes.Index(b, []byte(`\u`)); i >= 0 && i+2 < len(b); {
		if c := b[i+2]; c == 'd' || c == 'D' {
			return true
		}
		j := bytes.Index(b[i+2:], []byte(`\u`))
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

func fastString(v *fastjson.Value, old string) (string, bool) {
	switch v.Type() {
	case fastjson.TypeNull:
		return old, true
	case fastjson.TypeString:
		sb, _ := v.StringBytes()
		if !utf8.Valid(sb) {
			return "", false
		}
		return string(sb), true
	}
	return "", false
}

func fastStrings(v *fastjson.Value, old []string) ([]string, bool) {
	if v.Type() == fastjson.TypeNull {
		return nil, true
	}
	a, err := v.Array()
	if err != nil {
		return nil, false
	}
	out := make([]string, len(a))
	for i, e := range a {
		if e.Type() != fastjson.TypeString {
			return nil, false
		}
		var ok bool
		if out[i], ok = fastString(e, ""); !ok {
			return nil, false
		}
	}
	return out, true
}

func fastTargets(v *fastjson.Value, old []dataset.Target) ([]dataset.Target, bool) {
	if v.Type() == fastjson.TypeNull {
		return nil, true
	}
	a, err := v.Array()
	if err != nil {
		return nil, false
	}
	out := make([]dataset.Target, len(a))
	for i, e := range a {
		if e.Type() == fastjson.TypeNull {
			continue
		}
		o, err := e.Object()
		if err != nil {
			return nil, false
		}
		ok := true
		var seen [3]bool
		o.Visit(func(key []byte, v *fastjson.Value) {
			if !ok {
				return
			}
			for k, name := range []string{"start", "end", "entity"} {
				if string(key) == name {
					ok = !seen[k]
					seen[k] = true
				}
			}
			if !ok {
				return
			}
			switch string(key) {
			case "name", "aliases", "type", "id":
				ok = false // a ClassifyRequest target: parseLine says so
			case "holder", "holder_start", "holder_end", "quad", "cameo":
				ok = false // relation data: encoding/json reads it
			case "start":
				out[i].Start, ok = fastInt(v, out[i].Start)
			case "end":
				out[i].End, ok = fastInt(v, out[i].End)
			case "entity":
				out[i].Entity, ok = fastString(v, out[i].Entity)
			default:
				for _, k := range []string{"start", "end", "entity"} {
					if strings.EqualFold(string(key), k) {
						ok = false
					}
				}
			}
		})
		if !ok {
			return nil, false
		}
	}
	return out, true
}

// fastInt reads a JSON integer as encoding/json reads it into an int:
// digits only, no fraction or exponent.
func fastInt(v *fastjson.Value, old int) (int, bool) {
	if v.Type() == fastjson.TypeNull {
		return old, true
	}
	if v.Type() != fastjson.TypeNumber {
		return 0, false
	}
	raw := v.MarshalTo(nil)
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, false
	}
	return n, true
}

func lineID(n int) string { return "line:" + strconv.Itoa(n) }

// badLine is a malformed line, identified by its id when it has one.
func badLine(n int, id string, err error) *Doc {
	if id == "" {
		id = lineID(n)
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ") // errors.Join puts each problem on a line
	return &Doc{Line: n, ID: id, Err: fmt.Errorf("%w: line %d: %s", ErrMalformed, n, msg)}
}

// goldEntities returns a line's document labels.
func goldEntities(jl *jsonLine) []GoldEntity {
	if len(jl.Entities) > 0 {
		return jl.Entities
	}
	if jl.Entity == "" || jl.Label == "" {
		return nil
	}
	g := GoldEntity{Entity: jl.Entity, Label: jl.Label}
	if f := strings.Fields(jl.Entity); len(f) > 1 {
		g.Aliases = []string{f[len(f)-1]} // news calls a person by surname
	}
	return []GoldEntity{g}
}

// goldRelations returns a line's labelled holder -> target pairs, or nil
// when its targets carry no holders.
func goldRelations(ex dataset.Example) []GoldRelation {
	var out []GoldRelation
	for i, t := range ex.Targets {
		if !t.HasHolder() || i >= len(ex.Labels) {
			continue
		}
		out = append(out, GoldRelation{
			Holder:     dataset.Target{Start: t.HolderStart, End: t.HolderEnd},
			Target:     dataset.Target{Start: t.Start, End: t.End},
			HolderName: t.Holder, TargetName: t.Entity, Label: ex.Labels[i],
		})
	}
	return out
}
