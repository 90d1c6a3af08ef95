// Writes ../resources/confluent-vectors.json: records serialized by Confluent's own JavaScript
// Avro serializer (@confluentinc/schemaregistry), pinned in package.json. ConfluentWireFormatTest
// checks that our Java serde writes exactly these bytes and reads them back. See README.md.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  AvroDeserializer,
  AvroSerializer,
  MockClient,
  PrefixSchemaIdSerializer,
  SerdeType,
} from '@confluentinc/schemaregistry';
import avro from 'avsc';

const here = dirname(fileURLToPath(import.meta.url));
const mainAvro = join(here, '..', '..', 'main', 'avro');
const testAvro = join(here, '..', 'avro');
const output = join(here, '..', 'resources', 'confluent-vectors.json');

// Ids the in-memory registry handed out before ours, so every vector's id needs two bytes and a
// byte-order mistake cannot go unnoticed (id 301 is 00 00 01 2d big-endian, 2d 01 00 00 little).
const IDS_ALREADY_TAKEN = 300;

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'enum', 'fixed', 'error']);

function readSchemas(dir) {
  const byName = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.avsc')).sort()) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    byName.set(`${schema.namespace}.${schema.name}`, schema);
  }
  return byName;
}

// Replaces references to the other .avsc files' types with their definitions, at the first use
// only, the way Java's Schema.toString() prints a schema: one self-contained document.
function inline(node, namespace, defs, defined) {
  if (typeof node === 'string') {
    if (PRIMITIVES.has(node)) return node;
    const full = node.includes('.') ? node : `${namespace}.${node}`;
    if (defined.has(full)) return node;
    const definition = defs.get(full);
    if (!definition) throw new Error(`unknown type ${full}`);
    return inline(definition, namespace, defs, defined);
  }
  if (Array.isArray(node)) return node.map((branch) => inline(branch, namespace, defs, defined));
  const out = { ...node };
  if (NAMED.has(node.type)) {
    const ns = node.namespace ?? namespace;
    defined.add(node.name.includes('.') ? node.name : `${ns}.${node.name}`);
    if (defined.size > 1 && node.namespace === namespace) delete out.namespace;
    if (node.fields) {
      out.fields = node.fields.map((field) => ({ ...field, type: inline(field.type, ns, defs, defined) }));
    }
  } else if (node.type === 'array') {
    out.items = inline(node.items, namespace, defs, defined);
  } else if (node.type === 'map') {
    out.values = inline(node.values, namespace, defs, defined);
  }
  return out;
}

const project = readSchemas(mainAvro);
const handMade = readSchemas(testAvro);
const schema = (name) => {
  const full = `org.trajlake.schema.${name}`;
  return project.has(full) ? inline(project.get(full), 'org.trajlake.schema', project, new Set()) : null;
};
const testSchema = (name) => handMade.get(`org.trajlake.schema.vectors.${name}`);

const TS = 1767225600123; // 2026-01-01T00:00:00.123Z
const UNICODE = 'naïve café — 東京 🚀 Ωmega';

const toolCallEvent = {
  event_id: '6f1c2a8e-3b7d-4c1e-9a52-0d4b8e7f1a23',
  trajectory_id: 'traj-🚀-1',
  workspace: 'team-α',
  agent_id: 'coder@1.4.2',
  task_id: 'fix-issue-42',
  seq: 3,
  ts: TS,
  kind: 'TOOL_CALL',
  content: UNICODE,
  tool_call: { name: 'bash', call_id: 'call-1', arguments: '{"cmd":"mvn -q test","cwd":"/tmp/ü"}' },
  tool_result: null,
  reward: null,
  model: { model: 'claude-sonnet-4', input_tokens: 1234, output_tokens: null, latency_ms: 987 },
  status: null,
  tags: ['repair', 'java', '日本語'],
  attributes: { repository: 'github.com/trajlake/demo', branch: 'main', 'prompt.version': 'v7 ✓' },
  embedding: [0.5, -0.25, 1, 0],
};

