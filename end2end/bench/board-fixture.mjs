// Writes fixtures/order-flow.board.json: the sample board (fixtures/order-flow.yaml), laid out
// as the tests lay it out, as a board document (docs/board-format.md). Run once when the sample
// changes: `node end2end/bench/board-fixture.mjs`; code generation snapshots are taken from it.
import { writeFileSync } from 'node:fs';
import { sampleBoardOps } from '../lib.mjs';

const { title, ops } = sampleBoardOps();
const examples = new Map(ops.filter((op) => op.type === 'set_examples').map((op) => [op.id, op.examples]));
const mappings = new Map(ops.filter((op) => op.type === 'set_mapping').map((op) => [op.id, op.mapping]));
const withProps = (element) => {
  const props = {
    ...(element.props ?? {}),
    ...(examples.has(element.id) ? { examples: examples.get(element.id) } : {}),
    ...(mappings.has(element.id) ? { mapping: mappings.get(element.id) } : {}),
  };
  return Object.keys(props).length ? { ...element, props } : element;
};
const board = {
  title,
  elements: ops.filter((op) => op.type === 'create_element').map((op) => withProps(op.element)),
  connections: ops.filter((op) => op.type === 'connect').map((op) => op.connection),
};
const document = { format: 'squall-board', version: 2, board };
const path = new URL('../../fixtures/order-flow.board.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${board.elements.length} elements and ${board.connections.length} arrows to ${path.pathname}`);
