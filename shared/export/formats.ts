import { toInfluxctlWrite, toInfluxWrite } from './cli';
import { toInfluxdb3ClientJs, toInfluxdb3Python, toInfluxdbClientJs, toInfluxdbPython, toNodeInflux } from './clients';
import { toCurl } from './curl';
import type { ExportOptions, ExportRequest } from './model';
import { toTelegrafV1, toTelegrafV2, toTelegrafV3 } from './telegraf';

/** One "Copy as" target for the menu. */
export interface ExportFormat {
  readonly id: string;
  readonly label: string;
  /** For syntax highlighting: shell, toml, javascript, python. */
  readonly language: 'shell' | 'toml' | 'javascript' | 'python';
  readonly generate: (req: ExportRequest, opts?: ExportOptions) => string;
}

/** Every "Copy as" target, in menu order. */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  { id: 'curl', label: 'curl', language: 'shell', generate: toCurl },
  { id: 'influx-write', label: 'influx write (v2 CLI)', language: 'shell', generate: toInfluxWrite },
  { id: 'influxctl-write', label: 'influxctl write', language: 'shell', generate: toInfluxctlWrite },
  { id: 'telegraf-v1', label: 'Telegraf [[outputs.influxdb]]', language: 'toml', generate: toTelegrafV1 },
  { id: 'telegraf-v2', label: 'Telegraf [[outputs.influxdb_v2]]', language: 'toml', generate: toTelegrafV2 },
  { id: 'telegraf-v3', label: 'Telegraf [[outputs.influxdb_v3]]', language: 'toml', generate: toTelegrafV3 },
  { id: 'node-influx', label: 'node-influx (npm influx)', language: 'javascript', generate: toNodeInflux },
  { id: 'influxdb-python', label: 'influxdb-python', language: 'python', generate: toInfluxdbPython },
  {
    id: 'influxdb-client-js',
    label: '@influxdata/influxdb-client',
    language: 'javascript',
    generate: toInfluxdbClientJs,
  },
  {
    id: 'influxdb3-client-js',
    label: '@influxdata/influxdb3-client',
    language: 'javascript',
    generate: toInfluxdb3ClientJs,
  },
  { id: 'influxdb3-python', label: 'influxdb3-python', language: 'python', generate: toInfluxdb3Python },
];