const vectors = [
  {
    name: 'trajectory-event-minimal',
    topic: 'trajlake.events',
    schema: schema('TrajectoryEvent'),
    record: {
      event_id: 'e-0',
      trajectory_id: 't-0',
      workspace: 'w',
      agent_id: 'a',
      task_id: null,
      seq: 0,
      ts: 0,
      kind: 'OBSERVATION',
      content: '',
      tool_call: null,
      tool_result: null,
      reward: null,
      model: null,
      status: null,
      tags: [],
      attributes: {},
      embedding: null,
    },
  },
  { name: 'trajectory-event-tool-call', topic: 'trajlake.events', schema: schema('TrajectoryEvent'), record: toolCallEvent },
  {
    name: 'trajectory-event-end',
    topic: 'trajlake.events',
    schema: schema('TrajectoryEvent'),
    record: {
      ...toolCallEvent,
      event_id: 'e-end',
      seq: 4_000_000_000,
      kind: 'END',
      content: 'All tests pass.',
      tool_call: null,
      tool_result: { call_id: 'call-1', output: 'BUILD SUCCESS\n', is_error: false },
      reward: 1,
      model: null,
      status: 'SUCCESS',
      tags: [],
      attributes: {},
      embedding: null,
    },
  },
  {
    name: 'outcome',
    topic: 'trajlake.outcomes',
    schema: schema('Outcome'),
    record: {
      outcome_id: 'ci-run-991',
      trajectory_id: 'traj-🚀-1',
      workspace: 'team-α',
      kind: 'tests_passed',
      value: 0.75,
      ts: TS + 60_000,
      source: 'ci-bot',
      attributes: { passed: '3', failed: '1' },
    },
  },
  {
    name: 'trajectory',
    topic: 'trajlake.trajectories',
    schema: schema('Trajectory'),
    record: {
      trajectory_id: 'traj-🚀-1',
      workspace: 'team-α',
      agent_id: 'coder@1.4.2',
      task_id: null,
      status: 'INCOMPLETE',
      started_at: TS,
      ended_at: TS + 5_000,
      steps: [
        {
          event_id: 'e-1', seq: 0, ts: TS, kind: 'THOUGHT', content: UNICODE, tool_call: null,
          tool_result: null, reward: -0.5, model: null, attributes: {}, embedding: null,
        },
        {
          event_id: 'e-2', seq: 1, ts: TS + 5_000, kind: 'TOOL_RESULT', content: '',
          tool_call: null, tool_result: { call_id: 'c', output: 'boom', is_error: true }, reward: null,
          model: { model: 'm', input_tokens: null, output_tokens: 7, latency_ms: null },
          attributes: { k: 'v' }, embedding: [1.5],
        },
      ],
      tags: ['a', 'b'],
      attributes: {},
      embedding: null,
      version: 2,
      assembled_at: TS + 6_000,
    },
  },
  {
    name: 'rewarded-trajectory',
    topic: 'trajlake.trajectories.rewarded',
    schema: schema('RewardedTrajectory'),
    record: {
      trajectory: {
        trajectory_id: 't', workspace: 'w', agent_id: 'a', task_id: 'task', status: 'SUCCESS',
        started_at: TS, ended_at: TS, steps: [], tags: [], attributes: {}, embedding: [0.5, 0.5],
        version: 1, assembled_at: TS,
      },
      outcomes: [
        { outcome_id: 'o', trajectory_id: 't', workspace: 'w', kind: 'pr_merged', value: 1, ts: TS, source: '', attributes: {} },
      ],
      reward: 0.9,
      reward_components: { pr_merged: 0.9 },
      label_status: 'PARTIAL',
      reward_spec: null,
      version: 3,
      rewarded_at: TS + 1,
    },
  },
  {
    name: 'primitives',
    topic: 'vectors.primitives',
    schema: testSchema('Primitives'),
    record: {
      flag: true,
      small: -2,
      big: -1234567890123,
      ratio: 3.5,
      precise: -0.1,
      text: UNICODE,
      raw: Buffer.from([0x00, 0xff, 0x7f, 0x80]),
      color: 'BLUE',
      digest: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
    },
  },
  {
    name: 'collections',
    topic: 'vectors.collections',
    schema: testSchema('Collections'),
    record: {
      numbers: [0, -1, 63, 64, 2 ** 40],
      groups: { odd: [1, 3, 5], even: [], 'ключ': [-100] },
      pairs: [{ key: 'x', value: 2.5 }, { key: '', value: null }],
      empty: {},
    },
  },
  {
    name: 'unions-set',
    topic: 'vectors.unions',
    schema: testSchema('Unions'),
    record: { maybe_text: 'present', either: { x: -1, y: 2 }, maybe_list: ['one', ''] },
  },
  {
    name: 'unions-long-branch',
    topic: 'vectors.unions',
    schema: testSchema('Unions'),
    record: { maybe_text: null, either: 42, maybe_list: [] },
  },
  {
    name: 'unions-null',
    topic: 'vectors.unions',
    schema: testSchema('Unions'),
    record: { maybe_text: null, either: null, maybe_list: null },
  },
];

