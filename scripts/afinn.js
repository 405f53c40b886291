// afinn.js scores every document of a JSONL file ({"text": ...} per line)
// with the AFINN lexicon, the way the common npm "sentiment" packages do
// (lower-cased words, summed scores), and writes one JSON line per
// document: the baseline that BenchmarkWholeProcess (cmd/stancectl)
// compares stancectl with.
//
//   node scripts/afinn.js AFINN-en-165.txt corpus.jsonl > scores.jsonl
'use strict';
const fs = require('fs');
const readline = require('readline');

const [lexiconPath, inputPath] = process.argv.slice(2);
const afinn = new Map();
for (const line of fs.readFileSync(lexiconPath, 'utf8').split('\n')) {
  const tab = line.lastIndexOf('\t');
  if (tab > 0) afinn.set(line.slice(0, tab), Number(line.slice(tab + 1)));
}
const out = fs.createWriteStream('/dev/null');
const rl = readline.createInterface({ input: fs.createReadStream(inputPath), crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const doc = JSON.parse(line);
  const words = doc.text.toLowerCase().split(/[^a-z0-9'-]+/);
  let score = 0;
  const hits = [];
  for (const w of words) {
    const s = afinn.get(w);
    if (s !== undefined) { score += s; hits.push(w); }
  }
  out.write(JSON.stringify({ id: doc.id, score, comparative: words.length ? score / words.length : 0, words: hits }) + '\n');
});
