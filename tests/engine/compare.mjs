// compare.mjs — fix against llama.cpp (node-llama-cpp 3.22.1, CPU) on one model:
//   node compare.mjs MODEL.gguf FIX.json TOLERANCE
// FIX.json is `fix run --json --logits N` output: the prompt's token ids, fix's greedy continuation
// and its logits after the prompt. llama.cpp evaluates the same ids; the test requires the same
// greedy continuation and max|logit difference| <= TOLERANCE x the spread (sd) of llama.cpp's logits.
import { getLlama } from "node-llama-cpp";
import { readFileSync } from "node:fs";

const [model, fixJson, tolArg] = process.argv.slice(2);
const fix = JSON.parse(readFileSync(fixJson, "utf8"));
const tol = Number(tolArg);
const prompt = fix.prompt_tokens, nGen = fix.tokens.length, nLogits = fix.logits.length;
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const m = await llama.loadModel({ modelPath: model });
const ctx = await m.createContext({ contextSize: prompt.length + nGen + 8, threads: 2 });
const seq = ctx.getSequence();
const input = prompt.slice(0, -1);
input.push([prompt[prompt.length - 1], { generateNext: { logits: true, token: true, options: { temperature: 0 } } }]);
let res = await seq.controlledEvaluate(input);
const first = res[res.length - 1].next;
const tokens = [first.token];
for (let i = 1; i < nGen; i++) {
  res = await seq.controlledEvaluate([[tokens[i - 1], { generateNext: { token: true, options: { temperature: 0 } } }]]);
  tokens.push(res[0].next.token);
}
let maxd = 0, sum = 0, sum2 = 0, n = 0;
for (let i = 0; i < nLogits; i++) {
  const ref = first.logits.get(i);
  if (ref === undefined) continue;
  maxd = Math.max(maxd, Math.abs(ref - fix.logits[i]));
  sum += ref; sum2 += ref * ref; n++;
}
const sd = Math.sqrt(sum2 / n - (sum / n) ** 2);
let same = 0;
while (same < nGen && tokens[same] === fix.tokens[same]) same++;
const ok = same === nGen && maxd <= tol * sd;
console.log(`${ok ? "ok  " : "FAIL"} greedy ${same}/${nGen} identical, max|dlogit| ${maxd.toFixed(4)} = ` +
            `${(maxd / sd).toFixed(4)} sd (tolerance ${tol}), ${new Set(tokens).size} distinct tokens`);
await ctx.dispose();
await m.dispose();
process.exit(ok ? 0 : 1);