const client = new MockClient();
for (let i = 1; i <= IDS_ALREADY_TAKEN; i++) {
  const filler = { type: 'record', name: `Filler${i}`, fields: [] };
  await client.register('filler-value', { schemaType: 'AVRO', schema: JSON.stringify(filler) });
}

const results = [];
for (const vector of vectors) {
  if (!vector.schema) throw new Error(`${vector.name}: schema not found`);
  const subject = `${vector.topic}-value`;
  const schemaText = JSON.stringify(vector.schema);
  const schemaId = await client.register(subject, { schemaType: 'AVRO', schema: schemaText });

  // useSchemaId: write under the id the registry handed out, the way a producer pinned to a
  // provisioned schema does. PrefixSchemaIdSerializer is the default; it is set explicitly because
  // the newer header/GUID format must not be what these vectors pin.
  const serializer = new AvroSerializer(client, SerdeType.VALUE, {
    autoRegisterSchemas: false,
    useSchemaId: schemaId,
    schemaIdSerializer: PrefixSchemaIdSerializer,
  });
  const headers = {};
  const bytes = await serializer.serialize(vector.topic, vector.record, headers);

  if (Object.keys(headers).length !== 0) throw new Error(`${vector.name}: serializer wrote headers`);
  if (bytes[0] !== 0) throw new Error(`${vector.name}: first byte is ${bytes[0]}, not magic byte 0`);
  if (bytes.readInt32BE(1) !== schemaId) throw new Error(`${vector.name}: bytes 1-4 are not schema id ${schemaId}`);

  const type = avro.Type.forSchema(vector.schema);
  if (!type.toBuffer(vector.record).equals(bytes.subarray(5))) {
    throw new Error(`${vector.name}: body is not the plain Avro binary encoding`);
  }
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
  const decoded = await deserializer.deserialize(vector.topic, bytes, {});
  if (!isDeepStrictEqual(JSON.parse(type.toString(decoded)), JSON.parse(type.toString(vector.record)))) {
    throw new Error(`${vector.name}: round trip through AvroDeserializer changed the record`);
  }

  results.push({
    name: vector.name,
    subject,
    schemaId,
    schema: vector.schema,
    // Avro's JSON encoding (unions wrapped as {"type": value}, bytes as ISO-8859-1 text), which
    // Java's JsonDecoder reads; map entries keep the order they were written in.
    record: JSON.parse(type.toString(vector.record)),
    hex: bytes.toString('hex'),
  });
}

writeFileSync(output, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${results.length} vectors to ${output}`);
