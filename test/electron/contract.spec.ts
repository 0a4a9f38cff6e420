import { describe, expect, it, type Mock, vi } from 'vitest';

import { dispatch } from '../../electron/app/dispatch';
import { createHandlers, type Handlers } from '../../electron/app/handlers';
import type { Logger } from '../../electron/app/logger';
import { createConnectionsStore } from '../../electron/services/connections-store';
import { createDraftsStore } from '../../electron/services/drafts-store';
import { createHistoryStore } from '../../electron/services/history-store';
import { createRequestRegistry } from '../../electron/services/request-registry';
import { createResultStore } from '../../electron/services/result-store';
import { createTokenVault } from '../../electron/services/token-vault';
import type { SendHttp } from '../../electron/services/write-service';
import { type ConnectionInput, DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { IPC_CHANNELS, IPC_EVENTS, type IpcChannel, isIpcChannel, isIpcEvent } from '../../shared/ipc/channels';
import { MAX_FILE_CHUNK_CHARS, requestSchemas } from '../../shared/ipc/contract';
import { AppError, IPC_ERROR_CODES } from '../../shared/ipc/result';
import { call } from '../support/call';
import { acceptedWriteExchange } from '../support/exchange';

const silentLog = (): Logger & { error: Mock<Logger['error']> } => ({
  info: vi.fn<Logger['info']>(),
  error: vi.fn<Logger['error']>(),
});

const CONNECTION: ConnectionInput = {
  ...DEFAULT_CONNECTION_INPUT,
  name: 'local',
  url: 'http://127.0.0.1:8086',
  db: 'db',
};
const WRITE_PARAMS = { ...DEFAULT_WRITE_PARAMS, db: 'db' };

function realHandlers(send: SendHttp = async () => acceptedWriteExchange()): {
  handlers: Handlers;
  emit: ReturnType<typeof vi.fn>;
} {
  const emit = vi.fn();
  const handlers = createHandlers({
    mode: 'browser',
    version: 'test',
    store: createConnectionsStore({ dir: null }),
    vault: createTokenVault({ backend: null, dir: null }),
    registry: createRequestRegistry(),
    history: createHistoryStore({ dir: null }),
    drafts: createDraftsStore({ dir: null }),
    results: createResultStore(),
    resultSink: { file: async () => ({ to: 'cancelled' }) },
    send,
    emit,
    notices: [],
    logs: { dir: '/tmp/iwb-contract-logs' },
  });
  return { handlers, emit };
}

/** A valid request for every channel. */
const VALID: { [C in IpcChannel]: unknown } = {
  'app:info': {},
  'connections:list': {},
  'connections:save': { connection: CONNECTION, token: { action: 'keep' } },
  'connections:delete': { id: 'abc-123' },
  'write:send': {
    requestId: 'r1',
    connectionId: 'c1',
    params: WRITE_PARAMS,
    auth: { scheme: 'none', username: '' },
    body: 'm f=1',
  },
  'server:ping': { requestId: 'r1', connectionId: 'c1' },
  'query:run': {
    requestId: 'r1',
    connectionId: 'c1',
    q: 'SELECT * FROM cpu WHERE host = $host',
    db: 'db',
    rp: '',
    epoch: 'ms',
    chunked: false,
    chunkSize: 0,
    params: { host: 'a', n: 1, b: true },
    method: 'auto',
  },
  'query:page': { resultId: 'r-1', statement: 0, series: 0, offset: 200, limit: 500 },
  'query:chart': { resultId: 'r-1', statement: 1 },
  'query:export': {
    resultId: 'r-1',
    statement: 0,
    format: 'lp',
    to: 'clipboard',
    lp: { cpu: { tags: ['host'], types: { n: 'integer' } } },
  },
  'query:release': { resultId: 'r-1' },
  'schema:get': { connectionId: 'c1', kind: 'tag-values', db: 'db', rp: '', measurement: 'cpu', tagKey: 'host' },
  'request:cancel': { requestId: 'r1' },
  'server:probe': { requestId: 'r1', connectionId: 'c1', db: 'db' },
  'history:list': {
    search: 'cpu 204',
    kinds: ['write', 'query'],
    connectionId: 'c1',
    outcome: 'failed',
    limit: 50,
    offset: 0,
  },
  'history:get': { id: 'h-1' },
  'history:delete': { id: 'h-1' },
  'history:clear': { connectionId: 'c1' },
  'export:render': {
    connectionId: 'c1',
    format: 'curl',
    params: WRITE_PARAMS,
    auth: { scheme: 'bearer', username: '' },
    body: 'm f=1',
  },
  'export:copy': {
    connectionId: 'c1',
    format: 'curl',
    params: WRITE_PARAMS,
    auth: { scheme: 'bearer', username: '' },
    body: 'm f=1',
  },
  'drafts:get': { connectionId: 'c1', kind: 'write' },
  'drafts:save': {
    connectionId: 'c1',
    kind: 'query',
    savedAt: 1_700_000_000_000,
    draft: { q: 'SHOW DATABASES', chunked: true },
  },
  'sandbox:status': {},
  'sandbox:settings': { autoStart: false },
  'sandbox:manage': { action: 'create-token', description: 'ci', read: ['demo'], write: [] },
  'fileload:start': {
    requestId: 'r1',
    connectionId: 'c1',
    params: WRITE_PARAMS,
    auth: { scheme: 'none', username: '' },
    fileName: 'big.lp',
    fileSize: 6,
    lastModified: 1_700_000_000_000,
    head: 'bSB2PTEK',
    options: {
      batchLines: 5000,
      batchBytes: 8 << 20,
      concurrency: 2,
      retries: 5,
      onInvalid: 'stop',
      stamp: 'none',
      verify: true,
    },
  },
  'fileload:chunk': { requestId: 'r1', offset: 0, data: 'bSB2PTEK', last: true },
  'fileload:control': { requestId: 'r1', action: 'pause' },
  'fileload:resumable': {},
  'fileload:forget': { loadId: 'r1' },
  'logs:open': {},
};

const save = VALID['connections:save'] as Record<string, unknown>;
const write = VALID['write:send'] as Record<string, unknown>;
const ping = VALID['server:ping'] as Record<string, unknown>;
const query = VALID['query:run'] as Record<string, unknown>;
const exportReq = VALID['export:render'] as Record<string, unknown>;
/** export:render and export:copy take the same request, so they refuse the same ones. */
const EXPORT_REJECTS: [string, unknown][] = [
  ['unknown key', { ...exportReq, token: 'secret' }],
  // No request can ask for the token to come back.
  ['includeToken', { ...exportReq, includeToken: true }],
  ['empty format', { ...exportReq, format: '' }],
  ['format with a slash', { ...exportReq, format: '../curl' }],
  ['format too long', { ...exportReq, format: 'c'.repeat(51) }],
  ['auth with a token', { ...exportReq, auth: { scheme: 'bearer', username: '', token: 'x' } }],
  ['unknown param key', { ...exportReq, params: { ...WRITE_PARAMS, bogus: 1 } }],
  ['body as number', { ...exportReq, body: 1 }],
  ['bad connectionId', { ...exportReq, connectionId: 'a b' }],
];
const draftSave = VALID['drafts:save'] as Record<string, unknown>;
const loadStart = VALID['fileload:start'] as Record<string, unknown> & { options: Record<string, unknown> };
const chunk = VALID['fileload:chunk'] as Record<string, unknown>;

/** Invalid requests for every channel: unknown keys, wrong types, missing fields, out-of-range values. */
const INVALID: { [C in IpcChannel]: Array<[string, unknown]> } = {
  'app:info': [
    ['unknown key', { extra: 1 }],
    ['null', null],
    ['undefined', undefined],
    ['string', 'x'],
    ['array', []],
  ],
  'connections:list': [
    ['unknown key', { all: true }],
    ['null', null],
    ['number', 1],
  ],
  'connections:save': [
    ['unknown top-level key', { ...save, extra: true }],
    ['missing token', { connection: CONNECTION }],
    ['missing connection', { token: { action: 'keep' } }],
    ['unknown connection key', { ...save, connection: { ...CONNECTION, token: 'secret' } }],
    ['connection missing a field', { ...save, connection: { ...CONNECTION, flavor: undefined } }],
    ['empty name', { ...save, connection: { ...CONNECTION, name: '   ' } }],
    ['name too long', { ...save, connection: { ...CONNECTION, name: 'x'.repeat(101) } }],
    ['empty url', { ...save, connection: { ...CONNECTION, url: '' } }],
    ['unknown flavor', { ...save, connection: { ...CONNECTION, flavor: '4.x' } }],
    ['unknown auth scheme', { ...save, connection: { ...CONNECTION, authScheme: 'digest' } }],
    ['skipTlsVerify as string', { ...save, connection: { ...CONNECTION, skipTlsVerify: 'false' } }],
    ['timeout as string', { ...save, connection: { ...CONNECTION, timeoutMs: '1000' } }],
    ['timeout not an integer', { ...save, connection: { ...CONNECTION, timeoutMs: 1000.5 } }],
    ['timeout too small', { ...save, connection: { ...CONNECTION, timeoutMs: 10 } }],
    ['timeout too large', { ...save, connection: { ...CONNECTION, timeoutMs: 3_600_001 } }],
    ['db as number', { ...save, connection: { ...CONNECTION, db: 1 } }],
    ['id with a slash', { ...save, id: '../etc' }],
    ['empty id', { ...save, id: '' }],
    ['id as number', { ...save, id: 7 }],
    ['unknown token action', { ...save, token: { action: 'steal' } }],
    ['token set without value', { ...save, token: { action: 'set', keep: 'persist', allowWeak: false } }],
    ['token set with empty value', { ...save, token: { action: 'set', value: '', keep: 'persist', allowWeak: false } }],
    [
      'token set with number value',
      { ...save, token: { action: 'set', value: 123, keep: 'persist', allowWeak: false } },
    ],
    [
      'token set too long',
      { ...save, token: { action: 'set', value: 'x'.repeat(8193), keep: 'persist', allowWeak: false } },
    ],
    ['token unknown keep', { ...save, token: { action: 'set', value: 'x', keep: 'disk', allowWeak: false } }],
    ['token allowWeak as string', { ...save, token: { action: 'set', value: 'x', keep: 'persist', allowWeak: 'yes' } }],
    ['token keep with extra key', { ...save, token: { action: 'keep', value: 'x' } }],
    ['token clear with extra key', { ...save, token: { action: 'clear', now: true } }],
  ],
  'connections:delete': [
    ['missing id', {}],
    ['unknown key', { id: 'a', force: true }],
    ['id as number', { id: 1 }],
    ['id with a dot', { id: 'a.b' }],
    ['id too long', { id: 'a'.repeat(101) }],
  ],
  'write:send': [
    ['unknown key', { ...write, token: 'secret' }],
    ['missing body', { ...write, body: undefined }],
    ['body as buffer-ish object', { ...write, body: { type: 'Buffer', data: [] } }],
    ['missing requestId', { ...write, requestId: undefined }],
    ['bad connectionId', { ...write, connectionId: 'a b' }],
    ['unknown api', { ...write, params: { ...WRITE_PARAMS, api: 'v4' } }],
    ['unknown param key', { ...write, params: { ...WRITE_PARAMS, bogus: 1 } }],
    ['missing param', { ...write, params: { ...WRITE_PARAMS, gzip: undefined } }],
    ['gzip as string', { ...write, params: { ...WRITE_PARAMS, gzip: 'true' } }],
    ['unknown consistency', { ...write, params: { ...WRITE_PARAMS, consistency: 'most' } }],
    ['precision too long', { ...write, params: { ...WRITE_PARAMS, precision: 'x'.repeat(21) } }],
    ['unknown auth scheme', { ...write, auth: { scheme: 'digest', username: '' } }],
    ['auth with token', { ...write, auth: { scheme: 'bearer', username: '', token: 'secret' } }],
    ['auth missing username', { ...write, auth: { scheme: 'none' } }],
  ],
  'server:ping': [
    ['unknown key', { ...ping, url: 'http://evil' }],
    ['missing connectionId', { requestId: 'r1' }],
    ['auth wrong type', { ...ping, auth: 'bearer' }],
    ['auth with extra key', { ...ping, auth: { scheme: 'none', username: '', x: 1 } }],
    ['requestId as number', { ...ping, requestId: 1 }],
  ],
  'query:page': [
    ['unknown key', { ...(VALID['query:page'] as object), x: 1 }],
    ['limit above a page', { ...(VALID['query:page'] as object), limit: 2_001 }],
    ['zero limit', { ...(VALID['query:page'] as object), limit: 0 }],
    ['negative offset', { ...(VALID['query:page'] as object), offset: -1 }],
    ['resultId with a slash', { ...(VALID['query:page'] as object), resultId: '../x' }],
  ],
  'query:chart': [
    ['missing statement', { resultId: 'r-1' }],
    ['fractional statement', { resultId: 'r-1', statement: 0.5 }],
  ],
  'query:export': [
    ['unknown format', { ...(VALID['query:export'] as object), format: 'xml' }],
    ['unknown destination', { ...(VALID['query:export'] as object), to: 'http' }],
    ['unknown field type', { ...(VALID['query:export'] as object), lp: { cpu: { tags: [], types: { n: 'int' } } } }],
  ],
  'query:release': [
    ['missing id', {}],
    ['id as number', { resultId: 1 }],
  ],
  'query:run': [
    ['unknown key', { ...query, url: 'http://evil' }],
    ['empty query', { ...query, q: '' }],
    ['query as number', { ...query, q: 1 }],
    ['unknown epoch', { ...query, epoch: 'd' }],
    ['chunked as string', { ...query, chunked: 'true' }],
    ['negative chunk size', { ...query, chunkSize: -1 }],
    ['fractional chunk size', { ...query, chunkSize: 1.5 }],
    ['bad parameter name', { ...query, params: { 'a-b': 1 } }],
    ['parameter value as object', { ...query, params: { a: { nested: true } } }],
    ['unknown method', { ...query, method: 'PUT' }],
    ['auth with a token', { ...query, auth: { scheme: 'bearer', username: '', token: 'x' } }],
    ['missing connectionId', { ...query, connectionId: undefined }],
  ],
  'schema:get': [
    ['unknown kind', { ...(VALID['schema:get'] as object), kind: 'users' }],
    ['unknown key', { ...(VALID['schema:get'] as object), q: 'DROP DATABASE db' }],
    ['missing db', { ...(VALID['schema:get'] as object), db: undefined }],
    ['measurement as number', { ...(VALID['schema:get'] as object), measurement: 1 }],
    ['tag key too long', { ...(VALID['schema:get'] as object), tagKey: 'k'.repeat(1001) }],
    ['bad connectionId', { ...(VALID['schema:get'] as object), connectionId: '../c' }],
  ],
  'request:cancel': [
    ['missing requestId', {}],
    ['unknown key', { requestId: 'r', all: true }],
    ['requestId as array', { requestId: ['r'] }],
  ],
  'server:probe': [
    ['unknown key', { requestId: 'r1', connectionId: 'c1', url: 'http://evil' }],
    ['missing requestId', { connectionId: 'c1' }],
    ['missing connectionId', { requestId: 'r1' }],
    ['db as number', { requestId: 'r1', connectionId: 'c1', db: 1 }],
    ['db too long', { requestId: 'r1', connectionId: 'c1', db: 'd'.repeat(1001) }],
    [
      'auth is not accepted (every scheme is probed)',
      { requestId: 'r1', connectionId: 'c1', auth: { scheme: 'none', username: '' } },
    ],
  ],
  'history:list': [
    ['missing limit', { offset: 0 }],
    ['missing offset', { limit: 10 }],
    ['limit zero', { limit: 0, offset: 0 }],
    ['limit too large', { limit: 501, offset: 0 }],
    ['negative offset', { limit: 10, offset: -1 }],
    ['fractional limit', { limit: 1.5, offset: 0 }],
    ['unknown kind', { limit: 10, offset: 0, kinds: ['delete'] }],
    ['kinds as string', { limit: 10, offset: 0, kinds: 'write' }],
    ['unknown outcome', { limit: 10, offset: 0, outcome: 'maybe' }],
    ['search as number', { limit: 10, offset: 0, search: 1 }],
    ['search too long', { limit: 10, offset: 0, search: 's'.repeat(1001) }],
    ['bad connectionId', { limit: 10, offset: 0, connectionId: '../c' }],
    ['unknown key', { limit: 10, offset: 0, all: true }],
  ],
  'history:get': [
    ['missing id', {}],
    ['id with a slash', { id: '../h' }],
    ['unknown key', { id: 'h', full: true }],
  ],
  'history:delete': [
    ['missing id', {}],
    ['id as number', { id: 1 }],
    ['unknown key', { id: 'h', all: true }],
  ],
  'history:clear': [
    ['unknown key', { all: true }],
    ['connectionId empty', { connectionId: '' }],
    ['null', null],
  ],
  'export:render': EXPORT_REJECTS,
  'export:copy': EXPORT_REJECTS,
  'drafts:get': [
    ['unknown kind', { connectionId: 'c1', kind: 'probe' }],
    ['connectionId with a path', { connectionId: '../c1', kind: 'write' }],
    ['unknown key', { connectionId: 'c1', kind: 'write', file: 'x' }],
  ],
  'drafts:save': [
    ['draft as array', { ...draftSave, draft: [] }],
    ['draft as string', { ...draftSave, draft: 'x' }],
    ['negative savedAt', { ...draftSave, savedAt: -1 }],
    ['fractional savedAt', { ...draftSave, savedAt: 1.5 }],
    ['connectionId with a path', { ...draftSave, connectionId: '../../etc' }],
    ['unknown key', { ...draftSave, token: 'x' }],
  ],
  'sandbox:status': [['unknown key', { state: 'running' }]],
  'sandbox:settings': [
    ['autoStart as string', { autoStart: 'no' }],
    ['unknown key', { port: 8086 }],
  ],
  'sandbox:manage': [
    ['unknown action', { action: 'drop-everything' }],
    ['database name too long', { action: 'create-database', name: 'x'.repeat(65) }],
    ['empty database name', { action: 'delete-database', name: '' }],
    ['token without lists', { action: 'create-token', description: 'x' }],
    ['unknown key', { action: 'reload-demo', db: 'demo' }],
  ],
  'fileload:start': [
    ['no options', { ...loadStart, options: undefined }],
    ['concurrency 0', { ...loadStart, options: { ...loadStart.options, concurrency: 0 } }],
    ['unknown onInvalid', { ...loadStart, options: { ...loadStart.options, onInvalid: 'ignore' } }],
    ['a path as file size', { ...loadStart, fileSize: '/etc/passwd' }],
    ['unknown key', { ...loadStart, path: '/etc/passwd' }],
    ['head not base64', { ...loadStart, head: 'not base64!' }],
    ['head longer than 64 KiB', { ...loadStart, head: 'A'.repeat(87_384 + 4) }],
    ['resume without a guard', { ...loadStart, resume: { loadId: 'r0' } }],
    ['resume id with a path', { ...loadStart, resume: { loadId: '../tokens', guard: '' } }],
    ['guard longer than 4 KiB', { ...loadStart, resume: { loadId: 'r0', guard: 'A'.repeat(5464 + 4) } }],
  ],
  'fileload:chunk': [
    ['not base64', { ...chunk, data: 'not base64!' }],
    ['negative offset', { ...chunk, offset: -1 }],
    ['chunk too large', { ...chunk, data: 'A'.repeat(MAX_FILE_CHUNK_CHARS + 4) }],
  ],
  'fileload:control': [['unknown action', { requestId: 'r1', action: 'stop' }]],
  'fileload:resumable': [['unknown key', { all: true }]],
  'fileload:forget': [
    ['a path as id', { loadId: '../connections' }],
    ['no id', {}],
  ],
  'logs:open': [['a path from the page', { path: '/etc' }]],
};

describe('the IPC contract', () => {
  it('every channel has exactly one schema, and nothing else has one', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('every channel has a handler in createHandlers(), and there are no extra handlers', () => {
    const { handlers } = realHandlers();
    expect(Object.keys(handlers).sort()).toEqual([...IPC_CHANNELS].sort());
    for (const channel of IPC_CHANNELS) expect(typeof handlers[channel]).toBe('function');
  });

  it('channel and event names are unique and follow domain:verb', () => {
    expect(new Set(IPC_CHANNELS).size).toBe(IPC_CHANNELS.length);
    for (const name of [...IPC_CHANNELS, ...IPC_EVENTS]) expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('the type guards accept only declared names', () => {
    for (const c of IPC_CHANNELS) expect(isIpcChannel(c)).toBe(true);
    for (const e of IPC_EVENTS) expect(isIpcEvent(e)).toBe(true);
    for (const bad of [
      '',
      'app:info ',
      'APP:INFO',
      'connections:changed',
      'toString',
      '__proto__',
      1,
      null,
      undefined,
      {},
    ]) {
      expect(isIpcChannel(bad)).toBe(false);
    }
    expect(isIpcEvent('app:info')).toBe(false);
  });

  it('IPC error codes are unique', () => {
    expect(new Set(IPC_ERROR_CODES).size).toBe(IPC_ERROR_CODES.length);
  });

  describe.each(IPC_CHANNELS)('%s', (channel) => {
    it('accepts its valid example', () => {
      const parsed = requestSchemas[channel].safeParse(VALID[channel]);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    });

    it('has invalid examples in the table', () => {
      expect(INVALID[channel].length).toBeGreaterThan(0);
    });

    it.each(INVALID[channel])('rejects: %s', (_why, input) => {
      expect(requestSchemas[channel].safeParse(input).success).toBe(false);
    });

    it.each(INVALID[channel])('dispatch answers BAD_REQUEST without calling the handler: %s', async (_why, input) => {
      const handler = vi.fn(async () => ({}));
      const handlers = { [channel]: handler } as unknown as Handlers;
      const result = await dispatch(handlers, channel, input, silentLog());
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('BAD_REQUEST');
        expect(result.error.message).toContain(channel);
      }
      expect(handler).not.toHaveBeenCalled();
    });
  });

  it('all three token actions are accepted', () => {
    for (const token of [
      { action: 'keep' },
      { action: 'clear' },
      { action: 'set', value: 't', keep: 'persist', allowWeak: false },
      { action: 'set', value: 't', keep: 'session', allowWeak: true },
    ]) {
      expect(requestSchemas['connections:save'].safeParse({ ...save, token }).success).toBe(true);
    }
  });

  it('trims connection names and URLs', () => {
    const parsed = requestSchemas['connections:save'].parse({
      ...save,
      connection: { ...CONNECTION, name: '  n  ', url: ' http://h:1 ' },
    });
    expect(parsed.connection.name).toBe('n');
    expect(parsed.connection.url).toBe('http://h:1');
  });

  it('BAD_REQUEST messages never echo a rejected token value', async () => {
    const secret = `sekrit-${'x'.repeat(9000)}`;
    const { handlers } = realHandlers();
    const result = await dispatch(
      handlers,
      'connections:save',
      { ...save, token: { action: 'set', value: secret, keep: 'persist', allowWeak: false } },
      silentLog(),
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('sekrit');
  });
});

describe('dispatch()', () => {
  it('unknown channel → NOT_FOUND, whatever the request', async () => {
    const { handlers } = realHandlers();
    for (const channel of ['nope:nope', '', 'constructor', '__proto__', 42, null]) {
      const result = await dispatch(handlers, channel, {}, silentLog());
      expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Unknown channel' } });
    }
  });

  it('a valid request → ok with the handler result, parsed (trimmed) data passed to the handler', async () => {
    const handler = vi.fn(async () => ({ deleted: true }));
    const handlers = { 'connections:delete': handler } as unknown as Handlers;
    expect(await dispatch(handlers, 'connections:delete', { id: 'x' }, silentLog())).toEqual({
      ok: true,
      data: { deleted: true },
    });
    expect(handler).toHaveBeenCalledWith({ id: 'x' });
  });

  it('an AppError keeps its code and message', async () => {
    for (const code of IPC_ERROR_CODES) {
      const handlers = {
        'request:cancel': async () => {
          throw new AppError(code, `message for ${code}`);
        },
      } as unknown as Handlers;
      expect(await dispatch(handlers, 'request:cancel', { requestId: 'r' }, silentLog())).toEqual({
        ok: false,
        error: { code, message: `message for ${code}` },
      });
    }
  });

  it('any other error → INTERNAL with a generic message, details only in the log', async () => {
    const log = silentLog();
    const handlers = {
      'app:info': async () => {
        throw new Error('ENOENT /home/alice/secret/path token=abc');
      },
    } as unknown as Handlers;
    const result = await dispatch(handlers, 'app:info', {}, log);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).not.toContain('ENOENT');
      expect(result.error.message).not.toContain('alice');
      expect(result.error.message).toContain('app:info');
    }
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('a thrown non-Error (string, undefined) is INTERNAL too', async () => {
    for (const thrown of ['boom', undefined, { code: 'FORBIDDEN', message: 'fake AppError shape' }]) {
      const handlers = {
        'app:info': async () => {
          throw thrown;
        },
      } as unknown as Handlers;
      const result = await dispatch(handlers, 'app:info', {}, silentLog());
      expect(result.ok === false && result.error.code).toBe('INTERNAL');
    }
  });

  it('every valid example reaches the real handler (no BAD_REQUEST)', async () => {
    const { handlers } = realHandlers();
    for (const channel of IPC_CHANNELS) {
      const result = await dispatch(handlers, channel, VALID[channel], silentLog());
      if (!result.ok) expect(result.error.code, `${channel}: ${result.error.message}`).not.toBe('BAD_REQUEST');
    }
  });
});

describe('the real handlers through dispatch()', () => {
  it('save, list, write, ping, delete', async () => {
    const send = vi.fn<SendHttp>(async () => acceptedWriteExchange());
    const { handlers, emit } = realHandlers(send);
    const log = silentLog();
    const saved = await dispatch(
      handlers,
      'connections:save',
      { connection: CONNECTION, token: { action: 'set', value: 'tok-123456', keep: 'persist', allowWeak: false } },
      log,
    );
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const summary = saved.data as { id: string; token: unknown };
    // No backend: the token is kept for the session only.
    expect(summary.token).toEqual({ hasToken: true, hint: '••••', storage: 'session' });
    expect(emit).toHaveBeenCalledWith('connections:changed', { ids: [summary.id] });

    const list = await dispatch(handlers, 'connections:list', {}, log);
    expect(list.ok && (list.data as { connections: unknown[] }).connections).toHaveLength(1);

    const written = await dispatch(
      handlers,
      'write:send',
      { ...write, connectionId: summary.id, auth: { scheme: 'bearer', username: '' } },
      log,
    );
    expect(written.ok).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0].headers.Authorization).toBe('Bearer tok-123456');

    const pinged = await dispatch(handlers, 'server:ping', { requestId: 'p1', connectionId: summary.id }, log);
    expect(pinged.ok).toBe(true);

    expect(await dispatch(handlers, 'connections:delete', { id: summary.id }, log)).toEqual({
      ok: true,
      data: { deleted: true },
    });
    expect(await dispatch(handlers, 'connections:delete', { id: summary.id }, log)).toEqual({
      ok: true,
      data: { deleted: false },
    });
    expect(await dispatch(handlers, 'write:send', { ...write, connectionId: summary.id }, log)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('no stored token: ping and schema go without auth and say so; query refuses like write', async () => {
    const send = vi.fn<SendHttp>(async () => acceptedWriteExchange());
    const { handlers } = realHandlers(send);
    const ctx = { handlers, log: silentLog() };
    const { id } = await call(ctx, 'connections:save', {
      connection: { ...CONNECTION, authScheme: 'token' },
      token: { action: 'keep' },
    });
    const ping = await call(ctx, 'server:ping', { requestId: 'p', connectionId: id });
    expect(ping.authFallback).toMatch(/no token stored, so this was sent without auth \(token was chosen\)/);
    expect(send.mock.calls[0]![0].headers).not.toHaveProperty('Authorization');
    const schema = await call(ctx, 'schema:get', {
      connectionId: id,
      kind: 'databases',
      db: '',
      rp: '',
      measurement: '',
      tagKey: '',
    });
    expect(schema.authFallback).toMatch(/without auth/);
    const query = await dispatch(
      handlers,
      'query:run',
      { ...(VALID['query:run'] as object), connectionId: id, auth: { scheme: 'token', username: '' } },
      silentLog(),
    );
    expect(query).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/no token stored/) },
    });
    // With auth "none" chosen there is nothing to fall back from.
    expect(
      (await call(ctx, 'server:ping', { requestId: 'p2', connectionId: id, auth: { scheme: 'none', username: '' } }))
        .authFallback,
    ).toBeNull();
  });

  it('a write with auth but no stored token → BAD_REQUEST, nothing sent', async () => {
    const send = vi.fn<SendHttp>(async () => acceptedWriteExchange());
    const { handlers } = realHandlers(send);
    const { id } = await call({ handlers, log: silentLog() }, 'connections:save', {
      connection: CONNECTION,
      token: { action: 'keep' },
    });
    const result = await dispatch(
      handlers,
      'write:send',
      { ...write, connectionId: id, auth: { scheme: 'token', username: '' } },
      silentLog(),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    ['ftp://h', /Only http/],
    ['not a url', /not a URL/],
    ['http://u:p@h:8086', /credentials/],
  ])('saving a connection with URL %j → BAD_REQUEST', async (url, message) => {
    const { handlers, emit } = realHandlers();
    const result = await dispatch(
      handlers,
      'connections:save',
      { connection: { ...CONNECTION, url }, token: { action: 'keep' } },
      silentLog(),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BAD_REQUEST');
      expect(result.error.message).toMatch(message);
    }
    expect(emit).not.toHaveBeenCalled();
  });

  it('saving with an unknown id → NOT_FOUND', async () => {
    const { handlers } = realHandlers();
    expect(await dispatch(handlers, 'connections:save', { ...save, id: 'missing' }, silentLog())).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('app:info reports mode, version and vault status', async () => {
    const { handlers } = realHandlers();
    expect(await dispatch(handlers, 'app:info', {}, silentLog())).toEqual({
      ok: true,
      data: {
        mode: 'browser',
        version: 'test',
        vault: { backend: 'memory', level: 'none', message: expect.any(String) },
      },
    });
  });
});
