// llamacpp_speed.mjs — llama.cpp's speed on a GGUF (node-llama-cpp, CPU, 2 threads): the prompt
// text is evaluated once (timed), then N tokens are generated greedily (timed). Prints JSON.
//   node llamacpp_speed.mjs MODEL.gguf PROMPT_FILE N_GEN
import { getLlama } from "node-llama-cpp";
import { readFileSync } from "node:fs";

const [model, promptFile, nGen] = process.argv.slice(2);
const text = readFileSync(promptFile, "utf8");
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const m = await llama.loadModel({ modelPath: model });
const tokens = m.tokenize(text);
const ctx = await m.createContext({ contextSize: tokens.length + Number(nGen) + 8, threads: 2, batchSize: 512 });
const seq = ctx.getSequence();
const input = tokens.slice(0, -1);
input.push([tokens[tokens.length - 1], { generateNext: { token: true, options: { temperature: 0 } } }]);
let t0 = performance.now();
let res = await seq.controlledEvaluate(input);
const promptS = (performance.now() - t0) / 1000;
let tok = res[res.length - 1].next.token;
t0 = performance.now();
for (let i = 1; i < Number(nGen); i++) {
  res = await seq.controlledEvaluate([[tok, { generateNext: { token: true, options: { temperature: 0 } } }]]);
  tok = res[0].next.token;
}
const genS = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ prompt_tokens: tokens.length, prompt_tps: tokens.length / promptS, gen_tps: (Number(nGen) - 1) / genS }));
await ctx.dispose();
await m.dispose();
