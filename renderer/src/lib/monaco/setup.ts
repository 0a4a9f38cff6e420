import './contributions';

import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

import { registerInfluxQl } from './influxql';
import { registerInfluxQlLanguageFeatures } from './influxql-language';
import { registerLineProtocol } from './line-protocol';

// Bundle Monaco locally: without loader.config, @monaco-editor/react fetches Monaco from a CDN,
// which the CSP (rightly) blocks.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });
registerLineProtocol(monaco);
registerInfluxQl(monaco);
registerInfluxQlLanguageFeatures(monaco);

export { monaco };
