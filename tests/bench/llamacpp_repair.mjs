// llamacpp_repair.mjs — llama.cpp doing the repair-shaped run of `fix bench --repair-tokens`
// (node-llama-cpp, CPU, 2 threads): the first prompt evaluated once, then each candidate generated
// from it (its tokens erased afterwards, the prompt's KV cache kept: prefix reuse, as llama.cpp's
// server does with cache_prompt); then the second prompt evaluated after its shared prefix, and its
// candidates the same way. Every candidate is generated to its full length. Prints JSON.
//   node llamacpp_repair.mjs MODEL.gguf TOKENS.json
import { getLlama } from "node-llama-cpp";
import { readFileSync } from "node:fs";

const [model, tokFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(tokFile, "utf8"));
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const m = await llama.loadModel({ modelPath: model });
const ctx = await m.createContext({ contextSize: job.a.length + job.tokens + 8, threads: 2, batchSize: 512 });
const seq = ctx.getSequence();
const next = (tok) => [tok, { generateNext: { token: true, options: { temperature: 0 } } }];

// evaluates `tokens` (the last one asking for the next token), then the candidates
async function iteration(tokens) {
  const base = seq.nextTokenIndex + tokens.length;
  for (let c = 0; c < job.candidates; c++) {
    const input = c === 0 ? tokens.slice(0, -1) : [];
    input.push(next(tokens[tokens.length - 1]));
    let res = await seq.controlledEvaluate(input);
    let tok = res[res.length - 1].next.token;
    for (let i = 1; i < job.tokens; i++) {
      res = await seq.controlledEvaluate([next(tok)]);
      tok = res[0].next.token;
    }
    // forget the candidate and the last prompt token (re-evaluated for the next candidate's logits)
    await seq.eraseContextTokenRanges([{ start: base - 1, end: seq.nextTokenIndex }]);
  }
}

const t0 = performance.now();
await iteration(job.a);
const t1 = performance.now();
await seq.eraseContextTokenRanges([{ start: job.shared, end: seq.nextTokenIndex }]);
await iteration(job.b.slice(job.shared));
const t2 = performance.now();
console.log(JSON.stringify({ repair_s: (t2 - t0) / 1000, first_s: (t1 - t0) / 1000, second_s: (t2 - t1) / 1000 }));
await ctx.dispose();
await m.dispose();
