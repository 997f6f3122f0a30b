// Runs one definition on aws-local-stepfunctions (the peer) and prints the execution's output, as
// `phoenix asl run` does. Task states answer from the same --mocks file Phoenix reads: each state's first
// {"return": json}, so both engines do the same work per Task.
//   node run-peer.mjs DEFINITION INPUT_JSON_FILE [MOCKS_JSON_FILE]
import { readFileSync } from 'node:fs';

// aws-local-stepfunctions 3.0.0 asks for Node 22 (its Task state calls Promise.withResolvers); this machine has
// Node 20. The spec's definition of that one function stands in for it, so the peer runs unchanged.
Promise.withResolvers ??= function withResolvers() {
  let resolve;
  let reject;
  const promise = new this((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

const [definitionFile, inputFile, mocksFile] = process.argv.slice(2);
if (!definitionFile || !inputFile) {
  console.error('usage: node run-peer.mjs DEFINITION INPUT_JSON_FILE [MOCKS_JSON_FILE]');
  process.exit(2);
}

const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const taskResourceLocalHandlers = {};
if (mocksFile) {
  for (const [state, answers] of Object.entries(JSON.parse(readFileSync(mocksFile, 'utf8')))) {
    const answer = JSON.stringify(answers[0].return);
    // A fresh copy per call, as Phoenix's mocks hand out.
    taskResourceLocalHandlers[state] = async () => JSON.parse(answer);
  }
}

const machine = new StateMachine(definition);
const execution = machine.run(input, { overrides: { taskResourceLocalHandlers } });
const output = await execution.result;
process.stdout.write(JSON.stringify(output) + '\n');
