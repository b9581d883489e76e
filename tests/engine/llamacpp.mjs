// llamacpp.mjs — evaluates a prompt (token ids) with llama.cpp (node-llama-cpp, CPU) and prints
// the greedy continuation and the logits after the prompt, as JSON, for comparison with fix.
//   node llamacpp.mjs MODEL.gguf '[1,2,3]' N_GEN N_LOGITS
import { getLlama } from "node-llama-cpp";

const [model, promptJson, nGen, nLogits] = process.argv.slice(2);
const prompt = JSON.parse(promptJson);
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const m = await llama.loadModel({ modelPath: model });
const ctx = await m.createContext({ contextSize: prompt.length + Number(nGen) + 8, threads: 2 });
const seq = ctx.getSequence();
const input = prompt.slice(0, -1);
input.push([prompt[prompt.length - 1], { generateNext: { logits: true, token: true, options: { temperature: 0 } } }]);
let res = await seq.controlledEvaluate(input);
let last = res[res.length - 1].next;
const logits = [];
for (let i = 0; i < Number(nLogits); i++) logits.push(last.logits.get(i) ?? null);
const tokens = [last.token];
for (let i = 1; i < Number(nGen); i++) {
  res = await seq.controlledEvaluate([[tokens[tokens.length - 1], { generateNext: { token: true, options: { temperature: 0 } } }]]);
  tokens.push(res[0].next.token);
}
console.log(JSON.stringify({ tokens, logits }));
await ctx.dispose();
await m.dispose();
